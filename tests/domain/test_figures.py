"""Bounds, central values, disagreement factors and official-vs-independent comparisons."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from app.domain.figures import (
    Bound,
    BoundsError,
    Claim,
    ClaimantKind,
    bound_for,
    check_bounds,
    disagreement_factor,
    format_claim_value,
    format_factor,
    format_number,
    official_vs_independent,
    spread_needs_log_scale,
)

OFFICIAL = ClaimantKind.OFFICIAL_ORIGIN
INDEPENDENT = ClaimantKind.INDEPENDENT


def claim(
    figure_id: int,
    low: str | None,
    high: str | None,
    bound: Bound,
    kind: ClaimantKind = INDEPENDENT,
    unit: str = "persons",
    currency: str | None = None,
) -> Claim:
    return Claim(
        figure_id,
        None if low is None else D(low),
        None if high is None else D(high),
        bound,
        unit,
        currency,
        kind,
    )


@pytest.mark.parametrize(
    ("low", "high", "bound"),
    [
        ("200", "200", Bound.EXACT),
        ("200", "200", Bound.APPROXIMATE),
        ("18000", None, Bound.AT_LEAST),
        (None, "2000", Bound.AT_MOST),
        ("14000", "15000", Bound.RANGE),
        ("0", "0", Bound.EXACT),
        ("2.5", "2.5", Bound.APPROXIMATE),
    ],
)
def test_valid_bounds_pass(low: str | None, high: str | None, bound: Bound) -> None:
    check_bounds(None if low is None else D(low), None if high is None else D(high), bound)


@pytest.mark.parametrize(
    ("low", "high", "bound", "field", "message"),
    [
        (None, None, Bound.EXACT, "low", "give a number"),
        ("-1", "-1", Bound.EXACT, "low", "negative"),
        ("5", "-1", Bound.RANGE, "high", "negative"),
        ("200", "300", Bound.EXACT, "high", "low equal to high"),
        ("200", "300", Bound.APPROXIMATE, "high", "low equal to high"),
        ("200", "200", Bound.AT_LEAST, "high", "low value only"),
        (None, "200", Bound.AT_LEAST, "high", "low value only"),
        ("200", None, Bound.AT_MOST, "low", "high value only"),
        ("200", "200", Bound.AT_MOST, "low", "high value only"),
        ("200", None, Bound.RANGE, "high", "both low and high"),
        ("300", "200", Bound.RANGE, "high", "above the low end"),
        ("200", "200", Bound.RANGE, "high", "above the low end"),
        ("NaN", "NaN", Bound.EXACT, "low", "finite"),
        ("Infinity", None, Bound.AT_LEAST, "low", "finite"),
    ],
)
def test_invalid_bounds_say_which_number_and_why(
    low: str | None, high: str | None, bound: Bound, field: str, message: str
) -> None:
    with pytest.raises(BoundsError) as raised:
        check_bounds(None if low is None else D(low), None if high is None else D(high), bound)
    assert raised.value.field == field
    assert message in raised.value.message


@pytest.mark.parametrize(
    ("low", "high", "approximate", "expected"),
    [
        ("1", None, False, Bound.AT_LEAST),
        (None, "1", False, Bound.AT_MOST),
        ("1", "2", False, Bound.RANGE),
        ("1", "1", False, Bound.EXACT),
        ("1", "1", True, Bound.APPROXIMATE),
    ],
)
def test_bound_for(low: str | None, high: str | None, approximate: bool, expected: Bound) -> None:
    assert (
        bound_for(None if low is None else D(low), None if high is None else D(high), approximate)
        is expected
    )


@pytest.mark.parametrize(
    ("item", "central"),
    [
        (claim(1, "14000", "15000", Bound.RANGE), D("14500")),
        (claim(1, "18000", None, Bound.AT_LEAST), D("18000")),
        (claim(1, None, "2000", Bound.AT_MOST), D("2000")),
        (claim(1, "200", "200", Bound.APPROXIMATE), D("200")),
    ],
)
def test_central_value(item: Claim, central: D) -> None:
    assert item.central == central


NEPAL_ENLISTED = [
    claim(1, "200", "200", Bound.APPROXIMATE, OFFICIAL),  # foreign minister, Dec 2023
    claim(2, None, "2000", Bound.AT_MOST, ClaimantKind.MEDIA),  # unattributed estimates
    claim(3, "699", "699", Bound.EXACT),  # activist's tracked list
    claim(4, "14000", "15000", Bound.RANGE),  # opposition MP
]


def test_nepal_enlisted_disagreement_is_75() -> None:
    result = disagreement_factor(NEPAL_ENLISTED)
    assert result.factor == D(75)
    assert result.largest is not None and result.largest.figure_id == 4
    assert result.smallest is not None and result.smallest.figure_id == 1
    assert result.refused is None


def test_lower_bounds_count_below_and_upper_bounds_on_top() -> None:
    claims = [
        claim(1, "18000", None, Bound.AT_LEAST, ClaimantKind.OFFICIAL_UKRAINE),
        claim(2, "30000", "30000", Bound.APPROXIMATE, ClaimantKind.OFFICIAL_RUSSIA),
        claim(3, "1500", "1500", Bound.APPROXIMATE),
    ]
    result = disagreement_factor(claims)
    assert result.factor == D(20)
    assert result.largest is not None and result.largest.figure_id == 2


def test_at_least_figures_alone_give_no_factor() -> None:
    claims = [claim(1, "10", None, Bound.AT_LEAST), claim(2, "1000", None, Bound.AT_LEAST)]
    result = disagreement_factor(claims)
    assert result.factor is None
    assert result.refused is not None and "upper or point value" in result.refused


def test_one_figure_is_not_compared() -> None:
    result = disagreement_factor([claim(1, "10", "10", Bound.EXACT)])
    assert result.factor is None
    assert result.refused == "not compared: fewer than two figures"


def test_different_currencies_are_refused_with_the_reason() -> None:
    claims = [
        claim(1, "75000", "200000", Bound.RANGE, unit="per month", currency="RUB"),
        claim(2, "2000", "2000", Bound.APPROXIMATE, unit="per month", currency="USD"),
    ]
    disagreement = disagreement_factor(claims)
    comparison = official_vs_independent(claims)
    assert disagreement.factor is None
    assert (
        disagreement.refused == "not compared: the figures are in different currencies (RUB, USD)"
    )
    assert comparison.ratio is None
    assert comparison.refused == disagreement.refused


def test_different_units_are_refused_with_the_reason() -> None:
    claims = [
        claim(1, "10", "10", Bound.EXACT, unit="persons"),
        claim(2, "5", "5", Bound.EXACT, unit="cases"),
    ]
    result = disagreement_factor(claims)
    assert result.factor is None
    assert result.refused == "not compared: the figures count different units (cases, persons)"


def test_zero_values_are_left_out_of_the_factor() -> None:
    claims = [
        claim(1, "0", "0", Bound.EXACT),
        claim(2, "5", "5", Bound.EXACT),
        claim(3, "50", "50", Bound.EXACT),
    ]
    assert disagreement_factor(claims).factor == D(10)


def test_official_vs_independent_uses_medians_of_central_values() -> None:
    result = official_vs_independent(NEPAL_ENLISTED)
    assert result.official_central == D(200)
    assert result.independent_central == D(2000)  # median of 2000, 699, 14500
    assert result.ratio == D(10)
    assert result.higher_side == "independent"
    assert (result.official_count, result.independent_count) == (1, 3)


def test_official_vs_independent_needs_both_sides() -> None:
    result = official_vs_independent([claim(1, "5", "5", Bound.EXACT, OFFICIAL)])
    assert result.ratio is None
    assert result.refused == "not compared: needs both an official and an independent figure"
    assert result.higher_side is None


@pytest.mark.parametrize(
    ("kind", "official"),
    [(kind, kind.value.startswith("official_")) for kind in ClaimantKind],
)
def test_official_kinds(kind: ClaimantKind, official: bool) -> None:
    assert kind.is_official is official


@pytest.mark.parametrize(
    ("values", "expected"),
    [((("10", "10"), ("100", "100")), False), ((("10", "10"), ("101", "101")), True)],
)
def test_log_scale_past_a_tenfold_spread(
    values: tuple[tuple[str, str], ...], expected: bool
) -> None:
    claims = [claim(i, low, high, Bound.EXACT) for i, (low, high) in enumerate(values)]
    assert spread_needs_log_scale(claims) is expected


@pytest.mark.parametrize(
    ("low", "high", "bound", "text"),
    [
        ("18000", None, Bound.AT_LEAST, "at least 18,000"),
        (None, "2000", Bound.AT_MOST, "up to 2,000"),
        ("14000", "15000", Bound.RANGE, "14,000–15,000"),
        ("200", "200", Bound.APPROXIMATE, "about 200"),
        ("1130", "1130", Bound.EXACT, "1,130"),
        ("2.5", "2.5", Bound.EXACT, "2.5"),
    ],
)
def test_claim_value_text(low: str | None, high: str | None, bound: Bound, text: str) -> None:
    assert (
        format_claim_value(
            None if low is None else D(low), None if high is None else D(high), bound
        )
        == text
    )


@pytest.mark.parametrize(
    ("value", "text"), [(D(75), "75x"), (D("2.54"), "2.5x"), (D(20000), "20,000x")]
)
def test_factor_text(value: D, text: str) -> None:
    assert format_factor(value) == text


def test_number_text_keeps_decimals_only_when_needed() -> None:
    assert format_number(D("1050000")) == "1,050,000"
    assert format_number(D("1.50")) == "1.5"
