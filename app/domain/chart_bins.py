"""Per-period bins of a chart's figures, so that a chart's weight does not grow with the table.

A chart draws every figure while its marks (one per figure) fit the limit it is given. Beyond
that it draws, per claimant kind and period, one bin: how many figures it holds and the span of
the numbers they state. The period is the finest of a month, a quarter and a year whose bins fit
the limit (a year when none does). Every figure stays in the tables, the API and the downloads.

What a bin's span means (docs/comparing.md reads a claim as an interval):
- A bin runs from the lowest number any of its figures states to the highest. A range counts
  both its low end and its high end; an exact or approximate figure its one value; an "at least"
  figure its lower bound, an "at most" figure its upper bound.
- A one-sided bound claims beyond the number it states: "at least 500" allows any value above
  500, "at most 500" any value down to zero. A bin holding one is therefore open on that side
  (the chart draws ▲ at its top, ▼ at its bottom, as it draws those bounds one by one), and its
  label says how many of its figures are one-sided: its span is that of the numbers stated, never
  a claim that the true value lies within it.
- A figure sits in the period of the date the full chart would place it at (a month, a year or a
  period stated as its span sits at its middle), so binning never moves a figure in time.
- Figures that state no date are never put in a period: they are summed up per claimant kind in
  the chart's own "no date" lane.
- On a log scale a bin's drawn span starts at its lowest positive number (zero has no place on a
  log axis); its label still gives the lowest number stated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from app.domain.figures import Bound, ClaimantKind, format_number

# A page's charts together draw at most about this many marks (a figure, or a bin); a page with
# one chart gives it all of them (app/web/pages/builders.py shares them among a page's charts).
CHART_MARK_LIMIT = 2_000


class Period(StrEnum):
    """The span of time a bin covers."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def adjective(self) -> str:
        """Return the period as an adjective: monthly, quarterly, yearly."""
        return {"month": "monthly", "quarter": "quarterly", "year": "yearly"}[self.value]

    @property
    def months(self) -> int:
        """Return how many months the period covers."""
        return {"month": 1, "quarter": 3, "year": 12}[self.value]


PERIODS = (Period.MONTH, Period.QUARTER, Period.YEAR)  # finest first


class Chartable(Protocol):
    """What binning reads of a figure (a FigureRecord)."""

    @property
    def claimant_kind(self) -> ClaimantKind: ...

    @property
    def chart_date(self) -> tuple[date, str] | None: ...

    @property
    def low(self) -> Decimal | None: ...

    @property
    def high(self) -> Decimal | None: ...

    @property
    def bound(self) -> Bound: ...


def _stated_low(figure: Chartable) -> Decimal:
    """Return the lowest number a figure states (an "at most" figure's upper bound: its only one)."""
    value = figure.low if figure.low is not None else figure.high
    assert value is not None, "a figure states a number"
    return value


def _stated_high(figure: Chartable) -> Decimal:
    """Return the highest number a figure states (an "at least" figure's lower bound)."""
    value = figure.high if figure.high is not None else figure.low
    assert value is not None, "a figure states a number"
    return value


def period_start(day: date, period: Period) -> date:
    """Return the first day of the month, quarter or year holding a day."""
    first_month = (day.month - 1) // period.months * period.months + 1
    return date(day.year, first_month, 1)


