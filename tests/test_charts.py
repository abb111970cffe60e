"""Chart dicts: shapes by bound, colours by claimant kind, log scale and ticks, undated figures."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.domain.comparisons import group_by_metric
from app.domain.figures import Bound, ClaimantKind
from app.web.charts import SYMBOLS, estimates_chart
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
    bars = [t for t in chart["data"] if t["mode"] == "lines"]
    assert bars and bars[0]["y"] == [14000.0, 15000.0, None]
    assert chart["layout"]["yaxis"]["type"] == "log"
    assert "10,000" in chart["layout"]["yaxis"]["ticktext"]
    legend = [t["name"] for t in chart["data"] if t.get("showlegend", True)]
    assert legend == [
        KIND_LABELS[k] for k in ("official_origin", "official_ukraine", "independent", "media")
    ]


def test_undated_figures_sit_in_their_own_lane_never_on_the_time_axis() -> None:
    dated = record(1, "10", "10", Bound.EXACT, ClaimantKind.MEDIA, "2024")
    # An undated figure stays out of time even when its source has a date (DESIGN.md rule 5).
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


def test_nothing_dated_gives_no_chart() -> None:
    undated = replace(
        record(2, "12", "12", Bound.EXACT, ClaimantKind.MEDIA, None), source_published=None
    )
    assert (
        estimates_chart(group_by_metric([undated], ["enlisted"])[0], KIND_COLOURS, KIND_LABELS)
        is None
    )
