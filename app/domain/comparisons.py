"""Figures grouped the way pages show them: by metric for an area, by area for a metric."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar

from app.domain.claim_comparison import (
    ClaimDisagreement,
    ClaimFacts,
    Verdict,
    disagreement,
)
from app.domain.claim_sides import (
    CurrentEstimate,
    SideComparison,
    current_estimate,
    side_comparisons,
)
from app.domain.dated_claims import DatedClaim
from app.domain.figures import spread_needs_log_scale
from app.domain.records import FigureRecord


class Dated(Protocol):
    """Anything with a figure's id and dates (a FigureRecord, a DatedClaim)."""

    @property
    def id(self) -> int: ...

    @property
    def own_date(self) -> date | None: ...

    @property
    def sort_date(self) -> date: ...


DatedT = TypeVar("DatedT", bound=Dated)


def latest_of(figures: Iterable[DatedT]) -> DatedT:
    """Return the figure with the latest date of its own (undated ones only if all are)."""
    figures = list(figures)
    dated = [figure for figure in figures if figure.own_date is not None]
    if dated:
        return max(dated, key=lambda figure: (figure.own_date or date.min, figure.id))
    return max(figures, key=lambda figure: (figure.sort_date, figure.id))


@dataclass(frozen=True)
class FigureGroup:
    """The figures of one area and one metric, with how far they disagree."""

    area_code: str
    area_name: str
    metric_slug: str
    metric_label: str
    records: tuple[FigureRecord, ...]
    disagreement: ClaimDisagreement
    sides: tuple[SideComparison, ...]
    log_scale: bool

    @property
    def latest(self) -> FigureRecord:
        """Return the figure with the latest date of its own (undated ones only if all are)."""
        return latest_of(self.records)

    @property
    def official_records(self) -> list[FigureRecord]:
        """Return the figures from governments."""
        return [record for record in self.records if record.claimant_kind.is_official]

    @property
    def independent_records(self) -> list[FigureRecord]:
        """Return the figures from everyone but governments."""
        return [record for record in self.records if not record.claimant_kind.is_official]


def make_group(records: Sequence[FigureRecord], summary: GroupSummary | None = None) -> FigureGroup:
    """Return the group of figures (all of one area and metric), ordered by date then id.

    With the group's kept summary (computed from the same figures when they last changed), its
    disagreement and sides are taken from it instead of being computed again.
    """
    ordered = tuple(sorted(records, key=lambda record: (record.sort_date, record.id)))
    first = ordered[0]
    if summary is None or summary.figure_count != len(ordered):
        facts = [record.facts for record in ordered]
        found, sides = disagreement(facts), tuple(side_comparisons(facts))
    else:
        found, sides = summary.disagreement, summary.sides
    return FigureGroup(
        area_code=first.area_code,
        area_name=first.area_name,
        metric_slug=first.metric_slug,
        metric_label=first.metric_label,
        records=ordered,
        disagreement=found,
        sides=sides,
        log_scale=spread_needs_log_scale([record.claim for record in ordered]),
    )


def group_by_metric(
    records: Sequence[FigureRecord],
    metric_order: Sequence[str],
    summaries: Mapping[str, GroupSummary] | None = None,
) -> list[FigureGroup]:
    """Return one group per metric present, in the vocabulary's order (with each metric's kept
    summary, when given, for its comparisons)."""
    by_metric: dict[str, list[FigureRecord]] = defaultdict(list)
    for record in records:
        by_metric[record.metric_slug].append(record)
    found = summaries or {}
    slugs = in_vocabulary_order(by_metric, metric_order)
    return [make_group(by_metric[slug], found.get(slug)) for slug in slugs]


def in_vocabulary_order(slugs: Iterable[str], metric_order: Sequence[str]) -> list[str]:
    """Return the metric slugs in the vocabulary's order (unknown ones last, by slug)."""
    position = {slug: index for index, slug in enumerate(metric_order)}
    return sorted(slugs, key=lambda slug: (position.get(slug, len(position)), slug))


def group_by_area_and_metric(records: Sequence[FigureRecord]) -> list[FigureGroup]:
    """Return one group per (area, metric) present."""
    by_key: dict[tuple[str, str], list[FigureRecord]] = defaultdict(list)
    for record in records:
        by_key[(record.area_code, record.metric_slug)].append(record)
    return [make_group(by_key[key]) for key in sorted(by_key)]


class HasDisagreement(Protocol):
    """Anything with an area's name and a disagreement (a FigureGroup, a page's summary row)."""

    @property
    def area_name(self) -> str: ...

    @property
    def disagreement(self) -> ClaimDisagreement: ...


