"""One spelling per selection: filters that select the same published figures by the same rules
get the same canonical filter, and those that select other figures do not."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.dates import DatePrecision, PartialDate
from app.domain.figures import ClaimantKind
from app.domain.filters import SELECTS_NOTHING, FigureFilter, Side, canonical_filter

SPAN = (date(2022, 1, 1), date(2026, 3, 1))
OFFICIAL = tuple(kind for kind in ClaimantKind if kind.is_official)


def _partial(text: str) -> PartialDate:
    return PartialDate.parse(text)


def _day(text: str) -> PartialDate:
    return PartialDate(date.fromisoformat(text), DatePrecision.DAY)


def test_areas_and_metrics_are_sorted_once_each() -> None:
    spelt = FigureFilter(areas=("NPL", "CUB", "NPL"), metrics=("killed", "enlisted", "killed"))
    assert canonical_filter(spelt) == FigureFilter(
        areas=("CUB", "NPL"), metrics=("enlisted", "killed")
    )


@pytest.mark.parametrize(
    "spelt",
    [
        FigureFilter(side=Side.OFFICIAL),
        FigureFilter(claimant_kinds=tuple(reversed(OFFICIAL))),
        FigureFilter(claimant_kinds=tuple(ClaimantKind), side=Side.OFFICIAL),
        FigureFilter(claimant_kinds=(*OFFICIAL, ClaimantKind.MEDIA), side=Side.OFFICIAL),
        FigureFilter(claimant_kinds=(*OFFICIAL, *OFFICIAL)),
    ],
)
def test_side_and_kinds_fold_into_the_kinds_wanted(spelt: FigureFilter) -> None:
    assert canonical_filter(spelt) == FigureFilter(claimant_kinds=OFFICIAL)


def test_every_kind_is_no_kind_and_a_contradiction_is_nothing() -> None:
    assert canonical_filter(FigureFilter(claimant_kinds=tuple(ClaimantKind))) == FigureFilter()
    contradiction = FigureFilter(claimant_kinds=(ClaimantKind.MEDIA,), side=Side.OFFICIAL)
    assert canonical_filter(contradiction) == SELECTS_NOTHING
    assert SELECTS_NOTHING.selects_nothing
    assert canonical_filter(SELECTS_NOTHING) == SELECTS_NOTHING
    assert SELECTS_NOTHING.words().startswith("no published figure")
    assert SELECTS_NOTHING.slug() == "none" and FigureFilter().slug() == "all"


@pytest.mark.parametrize(
    "spelt",
    [
        FigureFilter(as_of_from=_partial("1930")),
        FigureFilter(as_of_from=_partial("1959-12-31")),
        FigureFilter(as_of_from=_partial("2022")),
        FigureFilter(as_of_to=_partial("2100")),
        FigureFilter(as_of_to=_partial("2026-03")),
        FigureFilter(as_of_from=_partial("1990"), as_of_to=_partial("2030-06")),
    ],
)
def test_bounds_outside_the_span_drop_but_keep_the_figures_dated(spelt: FigureFilter) -> None:
    # No bound at all would also select the undated figures: the span's first day stays.
    assert canonical_filter(spelt, SPAN) == FigureFilter(as_of_from=_day("2022-01-01"))


def test_bounds_inside_the_span_stay_as_days() -> None:
    spelt = FigureFilter(as_of_from=_partial("2024-02"), as_of_to=_partial("2024"))
    assert canonical_filter(spelt, SPAN) == FigureFilter(
        as_of_from=_day("2024-02-01"), as_of_to=_day("2024-12-31")
    )
    assert canonical_filter(FigureFilter(as_of_from=_partial("2024-02-01")), SPAN) == (
        canonical_filter(FigureFilter(as_of_from=_partial("2024-02")), SPAN)
    )
    assert canonical_filter(FigureFilter(as_of_from=_partial("2024-02-02")), SPAN) != (
        canonical_filter(FigureFilter(as_of_from=_partial("2024-02")), SPAN)
    )


@pytest.mark.parametrize(
    ("spelt", "span"),
    [
        (FigureFilter(as_of_from=_partial("2027")), SPAN),
        (FigureFilter(as_of_to=_partial("2021-12")), SPAN),
        (FigureFilter(as_of_from=_partial("2025"), as_of_to=_partial("2024")), SPAN),
        (FigureFilter(areas=("NPL",), as_of_from=_partial("1930")), None),
    ],
)
def test_bounds_that_exclude_every_dated_figure_select_nothing(
    spelt: FigureFilter, span: tuple[date, date] | None
) -> None:
    assert canonical_filter(spelt, span) == SELECTS_NOTHING


def test_no_bound_needs_no_span_and_other_filters_stay() -> None:
    spelt = FigureFilter(areas=("NPL",), text="Kathmandu Post", source_id=7)
    assert canonical_filter(spelt) == spelt
    assert canonical_filter(FigureFilter()) == FigureFilter()