def period_end(start: date, period: Period) -> date:
    """Return the last day of the period starting on a day period_start returned."""
    month_index = start.year * 12 + start.month - 1 + period.months
    return date(month_index // 12, month_index % 12 + 1, 1) - timedelta(days=1)


def period_label(start: date, period: Period) -> str:
    """Return a period's name for reading: March 2024, Q1 2024, 2024."""
    if period is Period.MONTH:
        return start.strftime("%B %Y")
    if period is Period.QUARTER:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


@dataclass(frozen=True)
class FigureBin:
    """One claimant kind's figures in one period (or, with no period, those that state no date)."""

    kind: ClaimantKind
    period: Period | None
    start: date | None
    count: int
    lowest: Decimal
    highest: Decimal
    lowest_positive: Decimal | None
    at_least: int
    at_most: int
    ranges: int

    @property
    def open_above(self) -> bool:
        """Return whether a figure in the bin claims values above the numbers stated."""
        return self.at_least > 0

    @property
    def open_below(self) -> bool:
        """Return whether a figure in the bin claims values below the numbers stated."""
        return self.at_most > 0

    @property
    def middle(self) -> date | None:
        """Return the middle day of the bin's period (None for the no-date lane)."""
        if self.period is None or self.start is None:
            return None
        return self.start + (period_end(self.start, self.period) - self.start) // 2

    def drawn_span(self, log_scale: bool) -> tuple[Decimal, Decimal] | None:
        """Return the numbers the bin is drawn between; on a log scale from its lowest positive
        number (None when it has none: nothing of it can be drawn on a log axis)."""
        if not log_scale:
            return self.lowest, self.highest
        if self.lowest_positive is None:
            return None
        return self.lowest_positive, self.highest

    def when(self) -> str:
        """Return the bin's period for reading, or that its figures state no date."""
        if self.period is None or self.start is None:
            return "no date stated"
        return period_label(self.start, self.period)

    def label(self) -> str:
        """Return what the bin holds: "12 figures, from 200 to 15,000" and its one-sided bounds."""
        noun = "figure" if self.count == 1 else "figures"
        if self.lowest == self.highest:
            text = f"{self.count:,} {noun}, at {format_number(self.lowest)}"
        else:
            text = (
                f"{self.count:,} {noun}, from {format_number(self.lowest)}"
                f" to {format_number(self.highest)}"
            )
        notes = [
            f"{count:,} {what}"
            for count, what in (
                (self.ranges, "range" + ("s" if self.ranges > 1 else "") + " (both ends counted)"),
                (self.at_least, '"at least" (may be higher)'),
                (self.at_most, '"at most" (may be lower)'),
            )
            if count
        ]
        return text + (f"; of them {', '.join(notes)}" if notes else "")


def make_bin(
    kind: ClaimantKind, period: Period | None, start: date | None, figures: Sequence[Chartable]
) -> FigureBin:
    """Return the bin of figures of one kind and period (period None: figures with no date)."""
    lows = [_stated_low(figure) for figure in figures]
    highs = [_stated_high(figure) for figure in figures]
    positive = [value for value in (*lows, *highs) if value > 0]
    bounds = [figure.bound for figure in figures]
    return FigureBin(
        kind=kind,
        period=period,
        start=start,
        count=len(figures),
        lowest=min(lows),
        highest=max(highs),
        lowest_positive=min(positive) if positive else None,
        at_least=bounds.count(Bound.AT_LEAST),
        at_most=bounds.count(Bound.AT_MOST),
        ranges=bounds.count(Bound.RANGE),
    )


@dataclass(frozen=True)
class ChartBins:
    """A chart's figures in bins: per kind and period, and per kind those with no date."""

    period: Period
    figure_count: int
    dated: tuple[FigureBin, ...]
    undated: tuple[FigureBin, ...]

    @property
    def mark_count(self) -> int:
        """Return how many marks the binned chart draws: one per bin."""
        return len(self.dated) + len(self.undated)

    def describe(self) -> str:
        """Return what the chart shows, for its title and the page."""
        noun = "figure" if self.figure_count == 1 else "figures"
        bins = "bin" if len(self.dated) == 1 else "bins"
        text = (
            f"This chart shows {self.figure_count:,} {noun} in {len(self.dated):,}"
            f" {self.period.adjective} {bins} per claimant kind"
        )
        undated = sum(found.count for found in self.undated)
        if undated:
            text += f" (and {undated:,} with no date, one mark per claimant kind)"
        return text

    def how_to_read(self) -> str:
        """Return how to read the binned chart, for its caption."""
        return (
            f"the figures in {self.period.adjective} bins per claimant kind, coloured by who"
            " claims them. Each bar runs from the lowest number its figures state to the highest"
            " (both ends of a range count); ▲ on top: some of them say at least, so the claims"
            " reach higher; ▼ at the bottom: some say at most"
        )


def bin_figures(figures: Sequence[Chartable], period: Period) -> ChartBins:
    """Return the figures in bins per claimant kind and period; undated figures per kind only."""
    dated: dict[tuple[ClaimantKind, date], list[Chartable]] = defaultdict(list)
    undated: dict[ClaimantKind, list[Chartable]] = defaultdict(list)
    for figure in figures:
        placed = figure.chart_date
        if placed is None:
            undated[figure.claimant_kind].append(figure)
        else:
            dated[(figure.claimant_kind, period_start(placed[0], period))].append(figure)
    kinds = list(ClaimantKind)
    return ChartBins(
        period=period,
        figure_count=len(figures),
        dated=tuple(
            make_bin(kind, period, start, dated[(kind, start)])
            for kind, start in sorted(dated, key=lambda key: (kinds.index(key[0]), key[1]))
        ),
        undated=tuple(
            make_bin(kind, None, None, undated[kind]) for kind in kinds if kind in undated
        ),
    )


def chart_bins(figures: Sequence[Chartable], mark_limit: int) -> ChartBins | None:
    """Return the figures in bins of the finest period whose bins fit mark_limit (yearly when none
    does), or None when every figure fits: one mark per figure."""
    if len(figures) <= mark_limit:
        return None
    binned: dict[Period, ChartBins] = {}

    def bins_at(period: Period) -> ChartBins:
        if period not in binned:
            binned[period] = bin_figures(figures, period)
        return binned[period]

    return bins_at(finest_period(lambda period: bins_at(period).mark_count, mark_limit))


def finest_period(mark_count_at: Callable[[Period], int], mark_limit: int) -> Period:
    """Return the finest period (of PERIODS) whose bins' marks fit mark_limit, a year when none
    does; mark_count_at gives the number of marks of the bins at a period."""
    for period in PERIODS[:-1]:
        if mark_count_at(period) <= mark_limit:
            return period
    return PERIODS[-1]


def share_marks(wanted: Sequence[int], budget: int) -> list[int]:
    """Return each chart's share of a page's marks: a chart that wants no more than an equal share
    of what is left gets all it wants, and the others share the rest equally (at least one each)."""
    shares = [0] * len(wanted)
    left = budget
    waiting = sorted(range(len(wanted)), key=lambda index: wanted[index])
    while waiting:
        equal = max(left // len(waiting), 1)
        index = waiting[0]
        if wanted[index] > equal:
            for index in waiting:
                shares[index] = equal
            break
        shares[index] = wanted[index]
        left -= wanted[index]
        waiting.pop(0)
    return shares
