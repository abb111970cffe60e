"""What each page shows, gathered from queries and domain functions into plain template contexts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app import queries
from app.domain.citations import as_text
from app.domain.cited import CitedVersion, figure_citation
from app.domain.comparisons import date_range_of, make_group
from app.domain.currency import UsdEquivalent, to_usd
from app.domain.figures import FigureStatus
from app.domain.records import FigureRecord
from app.domain.sources import SOURCE_KIND_LABELS, SourceKind
from app.domain.vocabulary import CONTEXT_AREA_CODES, KIND_LABELS
from app.models import Area, Metric, Source
from app.web import urls
from app.web.pages import charts, json_ld
from app.web.pages.data import AreaData, area_data, metric_data
from app.web.pages.embeds import chart_reuses
from app.web.site import Site
from app.web.templating import KIND_COLOURS

# A group's paged list of every figure (urls.area_metric_page) shows this many a page; an area
# page's section lists the latest SECTION_TABLE_ROWS (app/domain/group_charts.py).
FIGURES_PAGE_ROWS = 200


def _usd_equivalents(session: Session, records: Iterable[FigureRecord]) -> dict[int, UsdEquivalent]:
    rates = queries.exchange_rates(session)
    return {
        record.id: to_usd(record.low, record.high, record.currency, record.facts.date_span, rates)
        for record in records
    }


def _sections(session: Session, data: AreaData) -> dict[str, Any]:
    area = data.area
    page_charts = charts.page_estimates_charts(
        [(group.chart, group.records if group.complete else None) for group in data.groups],
        KIND_COLOURS,
        KIND_LABELS,
    )
    sections = [
        {
            "group": group,
            "metric": group.metric,
            "charts": group_charts,
            "undated_ids": group.chart.undated_ids,
            "undated_count": group.chart.undated_count,
            "shown": group.listed,
            "all_figures": (
                urls.area_metric_page(area.code, area.kind, group.metric_slug)
                if len(group.chart.listed_ids) < group.figure_count
                else None
            ),
            "data_links": data_links(
                urls.comparison_api(area.code, group.metric_slug),
                area=area.code,
                metric=group.metric_slug,
            ),
        }
        for group, group_charts in zip(data.groups, page_charts, strict=True)
    ]
    money = [
        record
        for group in data.groups
        if group.metric.unit_kind == "money"
        for record in group.listed
    ]
    return {"sections": sections, "usd": _usd_equivalents(session, money)}


def area_page(session: Session, area: Area, site: Site) -> dict[str, Any]:
    """Return a country's or region's page: a section per metric, its timeline, and its slice of
    the dataset as a schema.org Dataset."""
    data = area_data(session, area, every_figure=False)
    sections = _sections(session, data)
    return {
        "area": area,
        "context_area": area.code in CONTEXT_AREA_CODES,
        "figure_count": data.figure_count,
        "timeline": data.timeline,
        "dataset_version": data.dataset_version,
        "json_ld": json_ld.area_dataset(
            site,
            data.dataset_version,
            area,
            data.figure_count,
            date_range_of(group.summary for group in data.groups),
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

    return {
        "area": area,
        "metric": metric,
        "group": group,
        "shown": shown,
        "usd": _usd_equivalents(session, shown) if metric.unit_kind == "money" else None,
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


def metric_page(session: Session, metric: Metric) -> dict[str, Any]:
    """Return one metric across areas, official vs independent, most contested first."""
    data = metric_data(session, metric, every_figure=False)
    return {
        "metric": metric,
        "groups": data.rows,
        "comparison_charts": charts.official_vs_independent_charts(data.rows, KIND_COLOURS),
        "dataset_version": data.dataset_version,
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
