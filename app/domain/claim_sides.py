"""Sides: each government's current figure against independent sources, never pooled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.claim_comparison import ClaimFacts, measure_mismatch, reason_text, unique_by_id
from app.domain.figures import ClaimantKind


class Side(StrEnum):
    """A government that speaks about the war, or the independent sources set against it."""

    OFFICIAL_RUSSIA = "official_russia"
    OFFICIAL_UKRAINE = "official_ukraine"
    OFFICIAL_ORIGIN = "official_origin"
    OFFICIAL_THIRD = "official_third"
    INDEPENDENT = "independent"

    @property
    def label(self) -> str:
        """Return the side's name for reading."""
        return SIDE_LABELS[self]


SIDE_LABELS: dict[Side, str] = {
    Side.OFFICIAL_RUSSIA: "Russian authorities",
    Side.OFFICIAL_UKRAINE: "Ukrainian authorities",
    Side.OFFICIAL_ORIGIN: "Home government",
    Side.OFFICIAL_THIRD: "Other governments",
    Side.INDEPENDENT: "Independent sources",
}
OFFICIAL_SIDES: tuple[Side, ...] = tuple(side for side in Side if side is not Side.INDEPENDENT)
_SIDE_OF_KIND: dict[ClaimantKind, Side] = {ClaimantKind(side.value): side for side in Side}


def side_of(kind: ClaimantKind) -> Side | None:
    """Return the side a claimant kind speaks for; None for media, testimony and unknown."""
    return _SIDE_OF_KIND.get(kind)


@dataclass(frozen=True)
class SideComparison:
    """One official side's current figure against the independent side's, and their ratio."""

    side: Side
    official: ClaimFacts | None
    independent: ClaimFacts | None
    ratio: Decimal | None
    higher: str | None  # "official", "independent", or None when equal or not compared
    reason: str  # why there is no ratio; "" when there is one


def latest_dated(claims: Iterable[ClaimFacts], side: Side) -> ClaimFacts | None:
    """Return the side's latest dated claim (by the span's last day, then id), or None."""
    dated = [c for c in claims if c.is_dated and side_of(c.claimant_kind) is side]
    return max(dated, key=lambda claim: claim.recency, default=None)


def _compare_side(side: Side, official: ClaimFacts, other: ClaimFacts | None) -> SideComparison:
    """Return the ratio of the larger central value to the smaller, or why there is none."""
    if other is None:
        return SideComparison(side, official, None, None, None, "no dated independent figure")
    mismatch = measure_mismatch(official, other)
    ours, theirs = official.central, other.central
    if mismatch is not None or min(ours, theirs) == 0:
        reason = "a central value is zero"
        if mismatch is not None:
            reason = reason_text(mismatch, (official, other), group=False)
        return SideComparison(side, official, other, None, None, reason)
    higher = None if ours == theirs else ("official" if ours > theirs else "independent")
    return SideComparison(side, official, other, max(ours, theirs) / min(ours, theirs), higher, "")


def side_comparisons(claims: Sequence[ClaimFacts]) -> list[SideComparison]:
    """Return each official side with a dated claim against the independent side, in side order."""
    unique = unique_by_id(claims)
    independent = latest_dated(unique, Side.INDEPENDENT)
    return [
        _compare_side(side, official, independent)
        for side in OFFICIAL_SIDES
        if (official := latest_dated(unique, side)) is not None
    ]


@dataclass(frozen=True)
class CurrentEstimate:
    """The figure a map colours an area by: the independent side's current figure, else the
    latest dated government figure, with the side it speaks for."""

    side: Side
    facts: ClaimFacts


def current_estimate(claims: Sequence[ClaimFacts]) -> CurrentEstimate | None:
    """Return the independent side's current figure, else the latest dated government figure."""
    unique = unique_by_id(claims)
    independent = latest_dated(unique, Side.INDEPENDENT)
    if independent is not None:
        return CurrentEstimate(Side.INDEPENDENT, independent)
    officials = [
        CurrentEstimate(side, found)
        for side in OFFICIAL_SIDES
        if (found := latest_dated(unique, side)) is not None
    ]
    return max(officials, key=lambda estimate: estimate.facts.recency, default=None)
