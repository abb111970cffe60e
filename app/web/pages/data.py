"""The data of a page, typed: what its template renders and its JSON twin in the API serialises,
built once by one function, so that a page and its JSON cannot drift apart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.orm import Session

from app import queries
from app.domain.chart_bins import CHART_MARK_LIMIT
from app.domain.claim_comparison import ClaimDisagreement
from app.domain.claim_sides import SideComparison
from app.domain.comparisons import (
    FigureGroup,
    GroupSummary,
    by_disagreement,
    make_group,
)
from app.domain.group_charts import GroupChart, draws_figures, in_group_order, part_shares
from app.domain.records import FigureRecord
from app.domain.vocabulary import CONTEXT_AREA_CODES
from app.models import Area, Metric, TimelineEvent
from app.web import urls


@dataclass(frozen=True)
class Summarised:
    """A group's summary, read as templates read a FigureGroup's comparisons."""

    summary: GroupSummary

    @property
    def figure_count(self) -> int:
        """Return how many published figures the group has."""
        return self.summary.figure_count

    @property
    def disagreement(self) -> ClaimDisagreement:
        """Return the group's largest conflict (or why there is none)."""
        return self.summary.disagreement

    @property
    def sides(self) -> tuple[SideComparison, ...]:
        """Return each official side's current figure against the independent side's."""
        return self.summary.sides


@dataclass(frozen=True)
class MetricRow(Summarised):
    """One area of a metric: its kept summary and its listed official and other figures (the
    latest few of each side, or every one)."""

    area: Area
    official_records: list[FigureRecord]
    independent_records: list[FigureRecord]

    @property
    def area_name(self) -> str:
        """Return the area's name."""
        return self.area.name

    @property
    def area_code(self) -> str:
        """Return the area's code."""
        return self.area.code

    @property
    def area_path(self) -> str:
        """Return the address of the area's page."""
        return urls.area_page(self.area.code, self.area.kind)

    @property
    def all_figures_url(self) -> str:
        """Return the address of the paged list of every figure of the area and metric."""
        return urls.area_metric_page(self.area.code, self.area.kind, self.summary.metric_slug)

    @property
    def more_official(self) -> int:
        """Return how many official figures are not listed."""
        return self.summary.official_count - len(self.official_records)

    @property
    def more_independent(self) -> int:
        """Return how many other figures are not listed."""
        return self.summary.other_count - len(self.independent_records)

    def group(self) -> FigureGroup:
        """Return the listed figures as a group (every figure's, when every one is listed)."""
        return make_group([*self.official_records, *self.independent_records], self.summary)


@dataclass(frozen=True)
class MetricData:
    """A metric across areas (context areas such as Russia's own losses left out): one row per
    area with published figures, the most contested first."""

    metric: Metric
    rows: list[MetricRow]
    dataset_version: str

    @property
    def figure_count(self) -> int:
        """Return how many published figures the rows have together."""
        return sum(row.figure_count for row in self.rows)


def metric_data(session: Session, metric: Metric, *, every_figure: bool) -> MetricData:
    """Return a metric's data, as its page (each area's latest few figures per side, named by
    its kept summary) and /api/v1/metrics/{slug} (every_figure: each area's every figure) show it.

    Each area's comparison is the one kept for its figures (app/queries/summaries.py).
    """
    kept = queries.kept_summaries(session, metric_slugs=[metric.slug])
    summaries = {code: s for (code, _slug), s in kept.items() if code not in CONTEXT_AREA_CODES}
    by_area: dict[str, list[FigureRecord]] = defaultdict(list)
    if every_figure:
        for record in queries.published_records(session, metric_slug=metric.slug):
            by_area[record.area_code].append(record)
    else:
        listed = [
            figure_id
            for summary in summaries.values()
            for figure_id in (*summary.latest_official_ids, *summary.latest_independent_ids)
        ]
        for record in queries.published_records(session, figure_ids=listed):
            by_area[record.area_code].append(record)
    areas = queries.areas_by_code(session, sorted(summaries))
    rows = [
        MetricRow(
            summary=summary,
            area=areas[code],
            official_records=_in_order(by_area[code], official=True),
            independent_records=_in_order(by_area[code], official=False),
        )
        for code, summary in summaries.items()
    ]
    return MetricData(
        metric=metric,
        rows=by_disagreement(rows),
        dataset_version=queries.current_dataset_version(session),
    )