GroupT = TypeVar("GroupT", bound=HasDisagreement)
_VERDICT_ORDER = {Verdict.CONFLICT: 0, Verdict.CONSISTENT: 1, Verdict.NOT_COMPARED: 2}


def by_disagreement(groups: Sequence[GroupT]) -> list[GroupT]:
    """Return groups with the largest conflict first, then consistent ones, then those not
    compared, each by area name."""

    def key(group: GroupT) -> tuple[int, Decimal, str]:
        found = group.disagreement
        return (_VERDICT_ORDER[found.verdict], -(found.factor or Decimal(0)), group.area_name)

    return sorted(groups, key=key)


def most_contested(groups: Sequence[GroupT], limit: int) -> list[GroupT]:
    """Return the groups whose current comparable claims really conflict, the largest first."""
    conflicts = [group for group in groups if group.disagreement.verdict is Verdict.CONFLICT]
    return by_disagreement(conflicts)[:limit]


@dataclass(frozen=True)
class GroupSummary:
    """What a group's summary line shows, computed from its figures' claims and dates only.

    `disagreement` and `official` are those of the FigureGroup of the same figures;
    `latest_id` is the id of its `latest` figure.
    """

    area_code: str
    metric_slug: str
    figure_count: int
    disagreement: ClaimDisagreement
    sides: tuple[SideComparison, ...]
    latest_id: int
    official_count: int = 0
    other_count: int = 0
    latest_official_ids: tuple[int, ...] = ()
    latest_independent_ids: tuple[int, ...] = ()
    estimate: CurrentEstimate | None = None
    first_day: date | None = None  # the earliest first day an as-of date or a period states
    last_day: date | None = None  # the latest last day an as-of date or a period's end covers


def summarise_by_area_and_metric(
    figures: Iterable[DatedClaim], listed_per_side: int = 0
) -> dict[tuple[str, str], GroupSummary]:
    """Return the summary of every (area, metric) group of the figures.

    With `listed_per_side`, each summary also names that many of the group's latest official
    and latest other figures (by date, the latest last), as FigureGroup orders its records.
    """
    by_key = claims_by_group(figures)
    return {key: summarise_group(members, listed_per_side) for key, members in by_key.items()}


def claims_by_group(figures: Iterable[DatedClaim]) -> dict[tuple[str, str], list[DatedClaim]]:
    """Return the figures per (area, metric) group."""
    by_key: dict[tuple[str, str], list[DatedClaim]] = defaultdict(list)
    for figure in figures:
        by_key[(figure.area_code, figure.metric_slug)].append(figure)
    return by_key


def summarise_group(members: Sequence[DatedClaim], listed_per_side: int = 0) -> GroupSummary:
    """Return the summary of one (area, metric) group's figures (at least one)."""
    ordered = sorted(members, key=lambda figure: (figure.sort_date, figure.id))
    facts = [figure.facts for figure in ordered]
    return GroupSummary(
        area_code=ordered[0].area_code,
        metric_slug=ordered[0].metric_slug,
        figure_count=len(members),
        disagreement=disagreement(facts),
        sides=tuple(side_comparisons(facts)),
        latest_id=latest_of(members).id,
        official_count=sum(1 for fact in facts if fact.claimant_kind.is_official),
        other_count=sum(1 for fact in facts if not fact.claimant_kind.is_official),
        latest_official_ids=_latest_ids(ordered, True, listed_per_side),
        latest_independent_ids=_latest_ids(ordered, False, listed_per_side),
        estimate=current_estimate(facts),
        first_day=min(_first_days(facts), default=None),
        last_day=max(_last_days(facts), default=None),
    )


def _first_days(claims: Sequence[ClaimFacts]) -> Iterator[date]:
    for claim in claims:
        yield from (day.value for day in (claim.as_of, claim.period_start) if day is not None)


def _last_days(claims: Sequence[ClaimFacts]) -> Iterator[date]:
    for claim in claims:
        yield from (day.last_day() for day in (claim.as_of, claim.period_end) if day is not None)


def date_range_of(summaries: Iterable[GroupSummary]) -> tuple[date, date] | None:
    """Return the first and last day the groups' figures state a date for (each date over the
    whole day, month or year it names); None when none states one."""
    found = list(summaries)
    first = min((s.first_day for s in found if s.first_day is not None), default=None)
    last = max((s.last_day for s in found if s.last_day is not None), default=None)
    return None if first is None or last is None else (first, last)


def _latest_ids(ordered: Sequence[DatedClaim], official: bool, count: int) -> tuple[int, ...]:
    if count <= 0:
        return ()
    side = [figure.id for figure in ordered if figure.facts.claimant_kind.is_official is official]
    return tuple(side[-count:])
