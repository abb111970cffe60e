"""Charts that draw bins instead of figures: bars from a bin's lowest to its highest stated
number, ends marked by the bounds inside, hover "N figures, from X to Y", the title saying so,
and a page's charts sharing its marks."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.domain.chart_bins import CHART_MARK_LIMIT
from app.domain.comparisons import group_by_metric
from app.domain.figures import Bound, ClaimantKind
from app.domain.group_chart_text import group_chart_of_text, group_chart_text
from app.domain.group_charts import group_chart
from app.domain.records import FigureRecord
from app.web.pages.charts import estimates_charts, page_estimates_charts
from app.web.templating import KIND_COLOURS, KIND_LABELS
from support import add_daily_copies, record


def _daily(count: int, metric: str = "enlisted", first_id: int = 1) -> list[FigureRecord]:
    """Return figures one a day from 1 January 2024 (media), valued 100, 101, ..."""
    return [
        record(
            first_id + n,
            str(100 + n),
            str(100 + n),
            Bound.EXACT,
            ClaimantKind.MEDIA,
            (date(2024, 1, 1) + timedelta(days=n)).isoformat(),
            metric=metric,
        )
        for n in range(count)
    ]


def _markers(chart: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in chart["data"] if t["mode"] == "markers" and t["x"] != [None]]


def test_beyond_its_marks_a_chart_draws_monthly_bins_and_says_so() -> None:
    figures = [
        *_daily(59),
        record(500, "20", None, Bound.AT_LEAST, ClaimantKind.MEDIA, "2024-02-10"),
        record(501, "30", "9000", Bound.RANGE, ClaimantKind.MEDIA, "2024-02-11"),
        record(502, "77", "77", Bound.EXACT, ClaimantKind.INDEPENDENT, None),
    ]
    group = group_by_metric(figures, ["enlisted"])[0]
    assert estimates_charts(group, KIND_COLOURS, KIND_LABELS)[0].binned is None  # 62 fit
    drawn = estimates_charts(group, KIND_COLOURS, KIND_LABELS, mark_limit=10)[0]
    assert drawn.binned is not None
    chart = drawn.chart
    title = "This chart shows 62 figures in 2 monthly bins per claimant kind"
    assert chart["layout"]["title"]["text"].startswith(title)
    bars = [t for t in chart["data"] if t["mode"] == "lines"]
    assert [bar["y"] for bar in bars] == [[100.0, 130.0, None, 20.0, 9000.0, None]]
    assert bars[0]["x"] == ["2024-01-16", "2024-01-16", None, "2024-02-15", "2024-02-15", None]
    hovered = {t["xaxis"]: t for t in _markers(chart) if "text" in t}
    dated, undated = hovered["x"], hovered["x2"]
    assert "customdata" not in dated  # a bin is no one figure: clicking opens nothing
    assert dated["y"] == [130.0, 9000.0]  # the tops carry the hover text, once a bin
    assert dated["marker"]["symbol"] == ["line-ew", "triangle-up"]
    media = KIND_LABELS["media"]
    assert dated["text"][0] == f"<b>31 figures, from 100 to 130</b><br>{media}<br>January 2024"
    assert dated["text"][1].startswith("<b>30 figures, from 20 to 9,000; of them 1 range")
    (bottoms,) = [t for t in _markers(chart) if t.get("hoverinfo") == "skip"]
    assert (bottoms["y"], bottoms["marker"]["symbol"]) == ([100.0, 20.0], ["line-ew", "line-ew"])
    assert undated["x"] == ["date not stated"] and undated["xaxis"] == "x2"
    assert undated["marker"]["symbol"] == ["circle"]  # one value: one dot
    assert chart["layout"]["xaxis2"]["title"]["text"] == "no date"


def test_a_bin_is_drawn_from_its_lowest_positive_number_on_a_log_scale() -> None:
    figures = [
        *_daily(40),
        record(500, "0", "0", Bound.EXACT, ClaimantKind.MEDIA, "2024-01-20"),
        record(501, None, "50000", Bound.AT_MOST, ClaimantKind.MEDIA, "2024-01-21"),
    ]
    group = group_by_metric(figures, ["enlisted"])[0]
    assert group.log_scale
    chart = estimates_charts(group, KIND_COLOURS, KIND_LABELS, mark_limit=5)[0].chart
    bars = [t for t in chart["data"] if t["mode"] == "lines"]
    assert bars[0]["y"][:2] == [100.0, 50000.0]  # the zero has no place on a log axis
    (bottoms,) = [t for t in _markers(chart) if t.get("hoverinfo") == "skip"]
    # January: figures 100 to 130, a zero and "at most 50,000"; February: 131 to 139.
    assert bottoms["y"] == [100.0, 131.0]
    assert bottoms["marker"]["symbol"] == ["triangle-down", "line-ew"]
    (tops,) = [t for t in _markers(chart) if "text" in t]
    assert (tops["y"], tops["marker"]["symbol"]) == ([50000.0, 139.0], ["line-ew", "line-ew"])
    assert tops["text"][0].startswith("<b>33 figures, from 0 to 50,000")


def test_a_page_s_charts_share_its_marks() -> None:
    groups = group_by_metric(
        _daily(300) + _daily(20, metric="killed", first_id=1000), ["enlisted", "killed"]
    )
    charted = [(group_chart(group.records), group.records) for group in groups]
    enlisted, killed = page_estimates_charts(charted, KIND_COLOURS, KIND_LABELS, mark_limit=100)
    assert killed[0].binned is None  # 20 figures fit their share: drawn one by one
    assert sum(len(t["customdata"]) for t in _markers(killed[0].chart)) == 20
    assert enlisted[0].binned is not None  # 300 do not fit the 80 left: 10 monthly bins
    assert (enlisted[0].binned.period.value, enlisted[0].binned.mark_count) == ("month", 10)
    assert sum(found.count for found in enlisted[0].binned.dated) == 300


def test_a_chart_drawn_from_kept_bins_is_the_one_drawn_from_the_figures() -> None:
    figures = [
        *_daily(200),
        *_daily(30, first_id=400)[::3],
        record(500, "20", None, Bound.AT_LEAST, ClaimantKind.MEDIA, "2024-02-10"),
        record(501, "30", "9000", Bound.RANGE, ClaimantKind.OFFICIAL_RUSSIA, "2024-03"),
        record(502, "0", "0", Bound.EXACT, ClaimantKind.INDEPENDENT, None),
        record(503, None, "50000", Bound.AT_MOST, ClaimantKind.MEDIA, "2025"),
    ]
    group = group_by_metric(figures, ["enlisted"])[0]
    kept = group_chart_of_text(group_chart_text(group_chart(group.records)))
    binned = []
    for limit in (*range(2, 41), 1_000):
        from_figures = page_estimates_charts([(kept, group.records)], {}, {}, mark_limit=limit)
        if from_figures[0][0].binned is None:
            continue  # every figure fits: a page loads the figures themselves
        binned.append(from_figures[0][0].binned.period.value)
        from_bins = page_estimates_charts([(kept, None)], {}, {}, mark_limit=limit)
        assert from_bins == from_figures, limit
    assert set(binned) == {"year", "quarter", "month"}


def test_an_area_page_draws_bins_beyond_its_marks_and_keeps_every_figure_elsewhere(
    client: TestClient, session: Session
) -> None:
    add_daily_copies(session, "NPL", "enlisted", CHART_MARK_LIMIT + 100)
    page = client.get("/countries/NPL").text
    comparison = next(
        c
        for c in client.get("/api/v1/areas/NPL").json()["comparisons"]
        if c["metric"] == "enlisted"
    )
    count = comparison["figure_count"]
    assert count > CHART_MARK_LIMIT + 100
    start = page.index('<section class="metric-section" id="metric-enlisted"')
    section = page[start : page.index("</section>", start)]
    note = re.search(r"This chart shows ([\d,]+) figures in ([\d,]+) monthly bins", section)
    assert note is not None and int(note[1].replace(",", "")) == count
    assert 'every figure is in <a href="/countries/NPL/metrics/enlisted">' in section
    block = re.search(r'data-chart-for="chart-enlisted">(.*?)</script>', page, re.S)
    assert block is not None
    markers = [
        t for t in json.loads(block[1])["data"] if t["mode"] == "markers" and t["x"] != [None]
    ]
    assert all("customdata" not in trace for trace in markers)  # bins, not figures
    # Each bin (and each kind's no-date lane) draws its two ends at the most, one hovered.
    hovered = sum(len(t["x"]) for t in markers if "text" in t)
    assert int(note[2]) <= hovered <= int(note[2]) + len(ClaimantKind)
    assert sum(len(t["x"]) for t in markers) <= 2 * hovered
    # The API serves every figure: its chart points and figures are all there.
    assert len(comparison["figures"]) == count
    assert len(comparison["chart_points"]) + len(comparison["undated_figures"]) == count
    listed = client.get("/countries/NPL/metrics/enlisted").text
    assert f"of {count}, by date" in listed
    # The embed of the same chart draws the same bins and says so too.
    embed = client.get("/embed/countries/NPL/enlisted").text
    assert f"This chart shows {count:,} figures in {note[2]} monthly bins" in embed
    assert "the full page, the API and the downloads have every figure" in embed


def test_an_area_page_within_its_marks_draws_every_figure(client: TestClient) -> None:
    page = client.get("/countries/NPL").text
    assert "This chart shows" not in page
    block = re.search(r'data-chart-for="chart-enlisted">(.*?)</script>', page, re.S)
    assert block is not None
    assert any("customdata" in trace for trace in json.loads(block[1])["data"])
