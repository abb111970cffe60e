"""axe-core (vendored from npm under tests/browser/vendor, with its licence; `make vendor-assets`)
run inside the page in Chromium: the serious and critical violations it finds."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
RUN_AXE = """async () => {
  const results = await window.axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map(violation => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.slice(0, 5).map(node => node.target.join(" ")),
  }));
}"""


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """Return the serious and critical accessibility violations axe finds on the page as it is.

    axe is evaluated through the DevTools protocol, as a test tool, so the page's own
    Content-Security-Policy (no inline script) stays as it is served."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
