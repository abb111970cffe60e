"""Claims as intervals: which claims compare, when they conflict, voices and sides."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.domain.dates import PartialDate
from app.domain.figures import Bound, ClaimantKind, format_factor, format_value_label

AS_OF_WINDOW_DAYS = 180  # running totals dated further apart than this are not compared


@dataclass(frozen=True)
class Interval:
    """The values a claim allows, from low to high; high None means no upper limit."""

    low: Decimal
    high: Decimal | None

    def overlaps(self, other: Interval) -> bool:
        """Return True when the intervals share a value (touching ends count)."""
        reaches_other = other.high is None or self.low <= other.high
        reached_by_other = self.high is None or other.low <= self.high
        return reaches_other and reached_by_other


def interval_of(low: Decimal | None, high: Decimal | None, bound: Bound) -> Interval:
    """Return the interval the numbers allow: a point, a range, [low, inf) or [0, high]."""
    if bound is Bound.AT_LEAST and low is not None:
        return Interval(low, None)
    if bound is Bound.AT_MOST and high is not None:
        return Interval(Decimal(0), high)
    if bound is Bound.RANGE and low is not None and high is not None:
        return Interval(low, high)
    point = low if low is not None else high
    if bound in (Bound.EXACT, Bound.APPROXIMATE) and point is not None:
        return Interval(point, point)
    raise ValueError(f"the numbers {low} and {high} do not fit the bound {bound}")


def normalise_claimant(name: str) -> str:
    """Return the claimant's name casefolded, without punctuation, with single spaces."""
    kept = (ch for ch in name.casefold() if not unicodedata.category(ch).startswith("P"))
    return " ".join("".join(kept).split())


@dataclass(frozen=True)
class ClaimFacts:
    """What comparing needs of one figure."""

    figure_id: int
    area_code: str
    metric_slug: str
    low: Decimal | None
    high: Decimal | None
    bound: Bound
    unit: str
    currency: str | None
    claimant: str
    claimant_kind: ClaimantKind
    as_of: PartialDate | None = None
    period_start: PartialDate | None = None
    period_end: PartialDate | None = None
    repeats_id: int | None = None

    @property
    def interval(self) -> Interval:
        """Return the values the claim allows."""
        return interval_of(self.low, self.high, self.bound)

    @property
    def central(self) -> Decimal:
        """Return the value standing for the claim: a range's middle, a floor's low, a cap's high."""
        interval = self.interval
        if self.bound is Bound.AT_LEAST or interval.high is None:
            return interval.low
        if self.bound is Bound.AT_MOST:
            return interval.high
        return (interval.low + interval.high) / 2

    @property
    def is_period(self) -> bool:
        """Return True for a figure counted over a period (both start and end given)."""
        return self.period_start is not None and self.period_end is not None

    @property
    def as_of_date(self) -> PartialDate | None:
        """Return the date of a running total (as_of, else its only period end); None otherwise."""
        if self.is_period:
            return None
        return self.as_of or self.period_end or self.period_start

    @property
    def date_span(self) -> tuple[date, date] | None:
        """Return the first and last day the figure's date or period covers; None when undated."""
        if self.period_start is not None and self.period_end is not None:
            return (self.period_start.value, self.period_end.last_day())
        point = self.as_of_date
        return None if point is None else (point.value, point.last_day())

    @property
    def is_dated(self) -> bool:
        """Return True when the figure has an as-of date or a period."""
        return self.date_span is not None

    @property
    def recency(self) -> tuple[date, date, int]:
        """Return the sort key for 'later': the span's last day, a period's as-of, the id."""
        span = self.date_span
        stated = self.as_of.last_day() if self.is_period and self.as_of else date.min
        return (date.min if span is None else span[1], stated, self.figure_id)

    @property
    def date_label(self) -> str:
        """Return the date for reading: 26 Dec 2023, Feb 2024, 2024–2025 or 'undated'."""
        if self.period_start is not None and self.period_end is not None:
            start, end = self.period_start.label(), self.period_end.label()
            return start if start == end else f"{start}–{end}"
        point = self.as_of_date
        return "undated" if point is None else point.label()

    @property
    def value_label(self) -> str:
        """Return the numbers as claimed, with currency and unit: about 200 persons."""
        return format_value_label(self.low, self.high, self.bound, self.unit, self.currency)

    @property
    def voice_key(self) -> tuple[ClaimantKind, str]:
        """Return who speaks: the claimant kind and the normalised claimant name."""
        return (self.claimant_kind, normalise_claimant(self.claimant))


