"""A chart's marks when it draws bins instead of figures (app/domain/chart_bins.py): per bin a bar
from the lowest number its figures state to the highest, its ends marked, hover "N figures, from
X to Y"."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from app.domain.chart_bins import FigureBin
from app.web.pages.plotly_parts import escape_plotly, line_trace, marker_trace

UNDATED_LANE = "date not stated"
OPEN_ABOVE = "triangle-up"
OPEN_BELOW = "triangle-down"
CLOSED_END = "line-ew"
ONE_VALUE = "circle"


def _ends(found: FigureBin, low: Decimal, high: Decimal) -> list[tuple[Decimal, str]]:
    """Return where a bin's end markers sit and their shapes: ▲ on top when a figure says "at
    least", ▼ at the bottom when one says "at most", a cap otherwise (a dot for one value)."""
    top = OPEN_ABOVE if found.open_above else CLOSED_END
    bottom = OPEN_BELOW if found.open_below else CLOSED_END
    if low == high and top == bottom:
        return [(high, ONE_VALUE)]
    return [(high, top), (low, bottom)]


def bin_traces(
    bins: Sequence[FigureBin],
    kind_label: str,
    colour: str,
    axis: str,
    log_scale: bool,
) -> list[dict[str, Any]]:
    """Return one claimant kind's bins on one x axis: a bar per bin and the markers at its ends,
    which carry the hover text."""
    bar_x: list[str | None] = []
    bar_y: list[float | None] = []
    points: dict[str, list[Any]] = {"x": [], "y": [], "symbol": [], "text": []}
    group = bins[0].kind.value
    for found in bins:
        span = found.drawn_span(log_scale)
        if span is None:
            continue  # only zeros: nothing of it has a place on a log axis
        middle = found.middle
        x = middle.isoformat() if middle else UNDATED_LANE
        low, high = span
        if low != high:
            bar_x += [x, x, None]
            bar_y += [float(low), float(high), None]
        text = f"<b>{escape_plotly(found.label())}</b><br>{escape_plotly(kind_label)}"
        text += f"<br>{escape_plotly(found.when())}"
        for value, symbol in _ends(found, low, high):
            points["x"].append(x)
            points["y"].append(float(value))
            points["symbol"].append(symbol)
            points["text"].append(text)
    traces = [line_trace(bar_x, bar_y, group, colour, axis, 6)] if bar_x else []
    traces.append(marker_trace(points, group, colour, axis, 11))
    return traces
