"""Claims as intervals: comparability, conflicts, voices, the disagreement and each side's ratio."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.claim_comparison import (
    ClaimDisagreement,
    ClaimFacts,
    Interval,
    Verdict,
    comparability,
    conflict_size,
    disagreement,
    interval_of,
    normalise_claimant,
    voices,
)
from app.domain.claim_sides import Side, side_comparisons, side_of
from app.domain.dates import DatePrecision, PartialDate
from app.domain.figures import Bound, ClaimantKind

OFFICIAL_ORIGIN = ClaimantKind.OFFICIAL_ORIGIN
OFFICIAL_RUSSIA = ClaimantKind.OFFICIAL_RUSSIA
OFFICIAL_UKRAINE = ClaimantKind.OFFICIAL_UKRAINE
INDEPENDENT = ClaimantKind.INDEPENDENT
MEDIA = ClaimantKind.MEDIA


def numbers(text: str) -> tuple[D | None, D | None, Bound]:
    """Read 'about 200', '14000-15000', 'at least 40', 'up to 2000' or '104' as low, high, bound."""
    if text.startswith("about "):
        value = D(text.removeprefix("about "))
        return value, value, Bound.APPROXIMATE
    if text.startswith("at least "):
        return D(text.removeprefix("at least ")), None, Bound.AT_LEAST
    if text.startswith("up to "):
        return None, D(text.removeprefix("up to ")), Bound.AT_MOST
    if "-" in text:
        low, high = text.split("-")
        return D(low), D(high), Bound.RANGE
    return D(text), D(text), Bound.EXACT


def claim(
    figure_id: int,
    value: str,
    *,
    as_of: str | None = None,
    start: str | None = None,
    end: str | None = None,
    claimant: str = "someone",
    kind: ClaimantKind = INDEPENDENT,
    unit: str = "persons",
    currency: str | None = None,
    area: str = "NPL",
    metric: str = "enlisted",
    repeats: int | None = None,
) -> ClaimFacts:
    low, high, bound = numbers(value)
    return ClaimFacts(
        figure_id=figure_id,
        area_code=area,
        metric_slug=metric,
        low=low,
        high=high,
        bound=bound,
        unit=unit,
        currency=currency,
        claimant=claimant,
        claimant_kind=kind,
        as_of=None if as_of is None else PartialDate.parse(as_of),
        period_start=None if start is None else PartialDate.parse(start),
        period_end=None if end is None else PartialDate.parse(end),
        repeats_id=repeats,
    )


# --- the worked examples -------------------------------------------------------------------


def nepal_enlisted() -> list[ClaimFacts]:
    return [
        claim(
            1, "about 200", as_of="2023-12-26", claimant="Foreign minister", kind=OFFICIAL_ORIGIN
        ),
        claim(2, "14000-15000", as_of="2024-02", claimant="An MP"),
        claim(3, "699", as_of="2025-11", claimant="An activist"),
        claim(4, "up to 2000", claimant="A newspaper", kind=MEDIA),
    ]


def test_nepal_enlisted_is_a_70x_conflict() -> None:
    """Nepal enlisted: about 200 (26 Dec 2023, foreign minister) and 14,000-15,000 (Feb 2024, an
    MP) are 2 months apart and do not overlap: a conflict of 14,000 / 200 = 70x. The activist's
    699 (Nov 2025) and the undated "up to 2,000" are listed, not compared with those two."""
    result = disagreement(nepal_enlisted())
    assert result.verdict is Verdict.CONFLICT
    assert result.factor == D(70)
    assert result.label() == "70x"
    assert result.higher is not None and result.higher.figure_id == 2
    assert result.lower is not None and result.lower.figure_id == 1
    split = voices(nepal_enlisted())
    assert [c.figure_id for c in split.undated] == [4]
    assert [c.figure_id for c in split.current] == [1, 2, 3]
    activist = nepal_enlisted()[2]
    assert comparability(activist, nepal_enlisted()[0]) == "dated more than 180 days apart"
    assert comparability(activist, nepal_enlisted()[1]) == "dated more than 180 days apart"


def test_nepal_killed_far_apart_is_not_compared() -> None:
    """Nepal killed: at least 40 (Sep 2024), 104 (Nov 2025), at least 14 (undated): no conflict.
    The dated pair is 14 months apart, so it is "not compared"."""
    claims = [
        claim(1, "at least 40", as_of="2024-09", metric="killed"),
        claim(2, "104", as_of="2025-11", claimant="An activist", metric="killed"),
        claim(3, "at least 14", metric="killed"),
    ]
    result = disagreement(claims)
    assert result.verdict is Verdict.NOT_COMPARED
    assert result.label() == "not compared: no two dated figures within 180 days"


def test_nepal_killed_closer_is_consistent() -> None:
    """Nepal killed: had the two been closer, a floor of 40 would still not contradict 104
    ("consistent")."""
    claims = [
        claim(1, "at least 40", as_of="2025-09", metric="killed"),
        claim(2, "104", as_of="2025-11", claimant="An activist", metric="killed"),
        claim(3, "at least 14", metric="killed"),
    ]
    result = disagreement(claims)
    assert result.verdict is Verdict.CONSISTENT
    assert result.label() == "consistent"
    assert result.factor is None


@pytest.mark.parametrize("second_date", ["2024-01", "2024-06", "2024", "2025-03-01", "2026"])
def test_cuba_ceiling_and_floor_never_conflict(second_date: str) -> None:
    """Cuba enlisted: "up to 20,000" and "at least 1,038" overlap: never a conflict, whatever
    their dates."""
    claims = [
        claim(1, "up to 20000", as_of="2024-03", area="CUB", claimant="A"),
        claim(2, "at least 1038", as_of=second_date, area="CUB", claimant="B"),
    ]
    assert disagreement(claims).verdict is not Verdict.CONFLICT
    assert conflict_size(*claims) is None


def test_india_ministry_update_supersedes_its_earlier_figure() -> None:
    """India: the same ministry's 12 killed (Jan 2025) and 26 killed (Dec 2025): the later
    supersedes the earlier; no conflict."""
    ministry = "Ministry of External Affairs"
    claims = [
        claim(1, "12", as_of="2025-01", claimant=ministry, kind=OFFICIAL_ORIGIN, area="IND"),
        claim(2, "26", as_of="2025-12", claimant=ministry, kind=OFFICIAL_ORIGIN, area="IND"),
    ]
    split = voices(claims)
    assert split.superseded_by == {1: 2}
    assert [c.figure_id for c in split.current] == [2]
    result = disagreement(claims)
    assert result.verdict is Verdict.NOT_COMPARED
    assert "supersede" in result.reason


def test_india_update_is_no_conflict_even_when_close_in_time() -> None:
    """India: the same ministry's 12 killed and 26 killed: an update, not a conflict, even a
    month apart (from two voices, 12 and 26 would conflict)."""
    ministry = "Ministry of External Affairs"
    same_voice = [
        claim(1, "12", as_of="2025-11", claimant=ministry, kind=OFFICIAL_ORIGIN),
        claim(2, "26", as_of="2025-12", claimant=ministry.upper() + ".", kind=OFFICIAL_ORIGIN),
    ]
    assert disagreement(same_voice).verdict is Verdict.NOT_COMPARED
    two_voices = [same_voice[0], replace(same_voice[1], claimant="Someone else")]
    assert disagreement(two_voices).verdict is Verdict.CONFLICT


def test_running_totals_within_180_days_conflict_4x() -> None:
    """A claim of 500 as of 1 Mar 2025 and one of 2,000-3,000 as of May 2025 (month precision):
    within 180 days, no overlap: 4x."""
    claims = [
        claim(1, "500", as_of="2025-03-01", claimant="A"),
        claim(2, "2000-3000", as_of="2025-05"),
    ]
    result = disagreement(claims)
    assert result.verdict is Verdict.CONFLICT
    assert result.factor == D(4)
    assert result.label() == "4x"


def test_running_totals_with_a_year_date_far_off_are_not_comparable() -> None:
    """The same pair with the second dated 2026 (year precision): not comparable."""
    claims = [
        claim(1, "500", as_of="2025-03-01", claimant="A"),
        claim(2, "2000-3000", as_of="2026"),
    ]
    assert comparability(*claims) == "dated more than 180 days apart"
    assert disagreement(claims).label() == "not compared: no two dated figures within 180 days"


def test_kazakhstan_a_figure_is_never_compared_with_itself() -> None:
    """Kazakhstan criminal cases: one figure must never be compared with itself."""
    cases = claim(1, "40", start="2025", end="2025", unit="cases", area="KAZ", metric="cases")
    assert comparability(cases, cases) == "the same figure"
    for claims in ([cases], [cases, cases]):
        result = disagreement(claims)
        assert result.verdict is Verdict.NOT_COMPARED
        assert result.label() == "not compared: fewer than two dated figures"


def test_kazakhstan_identical_figures_of_one_claimant_are_no_1x() -> None:
    """Kazakhstan criminal cases: two identical figures of the same claimant: one supersedes the
    other, no "1x"."""
    first = claim(
        1, "40", start="2025", end="2025", unit="cases", claimant="Prosecutor", area="KAZ"
    )
    second = replace(first, figure_id=2)
    assert voices([first, second]).superseded_by == {1: 2}
    result = disagreement([second, first])
    assert result.verdict is Verdict.NOT_COMPARED
    assert "1x" not in result.label()


# --- intervals and conflict sizes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("200", Interval(D(200), D(200))),
        ("about 200", Interval(D(200), D(200))),
        ("14000-15000", Interval(D(14000), D(15000))),
        ("at least 40", Interval(D(40), None)),
        ("up to 2000", Interval(D(0), D(2000))),
    ],
)
def test_each_bound_is_an_interval(value: str, expected: Interval) -> None:
    assert interval_of(*numbers(value)) == expected


def test_numbers_that_do_not_fit_the_bound_are_refused() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        interval_of(None, D(5), Bound.AT_LEAST)


def test_touching_intervals_overlap() -> None:
    assert Interval(D(10), D(20)).overlaps(Interval(D(20), None))
    assert not Interval(D(10), D(20)).overlaps(Interval(D(21), D(30)))


@pytest.mark.parametrize(
    ("value", "central"),
    [("14000-15000", D(14500)), ("about 200", D(200)), ("at least 40", D(40)), ("up to 9", D(9))],
)
def test_central_values(value: str, central: D) -> None:
    assert claim(1, value).central == central


def test_a_zero_claim_below_a_higher_one_is_not_compared() -> None:
    claims = [claim(1, "0", as_of="2025-01", claimant="A"), claim(2, "5", as_of="2025-02")]
    assert conflict_size(*claims) is None
    assert disagreement(claims).label() == "not compared: a claim of zero"


def test_a_conflict_just_above_one_never_reads_1x() -> None:
    claims = [claim(1, "1000", as_of="2025-01", claimant="A"), claim(2, "1040", as_of="2025-02")]
    result = disagreement(claims)
    assert result.verdict is Verdict.CONFLICT
    assert result.label() == "just over 1x"


def test_the_largest_conflict_wins_and_ties_go_to_the_lowest_ids() -> None:
    claims = [
        claim(5, "10", as_of="2025-01", claimant="A"),
        claim(3, "100", as_of="2025-01", claimant="B"),
        claim(1, "1000", as_of="2025-01", claimant="C"),
        claim(2, "10", as_of="2025-01", claimant="D"),
    ]
    result = disagreement(claims)
    assert result.factor == D(100)
    assert result.higher is not None and result.lower is not None
    assert (result.higher.figure_id, result.lower.figure_id) == (1, 2)


# --- comparability -------------------------------------------------------------------------


def test_a_period_figure_compares_only_with_the_same_period() -> None:
    in_2025 = claim(1, "40", start="2025", end="2025", claimant="A")
    also_2025 = claim(2, "90", start="2025-01-01", end="2025-12-31")
    in_2024 = claim(3, "90", start="2024", end="2024")
    assert comparability(in_2025, also_2025) is None
    assert comparability(in_2025, in_2024) == "different periods"
    assert disagreement([in_2025, in_2024]).label() == "not compared: different periods"


def test_a_period_figure_never_compares_with_a_running_total() -> None:
    in_2025 = claim(1, "40", start="2025", end="2025", claimant="A")
    as_of = claim(2, "90", as_of="2025-06")
    assert comparability(in_2025, as_of) == "different kinds of period"


def test_a_figure_with_only_one_period_end_is_dated_like_a_running_total() -> None:
    only_start = claim(1, "40", start="2025-06", claimant="A")
    only_end = claim(2, "90", end="2025-07")
    assert only_start.is_dated and not only_start.is_period
    assert comparability(only_start, only_end) is None
    assert conflict_size(only_start, only_end) == D("2.25")


def test_the_180_day_window_is_inclusive() -> None:
    base = claim(1, "40", as_of="2025-01-01", claimant="A")
    assert comparability(base, claim(2, "90", as_of="2025-06-30")) is None
    assert comparability(base, claim(2, "90", as_of="2025-07-01")) is not None


def test_a_month_precision_date_covers_its_month() -> None:
    """30 Jul 2025 is 180 days after 31 Jan 2025, so a January figure reaches it."""
    january = claim(1, "40", as_of="2025-01", claimant="A")
    assert comparability(january, claim(2, "90", as_of="2025-07-30")) is None
    assert comparability(january, claim(2, "90", as_of="2025-07")) is None


def test_several_reasons_are_all_given() -> None:
    claims = [
        claim(1, "40", as_of="2023-01", claimant="A"),
        claim(2, "90", as_of="2025-01"),
        claim(3, "90", as_of="2025-01", unit="cases", claimant="B"),
    ]
    assert disagreement(claims).reason == (
        "different units: cases, persons; no two dated figures within 180 days"
    )


def test_undated_claims_are_not_comparable() -> None:
    assert comparability(claim(1, "40", as_of="2025"), claim(2, "90")) == "an undated figure"


def test_different_units_are_not_compared() -> None:
    claims = [
        claim(1, "40", as_of="2025-01", unit="persons", claimant="A"),
        claim(2, "90", as_of="2025-01", unit="cases"),
    ]
    assert disagreement(claims).label() == "not compared: different units: cases, persons"


def test_pay_in_different_currencies_or_pay_periods_is_not_compared() -> None:
    per_month = claim(1, "2000", as_of="2025-01", unit="per month", currency="USD", claimant="A")
    in_roubles = claim(2, "200000", as_of="2025-01", unit="per month", currency="RUB")
    no_currency = replace(in_roubles, currency=None)
    one_off = replace(in_roubles, currency="USD", unit="one-off")
    assert comparability(per_month, in_roubles) == "different currencies: RUB, USD"
    assert comparability(per_month, no_currency) == "different currencies: USD, none"
    assert comparability(per_month, one_off) == "different units: one-off, per month"


# --- voices ---------------------------------------------------------------------------------


def test_claimant_names_are_normalised() -> None:
    assert normalise_claimant("  Ministry of  External-Affairs. ") == "ministry of externalaffairs"


def test_the_same_name_of_another_kind_is_another_voice() -> None:
    claims = [
        claim(1, "12", as_of="2025-01", claimant="Ministry", kind=OFFICIAL_ORIGIN),
        claim(2, "26", as_of="2025-02", claimant="Ministry", kind=INDEPENDENT),
    ]
    assert voices(claims).superseded_by == {}


def test_period_figures_of_different_periods_do_not_supersede() -> None:
    claims = [
        claim(1, "10", start="2024", end="2024", claimant="Prosecutor"),
        claim(2, "30", start="2025", end="2025", claimant="Prosecutor"),
    ]
    assert voices(claims).superseded_by == {}


def test_a_later_statement_about_the_same_period_supersedes() -> None:
    claims = [
        claim(2, "30", start="2025", end="2025", as_of="2025-06", claimant="Prosecutor"),
        claim(1, "45", start="2025", end="2025", as_of="2026-01", claimant="Prosecutor"),
    ]
    assert voices(claims).superseded_by == {2: 1}


def test_undated_figures_never_supersede_and_are_never_superseded() -> None:
    claims = [claim(1, "12", as_of="2025-01", claimant="M"), claim(2, "26", claimant="M")]
    split = voices(claims)
    assert split.superseded_by == {}
    assert [c.figure_id for c in split.current] == [1]
    assert [c.figure_id for c in split.undated] == [2]


def test_a_repeat_is_listed_and_not_compared() -> None:
    original = claim(1, "200", as_of="2024-01", claimant="Minister", kind=OFFICIAL_ORIGIN)
    repeat = claim(2, "200", as_of="2024-02", claimant="A newspaper", kind=MEDIA, repeats=1)
    other = claim(3, "15000", as_of="2024-02", claimant="An MP")
    split = voices([original, repeat, other])
    assert split.repeat_of == {2: 1}
    assert [c.figure_id for c in split.current] == [1, 3]
    assert disagreement([original, repeat]).label() == "not compared: fewer than two dated figures"


def test_two_different_claims_under_one_id_are_refused() -> None:
    with pytest.raises(ValueError, match="share the figure id"):
        voices([claim(1, "5", as_of="2025"), claim(1, "6", as_of="2025")])


# --- sides ----------------------------------------------------------------------------------


def test_side_of_each_kind() -> None:
    assert side_of(OFFICIAL_RUSSIA) is Side.OFFICIAL_RUSSIA
    assert side_of(INDEPENDENT) is Side.INDEPENDENT
    assert side_of(MEDIA) is None
    assert side_of(ClaimantKind.TESTIMONY) is None
    assert side_of(ClaimantKind.UNKNOWN) is None
    assert Side.OFFICIAL_ORIGIN.label == "Home government"
    assert Side.INDEPENDENT.label == "Independent sources"


def test_each_official_side_is_compared_on_its_own_in_side_order() -> None:
    claims = [
        claim(1, "about 200", as_of="2023-12-26", claimant="Minister", kind=OFFICIAL_ORIGIN),
        claim(2, "14000-15000", as_of="2024-02", claimant="An MP"),
        claim(3, "1000", as_of="2024-01", claimant="Kyiv", kind=OFFICIAL_UKRAINE),
        claim(4, "100", as_of="2024-01", claimant="Moscow", kind=OFFICIAL_RUSSIA),
        claim(5, "99999", as_of="2024-03", claimant="A newspaper", kind=MEDIA),
    ]
    result = side_comparisons(claims)
    assert [c.side for c in result] == [
        Side.OFFICIAL_RUSSIA,
        Side.OFFICIAL_UKRAINE,
        Side.OFFICIAL_ORIGIN,
    ]
    russia, ukraine, origin = result
    assert (russia.ratio, russia.higher) == (D(145), "independent")
    assert (ukraine.ratio, ukraine.higher) == (D("14.5"), "independent")
    assert (origin.ratio, origin.reason) == (D("72.5"), "")
    assert origin.independent is not None and origin.independent.date_label == "Feb 2024"
    assert origin.official is not None and origin.official.date_label == "26 Dec 2023"


def test_a_side_current_figure_is_its_latest_dated_claim() -> None:
    claims = [
        claim(1, "50", as_of="2024-01", claimant="Moscow", kind=OFFICIAL_RUSSIA),
        claim(2, "60", as_of="2025-01", claimant="Moscow city", kind=OFFICIAL_RUSSIA),
        claim(3, "99", claimant="Moscow", kind=OFFICIAL_RUSSIA),
        claim(4, "30", as_of="2024-06"),
    ]
    (russia,) = side_comparisons(claims)
    assert russia.official is not None and russia.official.figure_id == 2
    assert (russia.ratio, russia.higher) == (D(2), "official")


def test_a_side_without_an_independent_figure_has_no_ratio() -> None:
    (russia,) = side_comparisons([claim(1, "50", as_of="2024-01", kind=OFFICIAL_RUSSIA)])
    assert russia.ratio is None
    assert russia.reason == "no dated independent figure"


def test_a_side_with_only_undated_claims_is_left_out() -> None:
    assert (
        side_comparisons([claim(1, "50", kind=OFFICIAL_RUSSIA), claim(2, "9", as_of="2025")]) == []
    )


@pytest.mark.parametrize(
    ("independent", "reason"),
    [
        (claim(2, "60", as_of="2025", unit="cases"), "different units: cases, persons"),
        (claim(2, "60", as_of="2025", currency="USD"), "different currencies: USD, none"),
        (claim(2, "0", as_of="2025"), "a central value is zero"),
    ],
)
def test_no_side_ratio_across_units_currencies_or_zero(
    independent: ClaimFacts, reason: str
) -> None:
    official = claim(1, "50", as_of="2024-01", kind=OFFICIAL_RUSSIA)
    (russia,) = side_comparisons([official, independent])
    assert (russia.ratio, russia.higher, russia.reason) == (None, None, reason)


def test_equal_sides_have_no_higher_side() -> None:
    claims = [claim(1, "50", as_of="2024", kind=OFFICIAL_RUSSIA), claim(2, "50", as_of="2025")]
    (russia,) = side_comparisons(claims)
    assert (russia.ratio, russia.higher) == (D(1), None)


# --- properties -----------------------------------------------------------------------------


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31)))
    precision = draw(st.sampled_from(DatePrecision))
    if precision is DatePrecision.MONTH:
        return PartialDate(day.replace(day=1), precision)
    if precision is DatePrecision.YEAR:
        return PartialDate(date(day.year, 1, 1), precision)
    return PartialDate(day, precision)


@st.composite
def claims(draw: st.DrawFn, figure_id: int = 1, dated: bool = True) -> ClaimFacts:
    bound = draw(st.sampled_from(Bound))
    first, second = sorted(
        draw(st.lists(st.integers(0, 5000), min_size=2, max_size=2, unique=True))
    )
    low, high = {
        Bound.EXACT: (D(first), D(first)),
        Bound.APPROXIMATE: (D(second), D(second)),
        Bound.AT_LEAST: (D(first), None),
        Bound.AT_MOST: (None, D(second)),
        Bound.RANGE: (D(first), D(second)),
    }[bound]
    dating = draw(st.sampled_from(["as_of", "period", "start"] + ([] if dated else ["none"])))
    year = PartialDate(date(draw(st.sampled_from([2024, 2025])), 1, 1), DatePrecision.YEAR)
    point = draw(partial_dates())
    return ClaimFacts(
        figure_id=figure_id,
        area_code="NPL",
        metric_slug="enlisted",
        low=low,
        high=high,
        bound=bound,
        unit=draw(st.sampled_from(["persons", "persons", "cases"])),
        currency=draw(st.sampled_from([None, None, "USD"])),
        claimant=draw(st.sampled_from(["Ministry", "ministry.", "An MP", "Activist"])),
        claimant_kind=draw(st.sampled_from([OFFICIAL_ORIGIN, OFFICIAL_RUSSIA, INDEPENDENT, MEDIA])),
        as_of=point if dating == "as_of" else None,
        period_start={"period": year, "start": point}.get(dating),
        period_end=year if dating == "period" else None,
    )


@st.composite
def claim_sets(draw: st.DrawFn) -> list[ClaimFacts]:
    drawn = draw(st.lists(claims(dated=False), max_size=6))
    return [replace(c, figure_id=index) for index, c in enumerate(drawn, start=1)]


@given(claims(figure_id=1), claims(figure_id=2))
def test_a_defined_conflict_size_is_above_one_and_symmetric(a: ClaimFacts, b: ClaimFacts) -> None:
    size = conflict_size(a, b)
    assert size is None or size > 1
    assert conflict_size(b, a) == size


@given(claims(figure_id=1), claims(figure_id=2))
def test_overlap_is_symmetric(a: ClaimFacts, b: ClaimFacts) -> None:
    assert a.interval.overlaps(b.interval) == b.interval.overlaps(a.interval)


@given(claim_sets(), st.data())
def test_disagreement_does_not_depend_on_input_order(
    claim_set: list[ClaimFacts], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(claim_set))
    assert disagreement(shuffled) == disagreement(claim_set)
    assert side_comparisons(shuffled) == side_comparisons(claim_set)


@given(claim_sets(), claims(dated=False))
def test_an_undated_claim_never_changes_the_disagreement(
    claim_set: list[ClaimFacts], extra: ClaimFacts
) -> None:
    undated = replace(extra, figure_id=100, as_of=None, period_start=None, period_end=None)
    assert disagreement([*claim_set, undated]) == disagreement(claim_set)


@given(claim_sets(), claims(dated=False), st.data())
def test_a_repeat_never_changes_the_disagreement(
    claim_set: list[ClaimFacts], extra: ClaimFacts, data: st.DataObject
) -> None:
    if not claim_set:
        return
    original = data.draw(st.sampled_from(claim_set))
    repeat = replace(extra, figure_id=100, repeats_id=original.figure_id)
    assert disagreement([*claim_set, repeat]) == disagreement(claim_set)


@given(claim_sets())
def test_the_verdict_and_its_numbers_agree(claim_set: list[ClaimFacts]) -> None:
    result: ClaimDisagreement = disagreement(claim_set)
    if result.verdict is Verdict.CONFLICT:
        assert result.factor is not None and result.factor > 1
        assert result.higher is not None and result.lower is not None
        assert comparability(result.higher, result.lower) is None
    else:
        assert result.factor is None and result.reason
    assert result.label() != "1x"
