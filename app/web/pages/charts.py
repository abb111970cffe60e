"""Plotly figures as plain dicts, built from domain values; static/js/charts.js draws them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

from app.domain.chart_bins import CHART_MARK_LIMIT, ChartBins, chart_bins
from app.domain.claim_comparison import ClaimFacts
from app.domain.claim_sides import Side as ClaimSide
from app.domain.claim_sides import SideComparison
from app.domain.comparisons import FigureGroup
from app.domain.figures import Bound, ClaimantKind, format_number
from app.domain.group_charts import ChartPart, GroupChart, by_currency, chart_part, part_shares
from app.domain.records import FigureRecord
from app.web.pages.binned_chart import UNDATED_LANE, bin_traces
from app.web.pages.plotly_parts import FONT, line_trace, marker_trace
from app.web.pages.plotly_parts import escape_plotly as escape_plotly  # imported from here too

SYMBOLS = {
    Bound.EXACT: "circle",
    Bound.APPROXIMATE: "circle-open",
    Bound.AT_LEAST: "triangle-up",
    Bound.AT_MOST: "triangle-down",
    Bound.RANGE: "line-ew",
}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _hover(record: FigureRecord, placed: str) -> str:
    return (
        f"<b>{escape_plotly(record.value_label)}</b><br>{escape_plotly(record.claimant)}"
        f"<br>{escape_plotly(placed)}<br>figure #{record.id}"
    )


def _drawn_values(record: FigureRecord) -> list[Decimal | None]:
    """Return the values a figure's marks sit at: both ends of a range, else its one value."""
    if record.bound is Bound.RANGE:
        return [record.low, record.high]
    return [record.low if record.low is not None else record.high]


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
        traces.append(line_trace(range_x, range_y, kind.value, colour, axis, 6))
    if span_x:
        traces.append(line_trace(span_x, span_y, kind.value, colour, axis, 2))
    traces.append(marker_trace(points, kind.value, colour, axis, 13))
    return traces


@dataclass(frozen=True)
class CurrencyChart:
    """One chart of a group's figures in one currency (None: not money), and its bins when it
    draws bins instead of figures."""

    currency: str | None
    chart: dict[str, Any]
    binned: ChartBins | None = None


def page_estimates_charts(
    groups: Sequence[tuple[GroupChart, Sequence[FigureRecord] | None]],
    colours: Mapping[str, str],
    labels: Mapping[str, str],
    mark_limit: int = CHART_MARK_LIMIT,
) -> list[list[CurrencyChart]]:
    """Return each group's estimates charts, one per currency; together they draw about
    mark_limit marks at most: a chart whose figures exceed its share draws bins instead.

    Each group comes as its chart (app/domain/group_charts.py) and every one of its figures, in
    the group's order, or None when only its bins are at hand: a chart drawing every figure
    needs them (app/web/pages/data.py loads them for the groups drawn in full)."""
    shares = part_shares([chart for chart, _records in groups], mark_limit)
    found: list[list[CurrencyChart]] = []
    for (chart, records), group_shares in zip(groups, shares, strict=True):
        split = by_currency(records) if records is not None else [None] * len(chart.parts)
        drawn = (
            _drawing(part, part_records, share, colours, labels)
            for part, part_records, share in zip(chart.parts, split, group_shares, strict=True)
        )
        found.append([chart for chart in drawn if chart is not None])
    return found


def estimates_charts(
    group: FigureGroup,
    colours: Mapping[str, str],
    labels: Mapping[str, str],
    mark_limit: int = CHART_MARK_LIMIT,
) -> list[CurrencyChart]:
    """Return a group's estimates charts: one per currency (docs/comparing.md rule 7)."""
    parts = tuple(chart_part(part, with_bins=False) for part in by_currency(group.records))
    chart = GroupChart(listed_ids=(), undated_ids=(), undated_count=0, parts=parts)
    return page_estimates_charts([(chart, group.records)], colours, labels, mark_limit)[0]


def estimates_chart(
    group: FigureGroup, colours: Mapping[str, str], labels: Mapping[str, str]
) -> dict[str, Any] | None:
    """Return the chart of a group's estimates (see estimates_drawing) as Plotly's figure."""
    drawn = estimates_drawing(group, colours, labels)
    return drawn.chart if drawn is not None else None


def estimates_drawing(
    group: FigureGroup,
    colours: Mapping[str, str],
    labels: Mapping[str, str],
    mark_limit: int = CHART_MARK_LIMIT,
) -> CurrencyChart | None:
    """Return every estimate of a group (of one currency) against its date: see _drawing."""
    part = chart_part(group.records, with_bins=False)
    return _drawing(part, group.records, mark_limit, colours, labels)


