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
    ExchangeRate("RUB", D("0.011"), date(2024, 3, 10), 1),
    ExchangeRate("RUB", D("0.010"), date(2025, 1, 1), 2),
]


def span(text: str) -> tuple[date, date]:
    partial = PartialDate.parse(text)
    return (partial.value, partial.last_day())


def test_the_worked_example_converts_at_a_sourced_rate_within_31_days() -> None:
    """docs/comparing.md: RUB 75,000-200,000 a month with a stored rate of 0.011 USD per RUB (sourced,
    dated within 31 days) shows about USD 825-2,200, converted."""
    result = to_usd(D(75000), D(200000), "RUB", span("2024-03-01"), RATES)
    assert result.refused is None and result.converted
    assert result.rate is not None and result.rate.source_id == 1
    assert (result.low, result.high) == (D(825), D(2200))


@pytest.mark.parametrize(
    ("figure_date", "source_id"),
    [
        ("2024-02-08", 1),  # 31 days before the rate
        ("2024-04-10", 1),  # 31 days after
        ("2024-04", 1),  # a month-precision date covers April: 22 days from its first day
        ("2024", 1),  # a year-precision date covers the year, and so the rate's day
        ("2024-12-15", 2),
        ("2024-02-07", None),  # 32 days before
        ("2024-04-11", None),
        ("2023-06", None),
    ],
)
def test_a_rate_is_used_only_within_31_days_of_the_figures_date(
    figure_date: str, source_id: int | None
) -> None:
    rate = pick_rate("RUB", span(figure_date), RATES)
    assert (rate.source_id if rate else None) == source_id


def test_too_far_from_any_rate_gives_no_number_and_says_why() -> None:
    result = to_usd(D(75000), D(75000), "RUB", span("2023-06-15"), RATES)
    assert (result.low, result.high, result.rate, result.converted) == (None, None, None, False)
    assert result.refused == (
        "not converted: no stored RUB–USD rate with a source within 31 days of the figure's date"
    )


def test_an_undated_figure_is_never_converted() -> None:
    result = to_usd(D(75000), D(200000), "RUB", None, RATES)
    assert result.refused == "not converted: the figure states no date"


def test_missing_rate_gives_no_number_and_says_why() -> None:
    result = to_usd(D(350000), D(350000), "KES", span("2026-02"), RATES)
    assert (result.low, result.high, result.rate) == (None, None, None)
    assert result.refused is not None and "no stored KES–USD rate" in result.refused


def test_usd_needs_no_rate_and_is_not_converted() -> None:
    result = to_usd(D(2000), D(2000), "USD", None, [])
    assert (result.low, result.high, result.refused, result.converted) == (
        D(2000),
        D(2000),
        None,
        False,
    )


def test_amount_without_currency_is_not_money() -> None:
    assert to_usd(D(1), D(1), None, None, RATES).refused == "not money: no currency"
