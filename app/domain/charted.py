"""An area and metric's figures as an area page's section draws them: every figure's claim and
dates (not its texts: the section's table shows only the latest figures in full), with the
comparisons of the group's kept summary, so that the section is drawn without comparing again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from app.domain.claim_comparison import ClaimDisagreement, ClaimFacts
from app.domain.claim_sides import SideComparison
from app.domain.comparisons import GroupSummary
from app.domain.dates import place_in_time
from app.domain.figures import Bound, Claim, ClaimantKind, spread_needs_log_scale
from app.domain.records import compared_figure


class Drawable(Protocol):
    """What an estimates chart reads of a figure (a FigureRecord, a ChartedFigure)."""

    @property
    def id(self) -> int: ...
    @property
    def low(self) -> Decimal | None: ...
    @property
    def high(self) -> Decimal | None: ...
    @property
    def bound(self) -> Bound: ...
    @property
    def unit(self) -> str: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def claimant(self) -> str: ...
    @property
    def claimant_kind(self) -> ClaimantKind: ...
    @property
    def value_label(self) -> str: ...
    @property
    def claim(self) -> Claim: ...
    @property
    def chart_date(self) -> tuple[date, str] | None: ...
    @property
    def facts(self) -> ClaimFacts: ...


class DrawableGroup(Protocol):
    """What an estimates chart reads of a group (a FigureGroup, a ChartedGroup)."""

    @property
    def records(self) -> Sequence[Drawable]: ...
    @property
    def log_scale(self) -> bool: ...


@dataclass(frozen=True)
class Records:
    """Some of a group's figures with their own scale (a chart of one currency's figures)."""

    records: tuple[Drawable, ...]

    @property
    def log_scale(self) -> bool:
        """Return True when the figures' positive values span more than a factor of ten."""
        return spread_needs_log_scale([record.claim for record in self.records])


@dataclass(frozen=True)
class ChartedFigure:
    """A figure as a chart draws it: what FigureRecord offers a chart, read from its claim."""

    facts: ClaimFacts
    external_ref: str | None
    sort_date: date  # as FigureRecord's: the figure's own date, date.min when it has none
    chart_date: tuple[date, str] | None  # as FigureRecord's: where on a time axis, and why

    @property
    def id(self) -> int:
        """Return the figure's id."""
        return self.facts.figure_id

    @property
    def low(self) -> Decimal | None:
        """Return the claim's low end."""
        return self.facts.low

    @property
    def high(self) -> Decimal | None:
        """Return the claim's high end."""
        return self.facts.high

    @property
    def bound(self) -> Bound:
        """Return how the numbers bound the value."""
        return self.facts.bound

    @property
    def unit(self) -> str:
        """Return the unit."""
        return self.facts.unit

    @property
    def currency(self) -> str | None:
        """Return the currency (None when not money)."""
        return self.facts.currency

    @property
    def claimant(self) -> str:
        """Return who claims it."""
        return self.facts.claimant

    @property
    def claimant_kind(self) -> ClaimantKind:
        """Return the kind of claimant."""
        return self.facts.claimant_kind

    @property
    def value_label(self) -> str:
        """Return the numbers as claimed, with currency and unit."""
        return self.facts.value_label

    @property
    def claim(self) -> Claim:
        """Return the part of the figure that comparisons use."""
        facts = self.facts
        return Claim(
            facts.figure_id,
            facts.low,
            facts.high,
            facts.bound,
            facts.unit,
            facts.currency,
            facts.claimant_kind,
        )


@dataclass(frozen=True)
class ChartedGroup:
    """One area and metric's figures, ordered as FigureGroup orders them, with its comparisons."""

    area_code: str
    metric_slug: str
    records: tuple[ChartedFigure, ...]
    disagreement: ClaimDisagreement
    sides: tuple[SideComparison, ...]
    log_scale: bool


def charted_figure(facts: ClaimFacts, external_ref: str | None) -> ChartedFigure:
    """Return the figure as a chart draws it, placed in time as comparisons place it."""
    placed = place_in_time(facts.as_of, facts.period_start, facts.period_end)
    return ChartedFigure(facts, external_ref, compared_figure(facts).sort_date, placed)


def charted_group(figures: Sequence[ChartedFigure], summary: GroupSummary) -> ChartedGroup:
    """Return the group of figures (all of one area and metric, the summary's) by date then id."""
    records = tuple(sorted(figures, key=lambda figure: (figure.sort_date, figure.id)))
    return ChartedGroup(
        area_code=summary.area_code,
        metric_slug=summary.metric_slug,
        records=records,
        disagreement=summary.disagreement,
        sides=summary.sides,
        log_scale=spread_needs_log_scale([record.claim for record in records]),
    )