def _in_order(records: list[FigureRecord], *, official: bool) -> list[FigureRecord]:
    """Return one side's figures as a group orders them: by date, then id."""
    side = [r for r in records if r.claimant_kind.is_official is official]
    return sorted(side, key=lambda record: (record.sort_date, record.id))


@dataclass(frozen=True)
class AreaGroup(Summarised):
    """One metric of an area: its kept summary and chart (app/domain/group_charts.py), and its
    figures in the group's order: every one when `complete`, else (on a page drawing the group
    in bins) only those its section's table lists."""

    metric: Metric
    chart: GroupChart
    records: tuple[FigureRecord, ...]
    complete: bool

    @property
    def area_code(self) -> str:
        """Return the area's code."""
        return self.summary.area_code

    @property
    def metric_slug(self) -> str:
        """Return the metric's slug."""
        return self.metric.slug

    @property
    def log_scale(self) -> bool:
        """Return whether the group's numbers span more than a factor of ten."""
        return self.chart.log_scale

    @cached_property
    def listed(self) -> list[FigureRecord]:
        """Return the group's latest figures, which its section's table lists (found once)."""
        by_id = {record.id: record for record in self.records}
        return [by_id[figure_id] for figure_id in self.chart.listed_ids if figure_id in by_id]

    def group(self) -> FigureGroup:
        """Return every figure of the group as a FigureGroup (only when they are all here)."""
        assert self.complete, "a group of every figure needs every figure"
        return make_group(self.records, self.summary)


@dataclass(frozen=True)
class AreaData:
    """A country or region: a group per metric with published figures, and its timeline."""

    area: Area
    groups: list[AreaGroup]
    timeline: list[TimelineEvent]
    dataset_version: str

    @property
    def metric_counts(self) -> dict[str, int]:
        """Return how many published figures each metric with any has here."""
        return {group.metric_slug: group.figure_count for group in self.groups}

    @property
    def figure_count(self) -> int:
        """Return how many published figures the area has."""
        return sum(self.metric_counts.values())


def area_data(session: Session, area: Area, *, every_figure: bool) -> AreaData:
    """Return a country's or region's data, as its page and /api/v1/areas/{code} (every_figure)
    show it (see area_groups)."""
    metrics = queries.list_metrics(session)
    return AreaData(
        area=area,
        groups=area_groups(session, area.code, metrics, every_figure=every_figure),
        timeline=queries.timeline_for(session, area.code),
        dataset_version=queries.current_dataset_version(session),
    )


def area_groups(
    session: Session, area_code: str, metrics: Sequence[Metric], *, every_figure: bool
) -> list[AreaGroup]:
    """Return the area's group of each of these metrics that has published figures, in their
    order, with every figure (every_figure) or as a page shows them.

    Each group's comparisons and chart are those kept for its figures (app/queries/summaries.py).
    A page loads every figure only of the groups whose charts draw figures one by one (about
    CHART_MARK_LIMIT together), and of the others those it lists.
    """
    by_slug = {metric.slug: metric for metric in metrics}
    kept = queries.kept_summaries(session, area_code=area_code, metric_slugs=list(by_slug))
    summaries = {slug: summary for (_code, slug), summary in kept.items()}
    charts = queries.kept_group_charts(session, area_code=area_code, metric_slugs=list(by_slug))
    slugs = [slug for slug in by_slug if slug in summaries and slug in charts]
    if every_figure:
        complete = set(slugs)
    else:
        shares = part_shares([charts[slug] for slug in slugs], CHART_MARK_LIMIT)
        complete = {
            slug
            for slug, share in zip(slugs, shares, strict=True)
            if draws_figures(charts[slug], share)
        }
    records = (
        queries.published_records(session, area_code=area_code, metric_slugs=sorted(complete))
        if complete
        else []
    )
    listed = [
        figure_id for slug in slugs if slug not in complete for figure_id in charts[slug].listed_ids
    ]
    if listed:
        records += queries.published_records(session, figure_ids=listed)
    by_metric: dict[str, list[FigureRecord]] = defaultdict(list)
    for record in records:
        by_metric[record.metric_slug].append(record)
    return [
        AreaGroup(
            summary=summaries[slug],
            metric=by_slug[slug],
            chart=charts[slug],
            records=tuple(in_group_order(by_metric[slug])),
            complete=slug in complete,
        )
        for slug in slugs
    ]