class _Mismatch(StrEnum):
    """Why two claims are not compared, most fundamental first: the words, or what differs."""

    SAME_FIGURE = "the same figure"
    AREA = "areas"
    METRIC = "metrics"
    UNIT = "units"
    CURRENCY = "currencies"
    UNDATED = "an undated figure"
    PERIOD_KIND = "different kinds of period"
    PERIOD = "different periods"
    DISTANCE = f"dated more than {AS_OF_WINDOW_DAYS} days apart"


_MEASURED_FIELD: dict[_Mismatch, str] = {
    _Mismatch.AREA: "area_code",
    _Mismatch.METRIC: "metric_slug",
    _Mismatch.UNIT: "unit",
    _Mismatch.CURRENCY: "currency",
}


def measure_mismatch(a: ClaimFacts, b: ClaimFacts) -> _Mismatch | None:
    """Return how the two claims measure different things, or None when they measure the same."""
    for mismatch, field in _MEASURED_FIELD.items():
        if getattr(a, field) != getattr(b, field):
            return mismatch
    return None


def _mismatch(a: ClaimFacts, b: ClaimFacts) -> _Mismatch | None:
    """Return why the two claims are not comparable, or None when they are."""
    if a.figure_id == b.figure_id:
        return _Mismatch.SAME_FIGURE
    measure = measure_mismatch(a, b)
    if measure is not None:
        return measure
    span_a, span_b = a.date_span, b.date_span
    if span_a is None or span_b is None:
        return _Mismatch.UNDATED
    if a.is_period != b.is_period:
        return _Mismatch.PERIOD_KIND
    if a.is_period:
        return None if span_a == span_b else _Mismatch.PERIOD
    days_apart = max(0, (span_b[0] - span_a[1]).days, (span_a[0] - span_b[1]).days)
    return None if days_apart <= AS_OF_WINDOW_DAYS else _Mismatch.DISTANCE


def reason_text(mismatch: _Mismatch, involved: Sequence[ClaimFacts], *, group: bool) -> str:
    """Return the words for a mismatch among the claims involved (a pair, or a whole group)."""
    if mismatch in _MEASURED_FIELD:
        values = {getattr(claim, _MEASURED_FIELD[mismatch]) or "none" for claim in involved}
        return f"different {mismatch.value}: " + ", ".join(sorted(values))
    if mismatch is _Mismatch.DISTANCE and group:
        return f"no two dated figures within {AS_OF_WINDOW_DAYS} days"
    return mismatch.value


def comparability(a: ClaimFacts, b: ClaimFacts) -> str | None:
    """Return None when the two claims are comparable, else the reason they are not."""
    mismatch = _mismatch(a, b)
    return None if mismatch is None else reason_text(mismatch, (a, b), group=False)


def _higher_and_lower(a: ClaimFacts, b: ClaimFacts) -> tuple[ClaimFacts, ClaimFacts] | None:
    """Return the claims as (higher, lower) when their intervals are disjoint, else None."""
    if a.interval.overlaps(b.interval):
        return None
    return (a, b) if b.interval.high is not None and b.interval.high < a.interval.low else (b, a)


def conflict_size(a: ClaimFacts, b: ClaimFacts) -> Decimal | None:
    """Return the higher claim's low over the lower claim's high; None on overlap or a zero claim."""
    ordered = _higher_and_lower(a, b)
    if ordered is None:
        return None
    higher, lower = ordered
    top = lower.interval.high
    return None if top is None or top == 0 else higher.interval.low / top


@dataclass(frozen=True)
class Voices:
    """Claims sorted by role: the current ones are compared, the others only listed."""

    current: tuple[ClaimFacts, ...]
    superseded_by: dict[int, int]  # figure id -> id of the same voice's current figure
    repeat_of: dict[int, int]  # figure id -> id of the figure it repeats
    undated: tuple[ClaimFacts, ...]


