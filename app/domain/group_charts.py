"""What an area page's section draws and lists of one group's figures, beyond its summary.

A section lists the group's latest SECTION_TABLE_ROWS figures and names its first
UNDATED_LISTED figures that state no date (every figure is on the group's paged list). Its chart
draws each currency apart (docs/comparing.md rule 7): every figure while they fit the page's
marks, else bins (app/domain/chart_bins.py). A GroupChart holds all of this computed from the
group's figures: kept beside the group's summary (app/queries/summaries.py), it lets a page
with a large group read a few hundred bins and the few figures it lists, never every figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar

from app.domain.chart_bins import (
    PERIODS,
    Chartable,
    ChartBins,
    bin_figures,
    finest_period,
    share_marks,
)
from app.domain.claim_comparison import ClaimFacts

# Kept with each group: changing either means changing SUMMARY_FORMAT (app/domain/summary_text.py).
SECTION_TABLE_ROWS = 20
UNDATED_LISTED = 20


class ChartFigure(Chartable, Protocol):
    """What a group chart reads of a figure (a FigureRecord, a DatedClaim)."""

    @property
    def id(self) -> int: ...

    @property
    def facts(self) -> ClaimFacts: ...


@dataclass(frozen=True)
class ChartPart:
    """A group's figures in one currency (None: not money), as their chart is laid out: how many,
    their scale and span, and (in a kept GroupChart) their bins at every period."""

    currency: str | None
    unit: str  # the unit of the part's first figure, which the axis is titled with
    figure_count: int
    dated_count: int
    log_scale: bool
    date_span: tuple[date, date] | None  # the first and last day the dated figures cover
    positive_values: tuple[Decimal, Decimal] | None  # the lowest and highest positive numbers
    bins: Sequence[ChartBins] = ()  # one per period of PERIODS, when computed
    mark_counts: tuple[int, ...] = ()  # the number of marks of each of them

    @property
    def has_undated(self) -> bool:
        """Return whether some of the part's figures state no date."""
        return self.dated_count < self.figure_count

    @property
    def marks_wanted(self) -> int:
        """Return how many marks the part's chart draws with every figure (none without a date:
        a part with no dated figure has no chart)."""
        return self.figure_count if self.dated_count else 0

    def binned(self, mark_limit: int) -> ChartBins | None:
        """Return the bins of the finest period that fits mark_limit (a year when none does), or
        None when every figure fits."""
        if self.figure_count <= mark_limit:
            return None
        assert self.bins, "a part drawn in bins has its bins"
        period = finest_period(lambda at: self.mark_counts[PERIODS.index(at)], mark_limit)
        return self.bins[PERIODS.index(period)]


@dataclass(frozen=True)
class GroupChart:
    """What an area page's section shows of a group besides its summary."""

    listed_ids: tuple[int, ...]  # the latest SECTION_TABLE_ROWS figures, in the group's order
    undated_ids: tuple[int, ...]  # the first UNDATED_LISTED figures that state no date
    undated_count: int
    parts: tuple[ChartPart, ...]  # one per currency, in currency order (none first)

    @property
    def figure_count(self) -> int:
        """Return how many figures the group has."""
        return sum(part.figure_count for part in self.parts)

    @property
    def log_scale(self) -> bool:
        """Return whether the positive numbers of all the group's figures span more than a
        factor of ten (as FigureGroup.log_scale says of the same figures)."""
        spans = [part.positive_values for part in self.parts if part.positive_values]
        if not spans:
            return False
        return max(high for _low, high in spans) / min(low for low, _high in spans) > 10


FigureT = TypeVar("FigureT", bound=ChartFigure)


def in_group_order(figures: Sequence[FigureT]) -> list[FigureT]:
    """Return the figures as a group orders them: by date (undated first), then id."""
    return sorted(
        figures, key=lambda f: (placed[0] if (placed := f.chart_date) else date.min, f.id)
    )


def chart_part(figures: Sequence[ChartFigure], *, with_bins: bool) -> ChartPart:
    """Return the chart layout of figures of one currency (at least one, in the group's order),
    with their bins at every period when with_bins."""
    first = figures[0]
    bins = tuple(bin_figures(figures, period) for period in PERIODS) if with_bins else ()
    spans = [span for figure in figures if (span := figure.facts.date_span)]
    values = [
        value
        for figure in figures
        for value in (figure.low, figure.high)
        if value is not None and value > 0
    ]
    return ChartPart(
        currency=first.facts.currency,
        unit=first.facts.unit,
        figure_count=len(figures),
        dated_count=sum(1 for figure in figures if figure.chart_date is not None),
        log_scale=bool(values) and max(values) / min(values) > 10,
        date_span=(min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None,
        positive_values=(min(values), max(values)) if values else None,
        bins=bins,
        mark_counts=tuple(binned.mark_count for binned in bins),
    )


def by_currency(figures: Sequence[FigureT]) -> list[list[FigureT]]:
    """Return the figures per currency (none first, then by code), each in the given order."""
    currencies = sorted({figure.facts.currency or "" for figure in figures})
    return [[f for f in figures if (f.facts.currency or "") == c] for c in currencies]


def group_chart(figures: Sequence[ChartFigure]) -> GroupChart:
    """Return what an area page's section shows of a group's figures (at least one)."""
    ordered = in_group_order(figures)
    undated = [figure.id for figure in ordered if figure.chart_date is None]
    return GroupChart(
        listed_ids=tuple(figure.id for figure in ordered[-SECTION_TABLE_ROWS:]),
        undated_ids=tuple(undated[:UNDATED_LISTED]),
        undated_count=len(undated),
        parts=tuple(chart_part(part, with_bins=True) for part in by_currency(ordered)),
    )


def part_shares(charts: Sequence[GroupChart], mark_limit: int) -> list[tuple[int, ...]]:
    """Return each group's parts' shares of a page's mark_limit (share_marks over every part of
    every group, in order): a part drawn with every figure gets at least its figure count."""
    wanted = [part.marks_wanted for chart in charts for part in chart.parts]
    shares = iter(share_marks(wanted, mark_limit))
    return [tuple(next(shares) for _ in chart.parts) for chart in charts]


def draws_figures(chart: GroupChart, shares: Sequence[int]) -> bool:
    """Return whether one of the group's charts draws its figures one by one (they fit its
    share), which it needs the group's figures for."""
    return any(
        share >= part.figure_count
        for part, share in zip(chart.parts, shares, strict=True)
        if part.marks_wanted
    )
