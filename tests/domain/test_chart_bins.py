"""Chart bins: counts kept, a bin's span from the numbers its figures state (ranges' both ends,
one-sided bounds open on their side), undated figures never in a period, log scales, the period
chosen to fit the marks, and a page's marks shared among its charts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from app.domain.chart_bins import (
    Period,
    bin_figures,
    chart_bins,
    make_bin,
    period_end,
    period_label,
    period_start,
    share_marks,
)
from app.domain.dates import PartialDate
from app.domain.figures import Bound, ClaimantKind
from app.domain.records import FigureRecord
from support import record

MEDIA = ClaimantKind.MEDIA
INDEPENDENT = ClaimantKind.INDEPENDENT


def _monthly(count: int, kind: ClaimantKind = MEDIA, first_id: int = 1) -> list[FigureRecord]:
    """Return figures one a day from 1 January 2024, valued 10, 11, 12, ..."""
    return [
        record(first_id + n, str(10 + n), str(10 + n), Bound.EXACT, kind, _day(n))
        for n in range(count)
    ]


def _day(n: int) -> str:
    return date.fromordinal(date(2024, 1, 1).toordinal() + n).isoformat()


def test_every_figure_is_counted_once_per_kind_and_period() -> None:
    figures = _monthly(60) + _monthly(31, INDEPENDENT, first_id=100)
    binned = bin_figures(figures, Period.MONTH)
    assert sum(found.count for found in binned.dated) == len(figures) == binned.figure_count
    counts = {(found.kind, found.start): found.count for found in binned.dated}
    assert counts == {
        (MEDIA, date(2024, 1, 1)): 31,
        (MEDIA, date(2024, 2, 1)): 29,  # 2024 is a leap year
        (INDEPENDENT, date(2024, 1, 1)): 31,
    }
    january = binned.dated[0]
    assert (january.lowest, january.highest) == (D(10), D(40))
    assert january.label() == "31 figures, from 10 to 40"
    assert january.middle == date(2024, 1, 16)


def test_a_bin_spans_the_numbers_stated_ranges_by_both_ends() -> None:
    figures = [
        record(1, "300", "300", Bound.EXACT, MEDIA, "2024-03-02"),
        record(2, "200", "900", Bound.RANGE, MEDIA, "2024-03-05"),
        record(3, "250", "250", Bound.APPROXIMATE, MEDIA, "2024-03-09"),
    ]
    found = make_bin(MEDIA, Period.MONTH, date(2024, 3, 1), figures)
    assert (found.lowest, found.highest) == (D(200), D(900))
    assert (found.count, found.ranges, found.open_above, found.open_below) == (3, 1, False, False)
    assert found.label() == "3 figures, from 200 to 900; of them 1 range (both ends counted)"
    assert found.when() == "March 2024"


def test_one_sided_bounds_count_their_number_and_open_the_bin_on_their_side() -> None:
    at_least = record(1, "5000", None, Bound.AT_LEAST, MEDIA, "2024-03-02")
    at_most = record(2, None, "40", Bound.AT_MOST, MEDIA, "2024-03-05")
    exact = record(3, "700", "700", Bound.EXACT, MEDIA, "2024-03-09")
    both = make_bin(MEDIA, Period.MONTH, date(2024, 3, 1), [at_least, at_most, exact])
    # "at least 5,000" states 5,000 and claims more: the top is 5,000, open above; "at most 40"
    # states 40 and claims anything down to zero: the bottom is 40, open below.
    assert (both.lowest, both.highest) == (D(40), D(5000))
    assert (both.open_above, both.open_below) == (True, True)
    assert both.label() == (
        '3 figures, from 40 to 5,000; of them 1 "at least" (may be higher), 1 "at most" (may be lower)'
    )
    alone = make_bin(MEDIA, Period.MONTH, date(2024, 3, 1), [at_most])
    assert (alone.lowest, alone.highest, alone.open_above, alone.open_below) == (
        D(40),
        D(40),
        False,
        True,
    )
    assert alone.label() == '1 figure, at 40; of them 1 "at most" (may be lower)'
    closed = make_bin(MEDIA, Period.MONTH, date(2024, 3, 1), [exact])
    assert (closed.open_above, closed.open_below) == (False, False)


def test_undated_figures_are_never_put_in_a_period() -> None:
    dated = _monthly(3)
    undated = [
        record(50, "7", "7", Bound.EXACT, MEDIA, None, published="2024-02"),
        record(51, "9000", "9000", Bound.EXACT, MEDIA, None),
        record(52, "20", "30", Bound.RANGE, INDEPENDENT, None),
    ]
    binned = bin_figures(dated + undated, Period.MONTH)
    assert sum(found.count for found in binned.dated) == 3
    assert all(found.period is Period.MONTH for found in binned.dated)
    lanes = {found.kind: found for found in binned.undated}
    assert set(lanes) == {MEDIA, INDEPENDENT}
    assert (lanes[MEDIA].count, lanes[MEDIA].lowest, lanes[MEDIA].highest) == (2, D(7), D(9000))
    assert (lanes[MEDIA].period, lanes[MEDIA].start, lanes[MEDIA].middle) == (None, None, None)
    assert lanes[MEDIA].when() == "no date stated"
    assert (
        lanes[INDEPENDENT].label() == "1 figure, from 20 to 30; of them 1 range (both ends counted)"
    )
    assert binned.figure_count == 6
    assert binned.describe() == (
        "This chart shows 6 figures in 1 monthly bin per claimant kind"
        " (and 3 with no date, one mark per claimant kind)"
    )


def test_a_figure_sits_in_the_period_of_the_date_the_chart_gives_it() -> None:
    """A year-precision figure sits at its year's middle, as on the full chart; a period's figure
    at the middle of its end."""
    year = record(1, "10", "10", Bound.EXACT, MEDIA, "2024")
    period = replace(
        record(2, "20", "20", Bound.EXACT, MEDIA, None),
        period_start=PartialDate.parse("2023-01"),
        period_end=PartialDate.parse("2023-11"),
    )
    binned = bin_figures([year, period], Period.QUARTER)
    assert [(found.start, found.count) for found in binned.dated] == [
        (date(2023, 10, 1), 1),
        (date(2024, 7, 1), 1),
    ]
    assert binned.undated == ()


def test_on_a_log_scale_a_bin_is_drawn_from_its_lowest_positive_number() -> None:
    zero = record(1, "0", "0", Bound.EXACT, MEDIA, "2024-03-02")
    some = record(2, "30", "4000", Bound.RANGE, MEDIA, "2024-03-05")
    found = make_bin(MEDIA, Period.MONTH, date(2024, 3, 1), [zero, some])
    assert found.drawn_span(log_scale=False) == (D(0), D(4000))
    assert found.drawn_span(log_scale=True) == (D(30), D(4000))
    assert found.label().startswith("2 figures, from 0 to 4,000")  # the label keeps the zero
    only_zero = make_bin(MEDIA, Period.MONTH, date(2024, 3, 1), [zero])
    assert only_zero.drawn_span(log_scale=True) is None
    assert only_zero.drawn_span(log_scale=False) == (D(0), D(0))


def test_the_finest_period_whose_bins_fit_the_limit_is_chosen() -> None:
    figures = _monthly(730)  # two years, one kind: 24 months, 8 quarters, 2 years
    assert chart_bins(figures, 730) is None  # every figure fits: no bins
    monthly = chart_bins(figures, 729)
    assert monthly is not None and (monthly.period, monthly.mark_count) == (Period.MONTH, 24)
    quarterly = chart_bins(figures, 23)
    assert quarterly is not None and (quarterly.period, quarterly.mark_count) == (Period.QUARTER, 8)
    yearly = chart_bins(figures, 7)
    assert yearly is not None and (yearly.period, yearly.mark_count) == (Period.YEAR, 2)
    # Beyond yearly bins nothing is coarser: a year a bin, over the limit if need be.
    tight = chart_bins(figures, 1)
    assert tight is not None and (tight.period, tight.mark_count) == (Period.YEAR, 2)
    assert sum(found.count for found in tight.dated) == 730


def test_the_undated_lane_counts_among_the_marks() -> None:
    figures = [*_monthly(60), record(99, "5", "5", Bound.EXACT, INDEPENDENT, None)]
    binned = chart_bins(figures, 3)  # 2 monthly bins and the lane fit exactly
    assert binned is not None and (binned.period, binned.mark_count) == (Period.MONTH, 3)
    coarser = chart_bins(figures, 2)
    assert coarser is not None and (coarser.period, coarser.mark_count) == (Period.QUARTER, 2)


def test_periods_start_end_and_read() -> None:
    day = date(2024, 11, 19)
    assert [period_start(day, period) for period in Period] == [
        date(2024, 11, 1),
        date(2024, 10, 1),
        date(2024, 1, 1),
    ]
    assert period_end(date(2024, 2, 1), Period.MONTH) == date(2024, 2, 29)
    assert period_end(date(2024, 10, 1), Period.QUARTER) == date(2024, 12, 31)
    assert period_end(date(2024, 1, 1), Period.YEAR) == date(2024, 12, 31)
    assert [period_label(period_start(day, period), period) for period in Period] == [
        "November 2024",
        "Q4 2024",
        "2024",
    ]


def test_a_page_shares_its_marks_small_charts_first() -> None:
    assert share_marks([10, 20, 30], 2000) == [10, 20, 30]
    # 100 and 200 fit an equal share; the two large charts share what is left.
    assert share_marks([5000, 100, 9000, 200], 2000) == [850, 100, 850, 200]
    assert sum(share_marks([5000, 100, 9000, 200], 2000)) <= 2000
    assert share_marks([0, 3000], 2000) == [0, 2000]
    assert share_marks([], 2000) == []
    assert share_marks([10, 10, 10], 2) == [1, 1, 1]  # never below one mark
