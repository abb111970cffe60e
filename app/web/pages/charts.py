"""Plotly figures as plain dicts, built from domain values; static/js/charts.js draws them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, Protocol

from app.domain.claim_comparison import ClaimFacts
from app.domain.claim_sides import Side as ComparedSide
from app.domain.claim_sides import SideComparison
from app.domain.comparisons import FigureGroup, make_group
from app.domain.figures import Bound, ClaimantKind, format_number
from app.domain.records import FigureRecord

SYMBOLS = {
    Bound.EXACT: "circle",
    Bound.APPROXIMATE: "circle-open",
    Bound.AT_LEAST: "triangle-up",
    Bound.AT_MOST: "triangle-down",
    Bound.RANGE: "line-ew",
}
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _hover(record: FigureRecord, placed: str) -> str:
    return (
        f"<b>{escape_plotly(record.value_label)}</b><br>{escape_plotly(record.claimant)}"
        f"<br>{escape_plotly(placed)}<br>figure #{record.id}"
    )


def escape_plotly(text: str) -> str:
    """Return text safe inside Plotly's small HTML subset (hover labels)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _axis_title(group: FigureGroup) -> str:
    first = group.records[0]
    return f"{first.currency} {first.unit}" if first.currency else first.unit


UNDATED_LANE = "date not stated"


def _drawn_values(record: FigureRecord) -> list[Decimal | None]:
    """Return the values a figure's marks sit at: both ends of a range, else its one value."""
    if record.bound is Bound.RANGE:
        return [record.low, record.high]
    return [record.low if record.low is not None else record.high]


def _line_trace(
    xs: list[str | None],
    ys: list[float | None],
    kind: ClaimantKind,
    colour: str,
    axis: str,
    width: int,
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "x": xs,
        "y": ys,
        "xaxis": axis,
        "line": {"color": colour, "width": width},
        "hoverinfo": "skip",
        "showlegend": False,
        "legendgroup": kind.value,
    }


def _kind_traces(
    placed: Sequence[tuple[FigureRecord, str, str]], kind: ClaimantKind, colour: str, axis: str
) -> list[dict[str, Any]]:
    """Return one claimant kind's marks on one x axis: ranges as bars, the rest as markers, and
    on the time axis a line across the whole span of a month, a year or a period."""
    range_x: list[str | None] = []
    range_y: list[float | None] = []
    span_x: list[str | None] = []
    span_y: list[float | None] = []
    points: dict[str, list[Any]] = {"x": [], "y": [], "symbol": [], "text": [], "id": []}
    for record, x, how in placed:
        values = _drawn_values(record)
        if record.bound is Bound.RANGE:
            range_x += [x, x, None]
            range_y += [_number(record.low), _number(record.high), None]
        span = record.facts.date_span if axis == "x" else None
        for value in values:
            if span is not None and span[0] != span[1]:
                span_x += [span[0].isoformat(), span[1].isoformat(), None]
                span_y += [_number(value), _number(value), None]
            points["x"].append(x)
            points["y"].append(_number(value))
            points["symbol"].append(SYMBOLS[record.bound])
            points["text"].append(_hover(record, how))
            points["id"].append(record.id)
    traces: list[dict[str, Any]] = []
    if range_x:
        traces.append(_line_trace(range_x, range_y, kind, colour, axis, 6))
    if span_x:
        traces.append(_line_trace(span_x, span_y, kind, colour, axis, 2))
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "legendgroup": kind.value,
            "showlegend": False,
            "xaxis": axis,
            "x": points["x"],
            "y": points["y"],
            "customdata": points["id"],
            "text": points["text"],
            "hovertemplate": "%{text}<extra></extra>",
            "marker": {
                "color": colour,
                "size": 13,
                "symbol": points["symbol"],
                "line": {"color": colour, "width": 2},
            },
        }
    )
    return traces


@dataclass(frozen=True)
class CurrencyChart:
    """One chart of a group's figures in one currency (None: not money)."""

    currency: str | None
    chart: dict[str, Any]


