"""Chart dicts: shapes by bound, colours by claimant kind, log scale and ticks, undated figures."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.domain.claim_sides import current_estimate
from app.domain.comparisons import group_by_metric
from app.domain.dates import PartialDate
from app.domain.figures import Bound, ClaimantKind
from app.web.pages.charts import (
    SYMBOLS,
    estimates_chart,
    estimates_charts,
    official_vs_independent_chart,
)
from app.web.pages.map_chart import MapArea, world_map
from app.web.templating import KIND_COLOURS, KIND_LABELS
from support import record


def _markers(chart: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in chart["data"] if t["mode"] == "markers" and t["x"] != [None]]


def test_each_bound_has_its_shape_and_each_kind_its_colour() -> None:
    records = [
        record(1, "200", "200", Bound.APPROXIMATE, ClaimantKind.OFFICIAL_ORIGIN, "2023-12"),
        record(2, None, "2000", Bound.AT_MOST, ClaimantKind.MEDIA, "2024-06"),
        record(3, "18000", None, Bound.AT_LEAST, ClaimantKind.OFFICIAL_UKRAINE, "2025-11"),
        record(4, "14000", "15000", Bound.RANGE, ClaimantKind.INDEPENDENT, "2024-02"),
        record(5, "699", "699", Bound.EXACT, ClaimantKind.INDEPENDENT, "2025-11"),
    ]
    chart = estimates_chart(group_by_metric(records, ["enlisted"])[0], KIND_COLOURS, KIND_LABELS)
    assert chart is not None
    symbols = {}
    for trace in _markers(chart):
        for figure_id, symbol in zip(trace["customdata"], trace["marker"]["symbol"], strict=True):
            symbols.setdefault(figure_id, set()).add(symbol)
        assert trace["marker"]["color"] in KIND_COLOURS.values()
    assert symbols == {
        1: {SYMBOLS[Bound.APPROXIMATE]},
        2: {SYMBOLS[Bound.AT_MOST]},
        3: {SYMBOLS[Bound.AT_LEAST]},
        4: {SYMBOLS[Bound.RANGE]},
        5: {SYMBOLS[Bound.EXACT]},
    }
    bars = [t for t in chart["data"] if t["mode"] == "lines" and t["line"]["width"] == 6]
    assert [bar["y"] for bar in bars] == [[14000.0, 15000.0, None]]
    assert chart["layout"]["yaxis"]["type"] == "log"
    assert "10,000" in chart["layout"]["yaxis"]["ticktext"]
    legend = [t["name"] for t in chart["data"] if t.get("showlegend", True)]
    assert legend == [
        KIND_LABELS[k] for k in ("official_origin", "official_ukraine", "independent", "media")
    ]


def test_undated_figures_sit_in_their_own_lane_never_on_the_time_axis() -> None:
    dated = record(1, "10", "10", Bound.EXACT, ClaimantKind.MEDIA, "2024")
    # An undated figure stays out of time even when its source has a date (docs/comparing.md rule 5).
    undated = record(2, "12", "12", Bound.EXACT, ClaimantKind.MEDIA, None, published="2026")
    chart = estimates_chart(
        group_by_metric([dated, undated], ["enlisted"])[0], KIND_COLOURS, KIND_LABELS
    )
    assert chart is not None
    assert chart["layout"]["yaxis"]["type"] == "linear"
    lanes = {trace["xaxis"]: (trace["customdata"], trace["x"]) for trace in _markers(chart)}
    assert lanes == {"x": ([1], ["2024-07-01"]), "x2": ([2], ["date not stated"])}
    assert chart["layout"]["xaxis"]["type"] == "date"
    assert chart["layout"]["xaxis2"]["type"] == "category"


def test_months_years_and_periods_are_drawn_as_spans_days_as_points() -> None:
    """A year-precision figure is not a point on 1 July: a line covers its whole year (and a
    month its month, a period from its start to its end); the marker stays at the middle."""
    year = record(1, "10", "10", Bound.EXACT, ClaimantKind.MEDIA, "2024")
    month = record(2, "20", "30", Bound.RANGE, ClaimantKind.MEDIA, "2025-02")
    day = record(3, "40", "40", Bound.EXACT, ClaimantKind.MEDIA, "2025-06-03")
    period = replace(
        record(4, "50", "50", Bound.EXACT, ClaimantKind.INDEPENDENT, None),
        period_start=PartialDate.parse("2025-01"),
        period_end=PartialDate.parse("2025-06"),
    )
    chart = estimates_chart(
        group_by_metric([year, month, day, period], ["enlisted"])[0], KIND_COLOURS, KIND_LABELS
    )
    assert chart is not None
    spans = [t for t in chart["data"] if t["mode"] == "lines" and t["line"]["width"] == 2]
    drawn = {
        (xs[i], xs[i + 1], ys[i])
        for trace in spans
        for xs, ys in [(trace["x"], trace["y"])]
        for i in range(0, len(xs), 3)
    }
    assert drawn == {
        ("2024-01-01", "2024-12-31", 10.0),
        ("2025-02-01", "2025-02-28", 20.0),
        ("2025-02-01", "2025-02-28", 30.0),
        ("2025-01-01", "2025-06-30", 50.0),
    }
    axis_start, axis_end = chart["layout"]["xaxis"]["range"]
    assert axis_start < "2024-01-01" and axis_end > "2025-06-30"


def test_nothing_dated_gives_no_chart() -> None:
    undated = replace(
        record(2, "12", "12", Bound.EXACT, ClaimantKind.MEDIA, None), source_published=None
    )
    assert (
        estimates_chart(group_by_metric([undated], ["enlisted"])[0], KIND_COLOURS, KIND_LABELS)
        is None
    )


HOSTILE = '<a href="https://evil.example/">click</a><span style="font-size:90px">big</span>'
PLOTLY_MARKUP_WE_WRITE = ("<b>", "</b>", "<br>", "<extra></extra>")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def _markup_left(chart: dict[str, Any]) -> list[str]:
    """Return every string handed to Plotly that still holds markup other than our own."""
    left = []
    for text in _strings(chart):
        for ours in PLOTLY_MARKUP_WE_WRITE:
            text = text.replace(ours, "")
        if "<" in text or ">" in text:
            left.append(text)
    return left


def test_every_text_handed_to_plotly_is_escaped() -> None:
    """Plotly renders a subset of HTML in titles, legends, ticks and hover labels (<a href> as a
    link, <span style> as drawn): every stored text reaches it as text."""
    hostile = [
        replace(
            record(1, "10", "10", Bound.EXACT, ClaimantKind.MEDIA, "2024"),
            claimant=HOSTILE,
            unit=HOSTILE,
            area_name=HOSTILE,
            metric_label=HOSTILE,
        ),
        replace(
            record(2, "30", "30", Bound.EXACT, ClaimantKind.INDEPENDENT, None),
            claimant=HOSTILE,
            unit=HOSTILE,
            area_name=HOSTILE,
        ),
        replace(
            record(3, "900", "900", Bound.EXACT, ClaimantKind.OFFICIAL_ORIGIN, "2024-03"),
            claimant=HOSTILE,
            unit=HOSTILE,
            area_name=HOSTILE,
        ),
    ]
    group = group_by_metric(hostile, ["enlisted"])[0]
    charts = [
        estimates_chart(group, KIND_COLOURS, {kind: HOSTILE for kind in KIND_LABELS}),
        # drawn in bins: the bins' texts too
        estimates_charts(group, KIND_COLOURS, {kind: HOSTILE for kind in KIND_LABELS}, 1)[0].chart,
        official_vs_independent_chart([group], KIND_COLOURS),
        world_map(
            [
                MapArea(
                    "NPL",
                    HOSTILE,
                    "/countries/NPL",
                    3,
                    3,
                    current_estimate([r.facts for r in group.records]),
                )
            ],
            HOSTILE,
        ),
    ]
    assert all(chart is not None for chart in charts)
    for chart in charts:
        assert chart is not None
        assert _markup_left(chart) == []
        assert any("&lt;a href=" in text for text in _strings(chart))
    assert _markup_left({"text": HOSTILE}) == [HOSTILE]  # the check finds raw markup