def _drawing(
    part: ChartPart,
    records: Sequence[FigureRecord] | None,
    mark_limit: int,
    colours: Mapping[str, str],
    labels: Mapping[str, str],
) -> CurrencyChart | None:
    """Return every estimate against its date: ranges as bars, one-sided bounds as arrows, and
    figures that state no date in a lane of their own beside the time axis, never placed in time.
    Beyond mark_limit figures, it draws bins per claimant kind and period instead (chart_bins):
    from the figures when given, else the part's own."""
    if not part.dated_count:
        return None  # nothing to place in time: the table lists the figures
    binned = chart_bins(records, mark_limit) if records is not None else part.binned(mark_limit)
    traces: list[dict[str, Any]] = []
    for kind in ClaimantKind:
        colour = colours.get(kind.value, "#444444")
        label = labels.get(kind.value, kind.value)
        if binned is not None:
            mine_by_axis = [
                (axis, [found for found in bins if found.kind is kind])
                for axis, bins in (("x", binned.dated), ("x2", binned.undated))
            ]
            if not any(mine for _axis, mine in mine_by_axis):
                continue
            traces.append(_legend_entry(escape_plotly(label), kind.value, colour))
            for axis, mine in mine_by_axis:
                if mine:
                    traces += bin_traces(mine, label, colour, axis, part.log_scale)
            continue
        assert records is not None, "a chart drawing every figure has them"
        of_kind = [record for record in records if record.claimant_kind is kind]
        if not of_kind:
            continue
        traces.append(_legend_entry(escape_plotly(label), kind.value, colour))
        dated = [
            (record, placed[0].isoformat(), placed[1])
            for record in of_kind
            if (placed := record.chart_date) is not None
        ]
        undated = [(r, UNDATED_LANE, UNDATED_LANE) for r in of_kind if r.chart_date is None]
        if dated:
            traces += _kind_traces(dated, kind, colour, "x")
        if undated:
            traces += _kind_traces(undated, kind, colour, "x2")
    layout = _estimates_layout(part, binned)
    return CurrencyChart(part.currency, {"data": traces, "layout": layout}, binned)


def _estimates_layout(part: ChartPart, binned: ChartBins | None) -> dict[str, Any]:
    axis_title = f"{part.currency} {part.unit}" if part.currency else part.unit
    layout: dict[str, Any] = {
        "height": 340,
        "margin": {"l": 70, "r": 20, "t": 40 if binned else 10, "b": 50},
        "font": FONT,
        "xaxis": {
            "type": "date",
            "domain": [0, 0.84 if part.has_undated else 1.0],
            "title": {"text": "date the figure holds for"},
            "range": _padded_date_range(part.date_span),
        },
        "yaxis": {
            "type": "log" if part.log_scale else "linear",
            **(log_ticks(part.positive_values or ()) if part.log_scale else {}),
            "title": {
                "text": escape_plotly(axis_title) + (" (log scale)" if part.log_scale else "")
            },
            "rangemode": "tozero",
            "separatethousands": True,
        },
        "legend": {"orientation": "h", "y": -0.25},
        "hovermode": "closest",
    }
    if binned:
        layout["title"] = {"text": escape_plotly(binned.describe()), "font": {"size": 12}}
    if part.has_undated:
        layout["xaxis2"] = {
            "type": "category",
            "domain": [0.88, 1.0],
            "anchor": "y",
            "title": {"text": "no date"},
        }
    return layout


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


def _padded_date_range(span: tuple[date, date] | None) -> list[str]:
    """Return the time axis' range: the dated figures' first and last day with a margin (two
    months at least)."""
    assert span is not None, "a chart has dated figures"
    first, last = span
    margin = max(timedelta(days=60), (last - first) / 12)
    return [(first - margin).isoformat(), (last + margin).isoformat()]


class _Sided(Protocol):
    @property
    def sides(self) -> tuple[SideComparison, ...]: ...


class _SidedGroup(_Sided, Protocol):
    @property
    def area_name(self) -> str: ...


def _current_by_side(group: _Sided) -> dict[str, ClaimFacts]:
    """Return each side's current figure in a group (official sides and the independent side)."""
    current: dict[str, ClaimFacts] = {}
    for compared in group.sides:
        if compared.official is not None:
            current[compared.side.value] = compared.official
        if compared.independent is not None:
            current[ClaimSide.INDEPENDENT.value] = compared.independent
    return current


def official_vs_independent_charts(
    groups: Sequence[_SidedGroup], colours: Mapping[str, str]
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
    groups: Sequence[_SidedGroup], colours: Mapping[str, str], currency: str | None = None
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
    for side in ClaimSide:
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
                    "symbol": "diamond" if side is ClaimSide.INDEPENDENT else "circle",
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
