"""The overview page: map, headline comparison, countries table, most contested figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app import queries
from app.domain.comparisons import GroupSummary, date_range_of, most_contested
from app.domain.records import FigureRecord
from app.domain.vocabulary import CONTEXT_AREA_CODES, KIND_LABELS
from app.models import Area, Metric
from app.web import urls
from app.web.pages import charts, json_ld, map_chart
from app.web.pages.builders import area_url, data_links
from app.web.pages.data import AreaGroup, Summarised, area_groups
from app.web.site import Site
from app.web.templating import KIND_COLOURS

HEADLINE_AREA = "world"
HEADLINE_METRIC = "enlisted"
CONTESTED_LIMIT = 10
OVERVIEW_METRICS = ("enlisted", "killed")


@dataclass(frozen=True)
class SummaryCell(Summarised):
    """A group's summary and its latest figure in full, as the overview's table shows them."""

    latest: FigureRecord


@dataclass(frozen=True)
class AreaRow:
    """One line of the overview's countries table."""

    area: Area
    count: int
    url: str
    enlisted: SummaryCell | None
    killed: SummaryCell | None


def _summary_cells(
    session: Session, summaries: dict[tuple[str, str], GroupSummary]
) -> dict[tuple[str, str], SummaryCell]:
    """Return the overview's metrics' summaries, each with its latest figure in full."""
    shown = {key: s for key, s in summaries.items() if key[1] in OVERVIEW_METRICS}
    latest_ids = [summary.latest_id for summary in shown.values()]
    latest = {
        record.id: record for record in queries.published_records(session, figure_ids=latest_ids)
    }
    return {key: SummaryCell(summary, latest[summary.latest_id]) for key, summary in shown.items()}


def map_metric_of(asked: str | None) -> str:
    """Return the metric the map shows: the one asked for when the map offers it, else enlisted."""
    return asked if asked in OVERVIEW_METRICS else OVERVIEW_METRICS[0]


def _headline_drawing(headline: AreaGroup) -> charts.CurrencyChart | None:
    """Return the headline's chart (its first, when its amounts were in several currencies)."""
    records = headline.records if headline.complete else None
    drawn = charts.page_estimates_charts([(headline.chart, records)], KIND_COLOURS, KIND_LABELS)
    return next(iter(drawn[0]), None)


def overview_page(
    session: Session, site: Site, map_metric: str = OVERVIEW_METRICS[0]
) -> dict[str, Any]:
    """Return the overview: map, headline comparison, countries table, most contested figures.

    The countries table, the map and the most contested list read each group's kept summary
    (app/queries/summaries.py: computed when the group's figures change, not on each render);
    the full records of only each group's latest figure are loaded.
    """
    summaries = queries.kept_summaries(session)
    cells = _summary_cells(session, summaries)
    counts = queries.published_counts_by_area(session)
    areas = queries.areas_by_code(session, sorted(counts))
    rows = [
        AreaRow(
            area=areas[code],
            count=counts[code],
            url=area_url(areas[code]),
            enlisted=cells.get((code, "enlisted")),
            killed=cells.get((code, "killed")),
        )
        for code in sorted(counts, key=lambda c: (areas[c].kind != "region", areas[c].name))
    ]
    map_areas = [
        map_chart.MapArea(
            code=row.area.code,
            name=row.area.name,
            url=row.url,
            count=row.count,
            metric_count=cell.figure_count
            if (cell := cells.get((row.area.code, map_metric)))
            else 0,
            estimate=cell.summary.estimate if cell else None,
        )
        for row in rows
        if row.area.kind == "country" and row.area.code not in CONTEXT_AREA_CODES
    ]
    metrics = queries.list_metrics(session)
    metric_labels = {metric.slug: metric.label for metric in metrics}
    headline_metric = [metric for metric in metrics if metric.slug == HEADLINE_METRIC]
    headline = next(
        iter(area_groups(session, HEADLINE_AREA, headline_metric, every_figure=False)), None
    )
    drawn = _headline_drawing(headline) if headline else None
    version = queries.current_dataset_version(session)
    return {
        "rows": rows,
        "map_chart": map_chart.world_map(map_areas, metric_labels[map_metric]),
        "map_areas": map_areas,
        "map_metric": map_metric,
        "map_metric_label": metric_labels[map_metric],
        "map_choices": [(slug, metric_labels[slug]) for slug in OVERVIEW_METRICS],
        "headline": headline,
        "headline_chart": drawn.chart if drawn else None,
        "headline_binned": drawn.binned if drawn else None,
        "contested": _most_contested(session, summaries),
        "figure_count": sum(counts.values()),
        "source_count": queries.published_source_count(session),
        "dataset_version": version,
        "json_ld": json_ld.overview_dataset(
            site, version, [row.area for row in rows], date_range_of(summaries.values())
        ),
        "data_links": data_links(f"{urls.API_PREFIX}/areas"),
        "api_docs": urls.API_DOCS,
    }


@dataclass(frozen=True)
class ContestedRow(Summarised):
    """One entry of the overview's most contested list: an area, a metric and its conflict."""

    area: Area
    metric: Metric

    @property
    def area_name(self) -> str:
        """Return the area's name."""
        return self.area.name

    @property
    def url(self) -> str:
        """Return the address of the metric's section on the area's page."""
        return f"{area_url(self.area)}#metric-{self.metric.slug}"


def _most_contested(
    session: Session, summaries: dict[tuple[str, str], GroupSummary]
) -> list[ContestedRow]:
    """Return the areas and metrics whose current comparable claims conflict most (not context
    areas such as Russia's own losses)."""
    metrics = {metric.slug: metric for metric in queries.list_metrics(session)}
    contested = [
        summary for (code, _slug), summary in summaries.items() if code not in CONTEXT_AREA_CODES
    ]
    areas = queries.areas_by_code(session, sorted({summary.area_code for summary in contested}))
    rows = [
        ContestedRow(summary, areas[summary.area_code], metrics[summary.metric_slug])
        for summary in contested
    ]
    return most_contested(rows, CONTESTED_LIMIT)
