"""A chart's marks when it draws bins instead of figures (app/domain/chart_bins.py): per bin a bar
from the lowest number its figures state to the highest, its ends marked, hover "N figures, from
X to Y"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.domain.chart_bins import FigureBin
from app.web.pages.plotly_parts import escape_plotly, line_trace, marker_trace

UNDATED_LANE = "date not stated"
OPEN_ABOVE = "triangle-up"
OPEN_BELOW = "triangle-down"
CLOSED_END = "line-ew"
ONE_VALUE = "circle"


def _end_shapes(found: FigureBin) -> tuple[str, str]:
    """Return the shapes of a bin's top and bottom: ▲ on top when a figure says "at least", ▼ at
    the bottom when one says "at most", a cap otherwise."""
    top = OPEN_ABOVE if found.open_above else CLOSED_END
    bottom = OPEN_BELOW if found.open_below else CLOSED_END
    return top, bottom


def bin_traces(
    bins: Sequence[FigureBin],
    kind_label: str,
    colour: str,
    axis: str,
    log_scale: bool,
) -> list[dict[str, Any]]:
    """Return one claimant kind's bins on one x axis: a bar per bin and the markers at its ends;
    the top one carries the hover text (once a bin, so that the page stays light), and a bin of
    one value is one dot."""
    bar_x: list[str | None] = []
    bar_y: list[float | None] = []
    tops: dict[str, list[Any]] = {"x": [], "y": [], "symbol": [], "text": []}
    bottoms: dict[str, list[Any]] = {"x": [], "y": [], "symbol": []}
    group = bins[0].kind.value
    for found in bins:
        span = found.drawn_span(log_scale)
        if span is None:
            continue  # only zeros: nothing of it has a place on a log axis
        middle = found.middle
        x = middle.isoformat() if middle else UNDATED_LANE
        low, high = span
        top, bottom = _end_shapes(found)
        if low == high and top == bottom:
            top = ONE_VALUE
        else:
            bar_x += [x, x, None]
            bar_y += [float(low), float(high), None]
            bottoms["x"].append(x)
            bottoms["y"].append(float(low))
            bottoms["symbol"].append(bottom)
        tops["x"].append(x)
        tops["y"].append(float(high))
        tops["symbol"].append(top)
        tops["text"].append(
            f"<b>{escape_plotly(found.label())}</b><br>{escape_plotly(kind_label)}"
            f"<br>{escape_plotly(found.when())}"
        )
    traces = [line_trace(bar_x, bar_y, group, colour, axis, 6)] if bar_x else []
    if bottoms["x"]:
        traces.append(marker_trace(bottoms, group, colour, axis, 11))
    traces.append(marker_trace(tops, group, colour, axis, 11))
    return traces
