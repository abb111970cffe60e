"""The part of a published figure that comparing and summarising a group of figures needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from app.domain.claim_comparison import ClaimFacts
from app.domain.dates import PartialDate, place_in_time
from app.domain.figures import Bound, ClaimantKind


@dataclass(frozen=True)
class DatedClaim:
    """The part of a published figure that a group summary needs: its claim and its dates.

    `own_date` and `sort_date` follow FigureRecord's properties of the same names.
    """

    facts: ClaimFacts
    own_date: date | None
    sort_date: date

    @property
    def id(self) -> int:
        """Return the figure's id."""
        return self.facts.figure_id

    @property
    def area_code(self) -> str:
        """Return the figure's area code."""
        return self.facts.area_code

    @property
    def metric_slug(self) -> str:
        """Return the figure's metric slug."""
        return self.facts.metric_slug

    @property
    def claimant_kind(self) -> ClaimantKind:
        """Return who speaks, relative to the war."""
        return self.facts.claimant_kind

    @property
    def low(self) -> Decimal | None:
        """Return the claim's lower end."""
        return self.facts.low

    @property
    def high(self) -> Decimal | None:
        """Return the claim's upper end."""
        return self.facts.high

    @property
    def bound(self) -> Bound:
        """Return what the numbers say of the true value."""
        return self.facts.bound

    @property
    def chart_date(self) -> tuple[date, str] | None:
        """Return where the figure sits on a time axis and why there (FigureRecord's rule)."""
        return place_in_time(self.facts.as_of, self.facts.period_start, self.facts.period_end)


def dated_claim(facts: ClaimFacts) -> DatedClaim:
    """Return a dated claim from its facts's facts (its own dates only place it in time)."""
    own = facts.as_of or facts.period_end or facts.period_start
    own_date = _midpoint(own) if own else None
    return DatedClaim(facts, own_date, own_date or date.min)


@lru_cache(maxsize=65_536)
def _midpoint(partial: PartialDate) -> date:
    return partial.midpoint()