def estimates_charts(
    group: FigureGroup, colours: Mapping[str, str], labels: Mapping[str, str]
) -> list[CurrencyChart]:
    """Return a group's estimates charts: one per currency, so that amounts in different
    currencies never share an axis (docs/comparing.md rule 7); figures with no date in any of them."""
    currencies = sorted({record.currency or "" for record in group.records})
    found = []
    for currency in currencies:
        records = [record for record in group.records if (record.currency or "") == currency]
        chart = estimates_chart(
            group if len(currencies) == 1 else make_group(records), colours, labels
        )
        if chart is not None:
            found.append(CurrencyChart(currency or None, chart))
    return found


def estimates_chart(
    group: FigureGroup, colours: Mapping[str, str], labels: Mapping[str, str]
) -> dict[str, Any] | None:
    """Return every estimate against its date: ranges as bars, one-sided bounds as arrows, and
    figures that state no date in a lane of their own beside the time axis, never placed in time."""
    traces: list[dict[str, Any]] = []
    undated_count = 0
    for kind in ClaimantKind:
        records = [record for record in group.records if record.claimant_kind is kind]
        if not records:
            continue
        colour = colours.get(kind.value, "#444444")
        dated = [
            (record, placed[0].isoformat(), placed[1])
            for record in records
            if (placed := record.chart_date) is not None
        ]
        undated = [(r, UNDATED_LANE, UNDATED_LANE) for r in records if r.chart_date is None]
        undated_count += len(undated)
        traces.append(
            _legend_entry(escape_plotly(labels.get(kind.value, kind.value)), kind.value, colour)
        )
        if dated:
            traces += _kind_traces(dated, kind, colour, "x")
        if undated:
            traces += _kind_traces(undated, kind, colour, "x2")
    if not any(record.chart_date is not None for record in group.records):
        return None  # nothing to place in time: the table lists the figures
    time_end = 0.84 if undated_count else 1.0
    layout: dict[str, Any] = {
        "height": 340,
        "margin": {"l": 70, "r": 20, "t": 10, "b": 50},
        "font": FONT,
        "xaxis": {
            "type": "date",
            "domain": [0, time_end],
            "title": {"text": "date the figure holds for"},
            "range": _padded_date_range(group.records),
        },
        "yaxis": {
            "type": "log" if group.log_scale else "linear",
            **(log_ticks(_claimed_values(group.records)) if group.log_scale else {}),
            "title": {
                "text": escape_plotly(_axis_title(group))
                + (" (log scale)" if group.log_scale else "")
            },
            "rangemode": "tozero",
            "separatethousands": True,
        },
        "legend": {"orientation": "h", "y": -0.25},
        "hovermode": "closest",
    }
    if undated_count:
        layout["xaxis2"] = {
            "type": "category",
            "domain": [0.88, 1.0],
            "anchor": "y",
            "title": {"text": "no date"},
        }
    return {"data": traces, "layout": layout}


def log_ticks(values: Sequence[Decimal]) -> dict[str, Any]:
    """Return tick values 1-2-5 per decade across the values, labelled in full."""
    values = [value for value in values if value > 0]
    low, high = min(values) / 2, max(values) * 2
    ticks = [
        Decimal(step) * Decimal(10) ** exponent
        for exponent in range(-2, 13)
        for step in (1, 2, 5)
        if low <= Decimal(step) * Decimal(10) ** exponent <= high
    ]
    return {"tickvals": [float(t) for t in ticks], "ticktext": [format_number(t) for t in ticks]}


def _claimed_values(records: Sequence[FigureRecord]) -> list[Decimal]:
    return [value for r in records for value in (r.low, r.high) if value is not None]


def _legend_entry(name: str, group: str, colour: str) -> dict[str, Any]:
    """Return an empty trace whose legend entry is the claimant kind's colour, whatever its shapes."""
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "legendgroup": group,
        "x": [None],
        "y": [None],
        "marker": {"color": colour, "size": 12, "symbol": "square"},
        "hoverinfo": "skip",
    }


