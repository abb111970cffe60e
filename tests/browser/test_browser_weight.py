"""A country page's first visit over a 5 Mbit/s line: what it transfers and when its chart appears.

The test asserts what must hold (the charts are drawn, the bundle is Plotly's partial geo bundle,
the large files arrive compressed) and prints the figures (docs/benchmarks.md, "Page weight");
timings are never asserted."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from app.settings import PROJECT_ROOT

COUNTRY_PAGE = "/countries/NPL"
MEGABIT = 1_000_000 / 8  # bytes per second
LINE = {
    "offline": False,
    "latency": 40,
    "downloadThroughput": 5 * MEGABIT,
    "uploadThroughput": 1 * MEGABIT,
}
TRANSFERS = """() => {
  const entries = [
    ...performance.getEntriesByType("navigation"),
    ...performance.getEntriesByType("resource"),
  ];
  return entries.map(entry => ({
    name: entry.name,
    transferred: entry.transferSize,
    decoded: entry.decodedBodySize,
  }));
}"""
FIRST_CHART_DRAWN = """() => new Promise(resolve => {
  const found = () => document.querySelector(".chart-canvas .main-svg");
  if (found()) return resolve(performance.now());
  new MutationObserver((changes, observer) => {
    if (found()) { observer.disconnect(); resolve(performance.now()); }
  }).observe(document.documentElement, { childList: true, subtree: true });
})"""
# When set, the figures are appended to this file as one JSON line (see docs/benchmarks.md).
RECORD_TO = os.environ.get("PAGE_WEIGHT_RECORD")


def test_country_page_first_visit_at_5_mbit(page: Page) -> None:
    """The first visit of a country page over 5 Mbit/s draws every chart from the partial Plotly
    bundle, sent brotli-compressed; its transfer and time to the first chart are printed."""
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.setCacheDisabled", {"cacheDisabled": True})
    network.send("Network.emulateNetworkConditions", LINE)
    encodings: dict[str, str | None] = {}
    page.on(
        "response",
        lambda response: encodings.__setitem__(
            response.url, response.headers.get("content-encoding")
        ),
    )

    page.goto(COUNTRY_PAGE, wait_until="commit")
    first_chart_ms = page.evaluate(FIRST_CHART_DRAWN)
    charts = page.locator(".chart-canvas")
    for index in range(charts.count()):
        expect(charts.nth(index)).to_have_attribute("data-drawn", "true", timeout=60_000)
    page.wait_for_load_state("load")
    transfers: list[dict[str, Any]] = page.evaluate(TRANSFERS)

    scripts = [entry for entry in transfers if "/static/vendor/" in entry["name"]]
    assert [Path(entry["name"].split("?")[0]).name for entry in scripts] == ["plotly-geo.min.js"]
    bundle = scripts[0]
    assert encodings[bundle["name"]] == "br"
    assert 0 < bundle["transferred"] < bundle["decoded"] / 3
    total = sum(entry["transferred"] for entry in transfers)
    decoded = sum(entry["decoded"] for entry in transfers)
    assert total > bundle["transferred"]

    figures = {
        "page": COUNTRY_PAGE,
        "line": "5 Mbit/s down, 1 Mbit/s up, 40 ms latency",
        "transferred_bytes": total,
        "decoded_bytes": decoded,
        "first_chart_ms": round(first_chart_ms),
        "files": {
            entry["name"].split("?")[0].removeprefix(page.url.split("/countries")[0]): entry[
                "transferred"
            ]
            for entry in transfers
        },
    }
    print("\npage weight:", json.dumps(figures, indent=1))
    if RECORD_TO:
        with (PROJECT_ROOT / RECORD_TO).open("a") as record:
            record.write(json.dumps(figures) + "\n")
