"""Figures as claims: bounds and their invariants, central values, disagreement between claims."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

MAX_IDENTIFIER = 2**31 - 1  # the largest id both databases store (a 32-bit integer key)


def parse_identifier(text: str) -> int:
    """Return the numeric id written in an address, or 0 (which matches nothing) when the text is
    not ASCII digits of a storable id."""
    if text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= MAX_IDENTIFIER:
        return int(text)
    return 0


class Bound(StrEnum):
    """What a figure's numbers say about the true value."""

    EXACT = "exact"
    APPROXIMATE = "approximate"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    RANGE = "range"


BOUND_LABELS: dict[Bound, str] = {
    Bound.EXACT: "exact",
    Bound.APPROXIMATE: "approximate",
    Bound.AT_LEAST: "at least",
    Bound.AT_MOST: "at most",
    Bound.RANGE: "range",
}


class ClaimantKind(StrEnum):
    """Who speaks, relative to the war."""

    OFFICIAL_RUSSIA = "official_russia"
    OFFICIAL_ORIGIN = "official_origin"
    OFFICIAL_UKRAINE = "official_ukraine"
    OFFICIAL_THIRD = "official_third"
    INDEPENDENT = "independent"
    MEDIA = "media"
    TESTIMONY = "testimony"
    UNKNOWN = "unknown"

    @property
    def is_official(self) -> bool:
        """Return True for the governments' kinds (the `official_*` ones)."""
        return self.value.startswith("official_")


class FigureStatus(StrEnum):
    """Where a figure stands in moderation; only published figures are public."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    RETRACTED = "retracted"


# The statuses whose figures anyone may see: a retracted figure keeps its page and its history.
PUBLIC_STATUSES = (FigureStatus.PUBLISHED.value, FigureStatus.RETRACTED.value)


class BoundsError(ValueError):
    """Numbers that break the invariants of their bound; `field` names the number at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def check_bounds(low: Decimal | None, high: Decimal | None, bound: Bound) -> None:
    """Raise BoundsError unless low and high fit the bound (DESIGN: values >= 0, low <= high)."""
    if low is None and high is None:
        raise BoundsError("low", "give a number: low, high or both")
    for name, number in (("low", low), ("high", high)):
        if number is not None and not number.is_finite():
            raise BoundsError(name, "must be a finite number")
        if number is not None and number < 0:
            raise BoundsError(name, "must not be negative")
    if bound is Bound.AT_LEAST and (low is None or high is not None):
        raise BoundsError(
            "high" if high is not None else "low", "'at least' takes a low value only"
        )
    if bound is Bound.AT_MOST and (high is None or low is not None):
        raise BoundsError("low" if low is not None else "high", "'at most' takes a high value only")
    if bound is Bound.RANGE:
        if low is None or high is None:
            raise BoundsError("high" if high is None else "low", "a range needs both low and high")
        if low >= high:
            raise BoundsError("high", "the high end of a range must be above the low end")
    if bound in (Bound.EXACT, Bound.APPROXIMATE) and (low is None or high is None or low != high):
        raise BoundsError("high", f"an {BOUND_LABELS[bound]} value has low equal to high")


@dataclass(frozen=True)
class Claim:
    """The part of a figure that comparisons need."""

    figure_id: int
    low: Decimal | None
    high: Decimal | None
    bound: Bound
    unit: str
    currency: str | None
    claimant_kind: ClaimantKind

    @property
    def central(self) -> Decimal:
        """Return the value that stands for the claim: a range's middle, a one-sided bound itself."""
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        value = self.low if self.low is not None else self.high
        assert value is not None
        return value

    @property
    def upper(self) -> Decimal | None:
        """Return the largest value the claim asserts (None for an 'at least' claim)."""
        return self.high

    @property
    def lower(self) -> Decimal | None:
        """Return the smallest value the claim asserts (None for an 'at most' claim)."""
        return self.low


def spread_needs_log_scale(claims: Sequence[Claim]) -> bool:
    """Return True when the positive values claimed span more than a factor of ten."""
    values = [v for claim in claims for v in (claim.low, claim.high) if v is not None and v > 0]
    return bool(values) and max(values) / min(values) > 10


def format_number(value: Decimal) -> str:
    """Return a number with thousands separators and no needless decimals: 15,000 or 2.5."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def format_factor(factor: Decimal) -> str:
    """Return a disagreement factor for reading: 75x, 2.5x."""
    rounded = factor.quantize(Decimal("0.1"))
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}x"
    return f"{rounded:,f}x"


def format_claim_value(low: Decimal | None, high: Decimal | None, bound: Bound) -> str:
    """Return the numbers as claimed: 14,000-15,000, at least 18,000, up to 2,000, about 200."""
    if bound is Bound.AT_LEAST and low is not None:
        return f"at least {format_number(low)}"
    if bound is Bound.AT_MOST and high is not None:
        return f"up to {format_number(high)}"
    if bound is Bound.RANGE and low is not None and high is not None:
        return f"{format_number(low)}–{format_number(high)}"
    value = low if low is not None else high
    if value is None:
        return "no number"
    if bound is Bound.APPROXIMATE:
        return f"about {format_number(value)}"
    return format_number(value)


def format_value_label(
    low: Decimal | None, high: Decimal | None, bound: Bound, unit: str, currency: str | None
) -> str:
    """Return the numbers as claimed, with currency and unit: at least 18,000 persons."""
    value = format_claim_value(low, high, bound)
    return f"{value} {currency} {unit}" if currency else f"{value} {unit}"