def unique_by_id(claims: Iterable[ClaimFacts]) -> list[ClaimFacts]:
    """Return the claims once each, by figure id; raise ValueError when two differ under one id."""
    by_id: dict[int, ClaimFacts] = {}
    for claim in claims:
        if by_id.setdefault(claim.figure_id, claim) != claim:
            raise ValueError(f"two different claims share the figure id {claim.figure_id}")
    return [by_id[figure_id] for figure_id in sorted(by_id)]


def _update_key(claim: ClaimFacts) -> tuple[object, ...]:
    """Return what a later figure must share with an earlier one to supersede it."""
    period = claim.date_span if claim.is_period else None
    return (claim.voice_key, claim.area_code, claim.metric_slug, claim.unit, claim.currency, period)


def voices(claims: Sequence[ClaimFacts]) -> Voices:
    """Return the claims split into current ones, superseded ones, repeats and undated ones."""
    unique = unique_by_id(claims)
    ids = {claim.figure_id for claim in unique}
    repeat_of = {
        claim.figure_id: claim.repeats_id
        for claim in unique
        if claim.repeats_id is not None and claim.repeats_id in ids - {claim.figure_id}
    }
    undated = tuple(c for c in unique if not c.is_dated and c.figure_id not in repeat_of)
    candidates = [c for c in unique if c.is_dated and c.figure_id not in repeat_of]
    latest = {_update_key(c): c for c in sorted(candidates, key=lambda claim: claim.recency)}
    current = tuple(sorted(latest.values(), key=lambda claim: claim.figure_id))
    superseded_by = {
        c.figure_id: latest[_update_key(c)].figure_id for c in candidates if c not in current
    }
    return Voices(current, superseded_by, dict(sorted(repeat_of.items())), undated)


class Verdict(StrEnum):
    """What comparing an area's and metric's current claims found."""

    CONFLICT = "conflict"
    CONSISTENT = "consistent"
    NOT_COMPARED = "not_compared"


@dataclass(frozen=True)
class ClaimDisagreement:
    """The largest conflict between comparable current claims, or why there is none."""

    verdict: Verdict
    factor: Decimal | None
    higher: ClaimFacts | None
    lower: ClaimFacts | None
    reason: str

    def label(self) -> str:
        """Return the verdict for reading: '70x', 'consistent' or 'not compared: <reason>'."""
        if self.verdict is Verdict.CONFLICT and self.factor is not None:
            text = format_factor(self.factor)
            return "just over 1x" if text == "1x" else text
        if self.verdict is Verdict.CONSISTENT:
            return "consistent"
        return f"not compared: {self.reason}"


def _not_compared(reason: str) -> ClaimDisagreement:
    """Return a disagreement that was not computed, for the reason given."""
    return ClaimDisagreement(Verdict.NOT_COMPARED, None, None, None, reason)


def disagreement(claims: Sequence[ClaimFacts]) -> ClaimDisagreement:
    """Return the largest conflict between two current comparable claims, or why there is none."""
    split = voices(claims)
    if len(split.current) + len(split.superseded_by) < 2:
        return _not_compared("fewer than two dated figures")
    if len(split.current) < 2:
        return _not_compared("one voice only: its later figures supersede the earlier ones")
    conflicts: list[tuple[Decimal, ClaimFacts, ClaimFacts]] = []
    mismatched: dict[_Mismatch, list[ClaimFacts]] = {}
    compared = against_zero = False
    for a, b in itertools.combinations(split.current, 2):
        mismatch = _mismatch(a, b)
        if mismatch is not None:
            mismatched.setdefault(mismatch, []).extend((a, b))
            continue
        compared = True
        ordered = _higher_and_lower(a, b)
        size = conflict_size(a, b)
        if ordered is not None and size is not None:
            conflicts.append((size, *ordered))
        against_zero = against_zero or (ordered is not None and size is None)
    if conflicts:
        best = min(conflicts, key=lambda c: (-c[0], sorted((c[1].figure_id, c[2].figure_id))))
        return ClaimDisagreement(Verdict.CONFLICT, *best, "")
    if against_zero:
        return _not_compared("a claim of zero")
    if compared:
        return ClaimDisagreement(Verdict.CONSISTENT, None, None, None, "the intervals overlap")
    reasons = (reason_text(m, mismatched[m], group=True) for m in _Mismatch if m in mismatched)
    return _not_compared("; ".join(reasons))
