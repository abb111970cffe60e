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


@dataclass(frozen=True)
class UsdEquivalent:
    """A USD amount (or range) and the rate it came from, or the reason there is none."""

    low: Decimal | None
    high: Decimal | None
    rate: ExchangeRate | None
    refused: str | None


def pick_rate(currency: str, on: date | None, rates: Sequence[ExchangeRate]) -> ExchangeRate | None:
    """Return the stored rate for the currency closest to the date (the latest one when undated)."""
    candidates = [rate for rate in rates if rate.currency == currency]
    if not candidates:
        return None
    if on is None:
        return max(candidates, key=lambda rate: rate.as_of)
    return min(candidates, key=lambda rate: (abs((rate.as_of - on).days), rate.as_of))


def to_usd(
    low: Decimal | None,
    high: Decimal | None,
    currency: str | None,
    on: date | None,
    rates: Sequence[ExchangeRate],
) -> UsdEquivalent:
    """Return the USD equivalent of an amount, refusing (with the reason) when no rate is stored."""
    if currency is None:
        return UsdEquivalent(None, None, None, "not money: no currency")
    if currency == "USD":
        return UsdEquivalent(low, high, None, None)
    rate = pick_rate(currency, on, rates)
    if rate is None:
        return UsdEquivalent(None, None, None, f"no stored {currency}–USD rate with a source")

    def convert(amount: Decimal | None) -> Decimal | None:
        return None if amount is None else (amount * rate.usd_per_unit).quantize(Decimal(1))

    return UsdEquivalent(convert(low), convert(high), rate, None)
