"""Bounds, central values, disagreement factors and official-vs-independent comparisons."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from app.domain.figures import (
    Bound,
    BoundsError,
    Claim,
    ClaimantKind,
    check_bounds,
    format_claim_value,
    format_factor,
    format_number,
    spread_needs_log_scale,
)

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
