"""A figure with its source, as every page, chart and export reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from app.domain.dates import PartialDate
from app.domain.figures import Bound, Claim, ClaimantKind, format_claim_value


@dataclass(frozen=True)
class FigureRecord:
    """One figure joined with its area, metric and source: plain values, no database objects."""

    id: int
    area_code: str
    area_name: str
    area_kind: str
    metric_slug: str
    metric_label: str
    low: Decimal | None
    high: Decimal | None
    bound: Bound
    qualifier: str
    unit: str
    currency: str | None
    counted_as: str
    as_of: PartialDate | None
    period_start: PartialDate | None
    period_end: PartialDate | None
    claimant: str
    claimant_kind: ClaimantKind
    quote: str
    notes: str
    status: str
    external_ref: str | None
    source_id: int
    source_url: str
    source_publisher: str
    source_title: str
    source_published: PartialDate | None

    @property
    def area_path(self) -> str:
        """Return the address of the figure's area page."""
        section = "countries" if self.area_kind == "country" else "regions"
        return f"/{section}/{self.area_code}"

    @property
    def claim(self) -> Claim:
        """Return the part of the figure that comparisons use."""
        return Claim(
            self.id, self.low, self.high, self.bound, self.unit, self.currency, self.claimant_kind
        )

    @property
    def value_label(self) -> str:
        """Return the numbers as claimed, with currency and unit: at least 18,000 persons."""
        value = format_claim_value(self.low, self.high, self.bound)
        if self.currency:
            return f"{value} {self.currency} {self.unit}"
        return f"{value} {self.unit}"

    @property
    def date_label(self) -> str:
        """Return when the figure holds: as of a date, over a period, or 'not stated'."""
        parts: list[str] = []
        if self.period_start or self.period_end:
            start = self.period_start.label() if self.period_start else "?"
            end = self.period_end.label() if self.period_end else "?"
            parts.append(start if start == end else f"{start} – {end}")
        if self.as_of:
            parts.append(f"as of {self.as_of.label()}")
        return ", ".join(parts) if parts else "not stated"

    @property
    def chart_date(self) -> tuple[date, str] | None:
        """Return where the figure sits on a time axis and why there, or None when nothing is dated."""
        if self.as_of:
            return self.as_of.midpoint(), f"as of {self.as_of.label()}"
        if self.period_end:
            return self.period_end.midpoint(), f"end of period, {self.period_end.label()}"
        if self.period_start:
            return self.period_start.midpoint(), f"start of period, {self.period_start.label()}"
        if self.source_published:
            return (
                self.source_published.midpoint(),
                f"date not stated; placed at the source's date, {self.source_published.label()}",
            )
        return None

    @property
    def own_date(self) -> date | None:
        """Return the date the figure itself states (as of, else its period's end or start)."""
        partial = self.as_of or self.period_end or self.period_start
        return partial.midpoint() if partial else None

    @property
    def sort_date(self) -> date:
        """Return a date for ordering figures, undated ones first."""
        placed = self.chart_date
        return placed[0] if placed else date.min


@dataclass(frozen=True)
class ComparedFigure:
    """The part of a published figure that a group summary needs: its claim and its dates.

    `own_date` and `sort_date` follow FigureRecord's properties of the same names.
    """

    claim: Claim
    area_code: str
    metric_slug: str
    own_date: date | None
    sort_date: date

    @property
    def id(self) -> int:
        """Return the figure's id."""
        return self.claim.figure_id


def compared_figure(
    claim: Claim,
    area_code: str,
    metric_slug: str,
    dates: tuple[PartialDate | None, PartialDate | None, PartialDate | None, PartialDate | None],
) -> ComparedFigure:
    """Return a compared figure from its claim and its as-of, period end, period start and source dates."""
    as_of, period_end, period_start, source_published = dates
    own = as_of or period_end or period_start
    own_date = _midpoint(own) if own else None
    placed = own or source_published
    return ComparedFigure(
        claim, area_code, metric_slug, own_date, _midpoint(placed) if placed else date.min
    )


@lru_cache(maxsize=65_536)
def _midpoint(partial: PartialDate) -> date:
    return partial.midpoint()
