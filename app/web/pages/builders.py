"""What each page shows, gathered from queries and domain functions into plain template contexts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app import queries
from app.domain.citations import as_text
from app.domain.cited import CitedVersion, figure_citation
from app.domain.claim_comparison import ClaimDisagreement
from app.domain.claim_sides import SideComparison
from app.domain.comparisons import (
    FigureGroup,
    GroupSummary,
    by_disagreement,
    make_group,
    summarise_by_area_and_metric,
)
from app.domain.currency import UsdEquivalent, to_usd
from app.domain.figures import FigureStatus
from app.domain.records import FigureRecord
from app.domain.sources import SOURCE_KIND_LABELS, SourceKind
from app.domain.vocabulary import CONTEXT_AREA_CODES, KIND_LABELS
from app.models import Area, Metric, Source
from app.web import urls
from app.web.pages import charts, json_ld
from app.web.pages.data import AreaData, area_data
from app.web.pages.embeds import chart_reuses
from app.web.site import Site
from app.web.templating import KIND_COLOURS

# An area page's section lists its group's latest figures; every figure is on the group's own
# paged list (urls.area_metric_page), so the page stays small however many figures there are.
SECTION_TABLE_ROWS = 50
FIGURES_PAGE_ROWS = 200


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


def _usd_equivalents(
    session: Session, groups: list[FigureGroup], money_metrics: set[str]
) -> dict[int, UsdEquivalent]:
    rates = queries.exchange_rates(session)
    equivalents: dict[int, UsdEquivalent] = {}
    for group in groups:
        if group.metric_slug not in money_metrics:
            continue
        for record in group.records:
            equivalents[record.id] = to_usd(
                record.low, record.high, record.currency, record.facts.date_span, rates
            )
    return equivalents


def _sections(session: Session, data: AreaData) -> dict[str, Any]:
    area = data.area
    metrics = {metric.slug: metric for metric in data.metrics}
    money = {metric.slug for metric in data.metrics if metric.unit_kind == "money"}
    return {
        "sections": [
            {
                "group": group,
                "metric": metrics[group.metric_slug],
                "charts": charts.estimates_charts(group, KIND_COLOURS, KIND_LABELS),
                "undated": [record for record in group.records if record.chart_date is None],
                "shown": group.records[-SECTION_TABLE_ROWS:],
                "all_figures": (
                    urls.area_metric_page(area.code, area.kind, group.metric_slug)
                    if len(group.records) > SECTION_TABLE_ROWS
                    else None
                ),
                "data_links": data_links(
                    urls.comparison_api(group.area_code, group.metric_slug),
                    area=group.area_code,
                    metric=group.metric_slug,
                ),
            }
            for group in data.groups
        ],
        "usd": _usd_equivalents(session, data.groups, money),
    }


def area_page(session: Session, area: Area, site: Site) -> dict[str, Any]:
    """Return a country's or region's page: a section per metric, its timeline, and its slice of
    the dataset as a schema.org Dataset."""
    data = area_data(session, area)
    sections = _sections(session, data)
    return {
        "area": area,
        "context_area": area.code in CONTEXT_AREA_CODES,
        "figure_count": data.figure_count,
        "timeline": data.timeline,
        "dataset_version": data.dataset_version,
        "json_ld": json_ld.area_dataset(
            session, site, data.dataset_version, area, data.figure_count
        ),
        "data_links": data_links(urls.area_api(area.code), area=area.code),
        "reuse": chart_reuses(site, area, data.dataset_version, sections["sections"]),
        **sections,
    }


@dataclass(frozen=True)
class Paging:
    """Where a page of a long list stands: its number, the rows it shows, its neighbours."""

    number: int
    count: int
    first_row: int
    last_row: int
    total: int
    previous_url: str | None
    next_url: str | None


def area_metric_page(
    session: Session, area: Area, metric: Metric, number: int
) -> dict[str, Any] | None:
    """Return one page of every figure of an area and a metric, or None when there is no such page."""
    records = queries.published_records(session, area_code=area.code, metric_slug=metric.slug)
    page_count = -(-len(records) // FIGURES_PAGE_ROWS)
    if not 1 <= number <= page_count:
        return None
    group = make_group(records)
    start = (number - 1) * FIGURES_PAGE_ROWS
    shown = group.records[start : start + FIGURES_PAGE_ROWS]

    def page_url(other: int) -> str | None:
        if not 1 <= other <= page_count:
            return None
        return urls.area_metric_page(area.code, area.kind, metric.slug, other)

    money = {metric.slug} if metric.unit_kind == "money" else set()
    return {
        "area": area,
        "metric": metric,
        "group": group,
        "shown": shown,
        "usd": _usd_equivalents(session, [group], money) if money else None,
        "paging": Paging(
            number=number,
            count=page_count,
            first_row=start + 1,
            last_row=start + len(shown),
            total=len(records),
            previous_url=page_url(number - 1),
            next_url=page_url(number + 1),
        ),
        "area_url": area_url(area),
        "dataset_version": queries.current_dataset_version(session),
        "data_links": data_links(
            urls.comparison_api(area.code, metric.slug), area=area.code, metric=metric.slug
        ),
    }


METRIC_LISTED_PER_SIDE = 5


@dataclass(frozen=True)
class MetricRow(Summarised):
    """One area on a metric's page: its summary and its latest official and other figures."""

    area: Area
    official_records: list[FigureRecord]
    independent_records: list[FigureRecord]
    all_figures_url: str

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
        return area_url(self.area)

    @property
    def more_official(self) -> int:
        """Return how many official figures are not listed."""
        return self.summary.official_count - len(self.official_records)

    @property
    def more_independent(self) -> int:
        """Return how many other figures are not listed."""
        return self.summary.other_count - len(self.independent_records)


