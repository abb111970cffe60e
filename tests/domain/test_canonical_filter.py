"""One spelling per selection: filters that select the same published figures by the same rules
get the same canonical filter (FigureFilter.canonical, from the filter alone; within_span, once
the published figures' as-of span is known), and those that select other figures do not."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from itertools import chain, combinations
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.dates import DatePrecision, PartialDate
from app.domain.figures import ClaimantKind
from app.domain.filters import SELECTS_NOTHING, FigureFilter, Side, within_span
from app.web.api.schemas import ExportQuery, FigureQuery, filter_parameters

SPAN = (date(2022, 1, 1), date(2026, 3, 1))
OFFICIAL = tuple(kind for kind in ClaimantKind if kind.is_official)
INDEPENDENT = tuple(kind for kind in ClaimantKind if not kind.is_official)


def _partial(text: str) -> PartialDate:
    return PartialDate.parse(text)


def _day(text: str) -> PartialDate:
    return PartialDate(date.fromisoformat(text), DatePrecision.DAY)


def test_lists_are_sorted_once_each_and_the_text_trimmed() -> None:
    spelt = FigureFilter(
        areas=("NPL", "CUB", "NPL"),
        metrics=("killed", "enlisted", "killed"),
        text="  Kathmandu Post \n",
        source_id=7,
    )
    assert spelt.canonical() == FigureFilter(
        areas=("CUB", "NPL"), metrics=("enlisted", "killed"), text="Kathmandu Post", source_id=7
    )
    assert FigureFilter().canonical() == FigureFilter()


@pytest.mark.parametrize(
    ("spelt", "side"),
    [
        (FigureFilter(side=Side.OFFICIAL), Side.OFFICIAL),
        (FigureFilter(claimant_kinds=tuple(reversed(OFFICIAL))), Side.OFFICIAL),
        (FigureFilter(claimant_kinds=tuple(ClaimantKind), side=Side.OFFICIAL), Side.OFFICIAL),
        (
            FigureFilter(claimant_kinds=(*OFFICIAL, ClaimantKind.MEDIA), side=Side.OFFICIAL),
            Side.OFFICIAL,
        ),
        (FigureFilter(claimant_kinds=(*OFFICIAL, *OFFICIAL)), Side.OFFICIAL),
        (FigureFilter(side=Side.INDEPENDENT), Side.INDEPENDENT),
        (FigureFilter(claimant_kinds=tuple(reversed(INDEPENDENT))), Side.INDEPENDENT),
        (FigureFilter(claimant_kinds=tuple(ClaimantKind), side=Side.INDEPENDENT), Side.INDEPENDENT),
    ],
)
def test_one_sides_kinds_are_written_as_that_side(spelt: FigureFilter, side: Side) -> None:
    assert spelt.canonical() == FigureFilter(side=side)
    assert spelt.canonical().words() == f"the published figures of {side.value} side"


def test_other_kinds_are_listed_in_their_order_without_a_side() -> None:
    mixed = FigureFilter(
        claimant_kinds=(ClaimantKind.MEDIA, ClaimantKind.OFFICIAL_UKRAINE, ClaimantKind.MEDIA)
    )
    assert mixed.canonical() == FigureFilter(
        claimant_kinds=(ClaimantKind.OFFICIAL_UKRAINE, ClaimantKind.MEDIA)
    )
    narrowed = FigureFilter(
        claimant_kinds=(ClaimantKind.MEDIA, ClaimantKind.OFFICIAL_UKRAINE), side=Side.INDEPENDENT
    )
    assert narrowed.canonical() == FigureFilter(claimant_kinds=(ClaimantKind.MEDIA,))
    assert FigureFilter(claimant_kinds=tuple(reversed(ClaimantKind))).canonical() == FigureFilter()


@pytest.mark.parametrize(
    "contradiction",
    [
        FigureFilter(areas=("NPL",), claimant_kinds=(ClaimantKind.MEDIA,), side=Side.OFFICIAL),
        FigureFilter(claimant_kinds=OFFICIAL, side=Side.INDEPENDENT),
        FigureFilter(metrics=("killed",), as_of_from=_partial("2025"), as_of_to=_partial("2024")),
        FigureFilter(as_of_from=_partial("2024-03-01"), as_of_to=_partial("2024-02")),
        SELECTS_NOTHING,
    ],
)
def test_a_filter_that_contradicts_itself_is_selects_nothing(contradiction: FigureFilter) -> None:
    assert contradiction.selects_nothing
    assert contradiction.canonical() == SELECTS_NOTHING
    assert within_span(contradiction, SPAN) == SELECTS_NOTHING
    assert SELECTS_NOTHING.words().startswith("no published figure")
    assert SELECTS_NOTHING.slug() == "none" and FigureFilter().slug() == "all"


def test_bounds_are_written_as_the_days_they_start_and_end_on() -> None:
    spelt = FigureFilter(as_of_from=_partial("2024-02"), as_of_to=_partial("2024"))
    assert spelt.canonical() == FigureFilter(
        as_of_from=_day("2024-02-01"), as_of_to=_day("2024-12-31")
    )
    assert FigureFilter(as_of_to=_partial("2024-02")).canonical() == (
        FigureFilter(as_of_to=_partial("2024-02-29")).canonical()
    )
    assert FigureFilter(as_of_from=_partial("2024-02-02")).canonical() != (
        FigureFilter(as_of_from=_partial("2024-02")).canonical()
    )
    same_day = FigureFilter(as_of_from=_partial("2024-02-29"), as_of_to=_partial("2024-02-29"))
    assert same_day.canonical() == same_day and not same_day.selects_nothing


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
    assert within_span(spelt, SPAN) == FigureFilter(as_of_from=_day("2022-01-01"))


def test_bounds_inside_the_span_stay_as_days_beside_the_rest_of_the_canonical_form() -> None:
    spelt = FigureFilter(
        areas=("NPL", "NPL"),
        claimant_kinds=OFFICIAL,
        as_of_from=_partial("2024-02"),
        as_of_to=_partial("2030"),
        text=" Post ",
    )
    assert within_span(spelt, SPAN) == FigureFilter(
        areas=("NPL",), side=Side.OFFICIAL, as_of_from=_day("2024-02-01"), text="Post"
    )
    assert within_span(spelt, SPAN) == within_span(spelt.canonical(), SPAN)


@pytest.mark.parametrize(
    ("spelt", "span"),
    [
        (FigureFilter(as_of_from=_partial("2027")), SPAN),
        (FigureFilter(as_of_to=_partial("2021-12")), SPAN),
        (FigureFilter(areas=("NPL",), as_of_from=_partial("1930")), None),
    ],
)
def test_bounds_that_exclude_every_dated_figure_select_nothing(
    spelt: FigureFilter, span: tuple[date, date] | None
) -> None:
    assert not spelt.canonical().selects_nothing  # the published figures' dates tell
    assert within_span(spelt, span) == SELECTS_NOTHING


def test_no_bound_needs_no_span() -> None:
    spelt = FigureFilter(areas=("NPL",), side=Side.OFFICIAL, text="Kathmandu Post", source_id=7)
    assert within_span(spelt, None) == spelt.canonical() == spelt


# The rules by which a filter selects published figures, written out on their own: the figures
# of any of the areas, metrics and kinds listed (every one when none is; a side keeps its own
# kinds), dated from the first day of as_of_from to the last of as_of_to, with the text.
Selection = tuple[Any, ...] | None  # None: no figure at all

AREAS = ("CUB", "NPL", "world")
METRICS = ("enlisted", "killed")
TEXTS = ("", "Post", " Post ", "post")
SOURCES = (None, 3)


def selection_by_the_rules(figure_filter: FigureFilter) -> Selection:
    """Return what the filter selects, by the rules: equal for filters selecting the same."""
    kinds = set(figure_filter.claimant_kinds or ClaimantKind)
    if figure_filter.side is not None:
        kinds &= {
            kind
            for kind in ClaimantKind
            if kind.is_official == (figure_filter.side is Side.OFFICIAL)
        }
    first = figure_filter.as_of_from.value if figure_filter.as_of_from else None
    last = figure_filter.as_of_to.last_day() if figure_filter.as_of_to else None
    if not kinds or (first and last and first > last):
        return None
    return (
        frozenset(figure_filter.areas),
        frozenset(figure_filter.metrics),
        frozenset(kinds),
        first,
        last,
        figure_filter.text.strip(),
        figure_filter.source_id,
    )


def _all_kind_spellings() -> dict[frozenset[ClaimantKind], list[tuple[Any, ...]]]:
    """Return every claimant kinds and side that ask for each set of kinds."""
    spellings: dict[frozenset[ClaimantKind], list[tuple[Any, ...]]] = defaultdict(list)
    subsets = chain.from_iterable(
        combinations(ClaimantKind, size) for size in range(len(ClaimantKind) + 1)
    )
    for kinds in subsets:
        for side in (None, *Side):
            spelt = FigureFilter(claimant_kinds=kinds, side=side)
            selection = selection_by_the_rules(spelt)
            spellings[selection[2] if selection else frozenset()].append((kinds, side))
    return spellings


KIND_SPELLINGS = _all_kind_spellings()
DAYS = st.one_of(
    st.sampled_from(
        [
            date(2024, 1, 1),
            date(2024, 12, 31),
            date(2024, 2, 1),
            date(2024, 2, 29),
            date(2025, 1, 1),
        ]
    ),
    st.dates(min_value=date(2023, 11, 1), max_value=date(2025, 2, 28)),
)


def first_day_spellings(day: date) -> list[PartialDate]:
    """Return every partial date whose first day is `day`."""
    return [
        PartialDate(day, DatePrecision.DAY),
        *([PartialDate(day, DatePrecision.MONTH)] if day.day == 1 else []),
        *([PartialDate(day, DatePrecision.YEAR)] if (day.month, day.day) == (1, 1) else []),
    ]


def last_day_spellings(day: date) -> list[PartialDate]:
    """Return every partial date whose last day is `day`."""
    month_ends = day.day == calendar.monthrange(day.year, day.month)[1]
    return [
        PartialDate(day, DatePrecision.DAY),
        *([PartialDate(day.replace(day=1), DatePrecision.MONTH)] if month_ends else []),
        *(
            [PartialDate(date(day.year, 1, 1), DatePrecision.YEAR)]
            if (day.month, day.day) == (12, 31)
            else []
        ),
    ]


def partial_dates() -> st.SearchStrategy[PartialDate | None]:
    return st.one_of(st.none(), DAYS.flatmap(lambda day: st.sampled_from(first_day_spellings(day))))


FILTERS = st.builds(
    FigureFilter,
    areas=st.lists(st.sampled_from(AREAS), max_size=3).map(tuple),
    metrics=st.lists(st.sampled_from(METRICS), max_size=2).map(tuple),
    claimant_kinds=st.lists(st.sampled_from(list(ClaimantKind)), max_size=5).map(tuple),
    side=st.sampled_from([None, *Side]),
    as_of_from=partial_dates(),
    as_of_to=partial_dates(),
    text=st.sampled_from(TEXTS),
    source_id=st.sampled_from(SOURCES),
)


@st.composite
def respelt(draw: st.DrawFn, figure_filter: FigureFilter) -> FigureFilter:
    """Draw another spelling of what the filter selects, by the rules."""
    selection = selection_by_the_rules(figure_filter)
    if selection is None:
        return draw(FILTERS.filter(lambda other: selection_by_the_rules(other) is None))

    def listed(values: frozenset[str]) -> tuple[str, ...]:
        repeats = draw(st.lists(st.sampled_from(sorted(values)), max_size=3)) if values else []
        return tuple(draw(st.permutations([*values, *repeats])))

    areas, metrics, kinds, first, last, text, source_id = selection
    spelt_kinds, side = draw(st.sampled_from(KIND_SPELLINGS[kinds]))
    return FigureFilter(
        areas=listed(areas),
        metrics=listed(metrics),
        claimant_kinds=tuple(draw(st.permutations(spelt_kinds))),
        side=side,
        as_of_from=draw(st.sampled_from(first_day_spellings(first))) if first else None,
        as_of_to=draw(st.sampled_from(last_day_spellings(last))) if last else None,
        text=draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", " "])),
        source_id=source_id,
    )


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(FILTERS.flatmap(lambda spelt: st.tuples(st.just(spelt), respelt(spelt))))
def test_every_spelling_of_one_selection_has_one_canonical_filter(
    spellings: tuple[FigureFilter, FigureFilter],
) -> None:
    spelt, other = spellings
    assert selection_by_the_rules(spelt) == selection_by_the_rules(other)
    assert spelt.canonical() == other.canonical()
    assert within_span(spelt, SPAN) == within_span(other, SPAN)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(FILTERS, FILTERS)
def test_the_canonical_filter_selects_what_the_filter_does_and_nothing_else_does(
    spelt: FigureFilter, other: FigureFilter
) -> None:
    canonical = spelt.canonical()
    assert selection_by_the_rules(canonical) == selection_by_the_rules(spelt)
    assert canonical.canonical() == canonical
    same = selection_by_the_rules(spelt) == selection_by_the_rules(other)
    assert (canonical == other.canonical()) == same


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(FILTERS, st.booleans())
def test_the_query_parameters_of_a_canonical_filter_ask_for_it(
    spelt: FigureFilter, hxl: bool
) -> None:
    canonical = spelt.canonical()
    export = ExportQuery.of_filter(canonical, hxl=hxl)
    assert export.to_filter() == canonical and export.hxl is hxl
    values: dict[str, list[str]] = defaultdict(list)
    for name, value in filter_parameters(canonical):
        values[name].append(value)
    parsed = {name: listed if name in ("area", "metric", "claimant_kind") else listed[0]
              for name, listed in values.items()}  # fmt: skip
    assert FigureQuery.model_validate(parsed).to_filter() == canonical
    written = ExportQuery.of_filter(canonical, hxl=False).query_string()
    assert written == urlencode(filter_parameters(canonical))