def _padded_date_range(records: Sequence[FigureRecord]) -> list[str]:
    """Return the time axis' range: every dated figure's date with a margin (two months at least)."""
    spans = [span for record in records if (span := record.facts.date_span)]
    dates = [day for span in spans for day in span]
    margin = max(timedelta(days=60), (max(dates) - min(dates)) / 12)
    return [(min(dates) - margin).isoformat(), (max(dates) + margin).isoformat()]


class _Sided(Protocol):
    @property
    def sides(self) -> tuple[SideComparison, ...]: ...


class _Compared(_Sided, Protocol):
    @property
    def area_name(self) -> str: ...


def _current_by_side(group: _Sided) -> dict[str, ClaimFacts]:
    """Return each side's current figure in a group (official sides and the independent side)."""
    current: dict[str, ClaimFacts] = {}
    for compared in group.sides:
        if compared.official is not None:
            current[compared.side.value] = compared.official
        if compared.independent is not None:
            current[ComparedSide.INDEPENDENT.value] = compared.independent
    return current


def official_vs_independent_charts(
    groups: Sequence[_Compared], colours: Mapping[str, str]
) -> list[CurrencyChart]:
    """Return the sides' chart once per currency their current figures are in (one chart when
    they are not money): amounts in different currencies never share an axis."""
    currencies = sorted(
        {facts.currency or "" for group in groups for facts in _current_by_side(group).values()}
    )
    found = []
    for currency in currencies:
        chart = official_vs_independent_chart(groups, colours, currency or None)
        if chart is not None:
            found.append(CurrencyChart(currency or None, chart))
    return found


def official_vs_independent_chart(
    groups: Sequence[_Compared], colours: Mapping[str, str], currency: str | None = None
) -> dict[str, Any] | None:
    """Return, per area, each side's current figure (its central value) in one currency (None:
    not money): official sides one by one and the independent side, never pooled."""
    rows = [
        (
            group.area_name,
            {
                side: facts
                for side, facts in _current_by_side(group).items()
                if facts.currency == currency
            },
        )
        for group in groups
    ]
    rows = [(name, current) for name, current in rows if current]
    if not rows:
        return None
    names = [name for name, _ in rows]
    values = [float(f.central) for _, current in rows for f in current.values() if f.central > 0]
    log = bool(values) and max(values) / min(values) > 10
    traces: list[dict[str, Any]] = []
    for side in ComparedSide:
        placed = [(name, current[side.value]) for name, current in rows if side.value in current]
        if not placed:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": escape_plotly(side.label),
                "x": [float(facts.central) for _, facts in placed],
                "y": [escape_plotly(name) for name, _ in placed],
                "text": [
                    escape_plotly(f"{side.label}: {facts.value_label}, {facts.date_label}")
                    for _, facts in placed
                ],
                "customdata": [facts.figure_id for _, facts in placed],
                "hovertemplate": "%{y}<br>%{text}<extra></extra>",
                "marker": {
                    "color": colours.get(side.value, "#444444"),
                    "size": 14,
                    "symbol": "diamond" if side is ComparedSide.INDEPENDENT else "circle",
                },
            }
        )
    return {
        "data": traces,
        "layout": {
            "height": 120 + 32 * len(rows),
            "margin": {"l": 160, "r": 20, "t": 10, "b": 40},
            "font": FONT,
            "xaxis": {
                "type": "log" if log else "linear",
                "separatethousands": True,
                "title": {
                    "text": "current figure of each side"
                    + (f", {currency}" if currency else "")
                    + (" (log scale)" if log else "")
                },
            },
            "yaxis": {
                "autorange": "reversed",
                "categoryorder": "array",
                "categoryarray": [escape_plotly(name) for name in names],
            },
            "legend": {"orientation": "h", "y": -0.2},
        },
    }
