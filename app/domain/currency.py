"""Money in its original currency, and USD equivalents only from a stored, sourced exchange rate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ExchangeRate:
    """Units of USD one unit of `currency` bought on `as_of`, as a cited source states."""

    currency: str
    usd_per_unit: Decimal
    as_of: date
    source_id: int


MAX_RATE_DAYS = 31  # docs/comparing.md rule 7: a rate converts figures within 31 days of its date


@dataclass(frozen=True)
class UsdEquivalent:
    """A USD amount (or range) and the rate it came from, or the reason there is none.

    `converted` is True when the amount was converted at a stored rate, which pages say.
    """

    low: Decimal | None
    high: Decimal | None
    rate: ExchangeRate | None
    refused: str | None

    @property
    def converted(self) -> bool:
        """Return True when the amount comes from a stored rate (not a figure stated in USD)."""
        return self.rate is not None


def days_between(span: tuple[date, date], day: date) -> int:
    """Return how many days a day lies outside a span (0 inside it)."""
    return max(0, (span[0] - day).days, (day - span[1]).days)


def pick_rate(
    currency: str, span: tuple[date, date], rates: Sequence[ExchangeRate]
) -> ExchangeRate | None:
    """Return the stored rate of the currency nearest the figure's date (its span: a month- or
    year-precision date covers its whole month or year), the later on a tie; None when none
    lies within MAX_RATE_DAYS."""
    candidates = [
        rate
        for rate in rates
        if rate.currency == currency and days_between(span, rate.as_of) <= MAX_RATE_DAYS
    ]
    if not candidates:
        return None
    return min(
        candidates, key=lambda rate: (days_between(span, rate.as_of), -rate.as_of.toordinal())
    )


def to_usd(
    low: Decimal | None,
    high: Decimal | None,
    currency: str | None,
    span: tuple[date, date] | None,
    rates: Sequence[ExchangeRate],
) -> UsdEquivalent:
    """Return the USD equivalent of an amount, refusing (with the reason) when the figure has no
    date or no stored rate lies within 31 days of it."""
    if currency is None:
        return UsdEquivalent(None, None, None, "not money: no currency")
    if currency == "USD":
        return UsdEquivalent(low, high, None, None)
    if span is None:
        return UsdEquivalent(None, None, None, "not converted: the figure states no date")
    rate = pick_rate(currency, span, rates)
    if rate is None:
        return UsdEquivalent(
            None,
            None,
            None,
            f"not converted: no stored {currency}–USD rate with a source within "
            f"{MAX_RATE_DAYS} days of the figure's date",
        )

    def convert(amount: Decimal | None) -> Decimal | None:
        return None if amount is None else (amount * rate.usd_per_unit).quantize(Decimal(1))

    return UsdEquivalent(convert(low), convert(high), rate, None)