def metric_page(session: Session, metric: Metric) -> dict[str, Any]:
    """Return one metric across areas, official vs independent, most contested first.

    Each area's summary is computed from the claims and dates alone; only the latest few
    figures of each side are loaded in full, and every figure is one link away.
    """
    summaries = summarise_by_area_and_metric(
        queries.compared_figures(session, [metric.slug]), METRIC_LISTED_PER_SIDE
    )
    listed = [
        figure_id
        for summary in summaries.values()
        for figure_id in (*summary.latest_official_ids, *summary.latest_independent_ids)
    ]
    records = {r.id: r for r in queries.published_records(session, figure_ids=listed)}
    areas = queries.areas_by_code(session, sorted({code for code, _ in summaries}))
    rows = [
        MetricRow(
            area=areas[summary.area_code],
            summary=summary,
            official_records=[records[i] for i in summary.latest_official_ids],
            independent_records=[records[i] for i in summary.latest_independent_ids],
            all_figures_url=urls.area_metric_page(
                summary.area_code, areas[summary.area_code].kind, metric.slug
            ),
        )
        for summary in summaries.values()
        if summary.area_code not in CONTEXT_AREA_CODES
    ]
    groups = by_disagreement(rows)
    return {
        "metric": metric,
        "groups": groups,
        "comparison_charts": charts.official_vs_independent_charts(groups, KIND_COLOURS),
        "dataset_version": queries.current_dataset_version(session),
        "data_links": data_links(urls.metric_api(metric.slug), metric=metric.slug),
    }


def figure_page(session: Session, record: FigureRecord, site: Site, today: date) -> dict[str, Any]:
    """Return a figure's permalink page: the claim, its source, a citation and its revisions, and
    (while it is published) the figure as a schema.org Claim."""
    version = queries.current_dataset_version(session)
    cited = CitedVersion(site.name, version, today)
    citation = figure_citation(record, site.address(urls.figure(record.id)), cited)
    published = record.status == FigureStatus.PUBLISHED.value
    return {
        "record": record,
        "permalink": citation.url,
        "citation": as_text(citation),
        "dataset_version": version,
        "revisions": queries.public_revisions(session, record.id),
        "area_url": area_url(queries.get_area(session, record.area_code)),
        "data_links": {"json": urls.figure_api(record.id)},
        "json_ld": json_ld.figure_claim(record, citation, site) if published else None,
    }


SOURCE_ORDER_LABELS = {
    "figures": "most figures first",
    "fewest": "fewest figures first",
    "publisher": "publisher",
}


def sources_page(
    found: list[tuple[Source, int]], kind: SourceKind | None, order: str
) -> dict[str, Any]:
    """Return the sources list with the kind it shows, its order and the links to change them."""
    query = f"?kind={kind.value}" if kind else ""
    return {
        "sources": found,
        "kind": kind.value if kind else "",
        "order": order,
        "kinds": [(choice.value, label) for choice, label in SOURCE_KIND_LABELS.items()],
        "orders": list(SOURCE_ORDER_LABELS.items()),
        "json_twin": f"{urls.API_PREFIX}/sources{query}{'&' if query else '?'}sort={order}",
    }


def source_page(session: Session, source: Source) -> dict[str, Any]:
    """Return a source with the published figures it supports."""
    return {
        "source": source,
        "records": queries.published_records(session, source_id=source.id),
        "dataset_version": queries.current_dataset_version(session),
        "data_links": data_links(urls.source_api(source.id), source=source.id),
    }


def data_links(json_twin: str, **filters: str | int | None) -> dict[str, str]:
    """Return a page's JSON twin and the downloads of the figures it shows."""
    downloads = urls.downloads(**filters)
    return {
        "json": json_twin,
        "csv": downloads["csv"],
        "json_download": downloads["json"],
        "zip": downloads["zip"],
        "datapackage": downloads["datapackage"],
    }


def area_url(area: Area | None) -> str:
    """Return the page address of an area (the overview when there is none)."""
    if area is None:
        return "/"
    return urls.area_page(area.code, area.kind)
