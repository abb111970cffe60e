"""Partial dates and USD equivalents from stored, sourced rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from app.domain.currency import ExchangeRate, pick_rate, to_usd
from app.domain.dates import DatePrecision, PartialDate, PartialDateError


@pytest.mark.parametrize(
    ("text", "value", "precision", "label"),
    [
        ("2025-11-19", date(2025, 11, 19), DatePrecision.DAY, "19 Nov 2025"),
        ("2025-11", date(2025, 11, 1), DatePrecision.MONTH, "Nov 2025"),
        ("2025", date(2025, 1, 1), DatePrecision.YEAR, "2025"),
    ],
)
def test_partial_dates_keep_their_precision(
    text: str, value: date, precision: DatePrecision, label: str
) -> None:
    parsed = PartialDate.parse(text)
    assert parsed.value == value
    assert parsed.precision is precision
    assert parsed.iso() == text
    assert parsed.label() == label


@pytest.mark.parametrize(
    "text",
    [
        "",
        "25",
        "2025-13",
        "2025-02-30",
        "2025/11/19",
        "19 Nov 2025",
        "1800",
        "2025-1",
        "2025-11-19x",
    ],
)
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(PartialDateError):
        PartialDate.parse(text)


@pytest.mark.parametrize(
    ("text", "last_day", "midpoint"),
    [
        ("2024-02", date(2024, 2, 29), date(2024, 2, 15)),
        ("2025", date(2025, 12, 31), date(2025, 7, 2)),
        ("2025-11-19", date(2025, 11, 19), date(2025, 11, 19)),
    ],
)
def test_span_of_a_partial_date(text: str, last_day: date, midpoint: date) -> None:
    parsed = PartialDate.parse(text)
    assert parsed.last_day() == last_day
    assert parsed.midpoint() == midpoint


RATES = [
    ExchangeRate("RUB", D("0.011"), date(2024, 1, 1), 1),
    ExchangeRate("RUB", D("0.010"), date(2025, 1, 1), 2),
]


def test_conversion_uses_the_rate_closest_to_the_date() -> None:
    result = to_usd(D(75000), D(200000), "RUB", date(2024, 3, 1), RATES)
    assert result.refused is None
    assert result.rate is not None and result.rate.source_id == 1
    assert (result.low, result.high) == (D(825), D(2200))


def test_undated_conversion_uses_the_latest_rate() -> None:
    rate = pick_rate("RUB", None, RATES)
    assert rate is not None and rate.source_id == 2


def test_missing_rate_gives_no_number_and_says_why() -> None:
    result = to_usd(D(350000), D(350000), "KES", date(2026, 2, 1), RATES)
    assert (result.low, result.high, result.rate) == (None, None, None)
    assert result.refused == "no stored KES–USD rate with a source"


def test_usd_needs_no_rate() -> None:
    result = to_usd(D(2000), D(2000), "USD", None, [])
    assert (result.low, result.high, result.refused) == (D(2000), D(2000), None)


def test_amount_without_currency_is_not_money() -> None:
    assert to_usd(D(1), D(1), None, None, RATES).refused == "not money: no currency"
