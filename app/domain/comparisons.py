"""Figures grouped the way pages show them: by metric for an area, by area for a metric."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar

from app.domain.claim_comparison import (
    ClaimDisagreement,
    Verdict,
    disagreement,
)
from app.domain.claim_sides import (
    CurrentEstimate,
    SideComparison,
    current_estimate,
    side_comparisons,
)
from app.domain.compared_figures import ComparedFigure
from app.domain.figures import spread_needs_log_scale
from app.domain.records import FigureRecord


class Dated(Protocol):
    """Anything with a figure's id and dates (a FigureRecord, a ComparedFigure)."""

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


def make_group(records: Sequence[FigureRecord]) -> FigureGroup:
    """Return the group of figures (all of one area and metric), ordered by date then id."""
    ordered = tuple(sorted(records, key=lambda record: (record.sort_date, record.id)))
    facts = [record.facts for record in ordered]
    first = ordered[0]
    return FigureGroup(
        area_code=first.area_code,
        area_name=first.area_name,
        metric_slug=first.metric_slug,
        metric_label=first.metric_label,
        records=ordered,
        disagreement=disagreement(facts),
        sides=tuple(side_comparisons(facts)),
        log_scale=spread_needs_log_scale([record.claim for record in ordered]),
    )


def group_by_metric(
    records: Sequence[FigureRecord], metric_order: Sequence[str]
) -> list[FigureGroup]:
    """Return one group per metric present, in the vocabulary's order."""
    by_metric: dict[str, list[FigureRecord]] = defaultdict(list)
    for record in records:
        by_metric[record.metric_slug].append(record)
    position = {slug: index for index, slug in enumerate(metric_order)}
    slugs = sorted(by_metric, key=lambda slug: (position.get(slug, len(position)), slug))
    return [make_group(by_metric[slug]) for slug in slugs]


def group_by_area_and_metric(records: Sequence[FigureRecord]) -> list[FigureGroup]:
    """Return one group per (area, metric) present."""
    by_key: dict[tuple[str, str], list[FigureRecord]] = defaultdict(list)
    for record in records:
        by_key[(record.area_code, record.metric_slug)].append(record)
    return [make_group(by_key[key]) for key in sorted(by_key)]


class Compared(Protocol):
    """Anything with an area's name and a disagreement (a FigureGroup, a page's summary row)."""

    @property
    def area_name(self) -> str: ...

    @property
    def disagreement(self) -> ClaimDisagreement: ...


ComparedT = TypeVar("ComparedT", bound=Compared)
_VERDICT_ORDER = {Verdict.CONFLICT: 0, Verdict.CONSISTENT: 1, Verdict.NOT_COMPARED: 2}


def by_disagreement(groups: Sequence[ComparedT]) -> list[ComparedT]:
    """Return groups with the largest conflict first, then consistent ones, then those not
    compared, each by area name."""

    def key(group: ComparedT) -> tuple[int, Decimal, str]:
        found = group.disagreement
        return (_VERDICT_ORDER[found.verdict], -(found.factor or Decimal(0)), group.area_name)

    return sorted(groups, key=key)


def most_contested(groups: Sequence[ComparedT], limit: int) -> list[ComparedT]:
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


def summarise_by_area_and_metric(
    figures: Iterable[ComparedFigure], listed_per_side: int = 0
) -> dict[tuple[str, str], GroupSummary]:
    """Return the summary of every (area, metric) group of the figures.

    With `listed_per_side`, each summary also names that many of the group's latest official
    and latest other figures (by date, the latest last), as FigureGroup orders its records.
    """
    by_key: dict[tuple[str, str], list[ComparedFigure]] = defaultdict(list)
    for figure in figures:
        by_key[(figure.area_code, figure.metric_slug)].append(figure)
    summaries = {}
    for (area_code, metric_slug), members in by_key.items():
        ordered = sorted(members, key=lambda figure: (figure.sort_date, figure.id))
        facts = [figure.facts for figure in ordered]
        summaries[(area_code, metric_slug)] = GroupSummary(
            area_code=area_code,
            metric_slug=metric_slug,
            figure_count=len(members),
            disagreement=disagreement(facts),
            sides=tuple(side_comparisons(facts)),
            latest_id=latest_of(members).id,
            official_count=sum(1 for fact in facts if fact.claimant_kind.is_official),
            other_count=sum(1 for fact in facts if not fact.claimant_kind.is_official),
            latest_official_ids=_latest_ids(ordered, True, listed_per_side),
            latest_independent_ids=_latest_ids(ordered, False, listed_per_side),
            estimate=current_estimate(facts),
        )
    return summaries


def _latest_ids(ordered: Sequence[ComparedFigure], official: bool, count: int) -> tuple[int, ...]:
    if count <= 0:
        return ()
    side = [figure.id for figure in ordered if figure.facts.claimant_kind.is_official is official]
    return tuple(side[-count:])
