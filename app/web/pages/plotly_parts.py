"""Pieces every Plotly figure shares: the escaping of texts, the font, a plain line trace."""

from __future__ import annotations

from typing import Any

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


def escape_plotly(text: str) -> str:
    """Return text safe inside Plotly's small HTML subset (hover labels)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def line_trace(
    xs: list[str | None], ys: list[float | None], group: str, colour: str, axis: str, width: int
) -> dict[str, Any]:
    """Return lines with no hover and no legend entry of their own, in a legend group."""
    return {
        "type": "scatter",
        "mode": "lines",
        "x": xs,
        "y": ys,
        "xaxis": axis,
        "line": {"color": colour, "width": width},
        "hoverinfo": "skip",
        "showlegend": False,
        "legendgroup": group,
    }


def marker_trace(
    points: dict[str, list[Any]], group: str, colour: str, axis: str, size: int
) -> dict[str, Any]:
    """Return markers at points["x"] and ["y"] shaped by points["symbol"], hovered by
    points["text"] (no hover without it), and opening the figure points["id"] names when
    clicked (if given)."""
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "markers",
        "legendgroup": group,
        "showlegend": False,
        "xaxis": axis,
        "x": points["x"],
        "y": points["y"],
        "marker": {
            "color": colour,
            "size": size,
            "symbol": points["symbol"],
            "line": {"color": colour, "width": 2},
        },
    }
    if "text" in points:
        trace["text"] = points["text"]
        trace["hovertemplate"] = "%{text}<extra></extra>"
    else:
        trace["hoverinfo"] = "skip"
    if "id" in points:
        trace["customdata"] = points["id"]
    return trace
