"""The coverage page and its JSON twin, built once: what the record holds and what it lacks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app import queries
from app.domain.coverage import CoverageCell, coverage_cells, missing_core_metrics
from app.models import Area, Metric
from app.web import urls
from app.web.api.conditional import kept_json
from app.web.pages.builders import area_url, data_links
from app.web.pages.page_cache import cached_page
from app.web.templating import render

router = APIRouter()
API_PATH = f"{urls.API_PREFIX}/coverage"


@dataclass(frozen=True)
class AreaCoverage:
    """One area's line of the coverage page: its metrics with figures, and the core ones without."""

    area: Area
    url: str
    cells: list[tuple[CoverageCell, Metric]]
    no_figures_for: list[Metric]


@dataclass(frozen=True)
class Coverage:
    """The coverage page's data: every area with figures, and areas on record with none."""

    areas: list[AreaCoverage]
    without_figures: list[tuple[Area, str]]  # the area and its page
    dataset_version: str


def build_coverage(session: Session) -> Coverage:
    """Return what the record holds for every area and metric, and the areas it names without a
    published figure (those with timeline events only)."""
    metrics = {metric.slug: metric for metric in queries.list_metrics(session)}
    facts = [figure.facts for figure in queries.dated_claims(session, sorted(metrics))]
    cells = coverage_cells(facts)
    with_figures = {cell.area_code for cell in cells}
    mentioned = queries.timeline_area_codes(session) - with_figures
    areas = queries.areas_by_code(session, sorted(with_figures | mentioned))
    order = sorted(with_figures, key=lambda code: (areas[code].kind != "region", areas[code].name))
    return Coverage(
        areas=[
            AreaCoverage(
                area=areas[code],
                url=area_url(areas[code]),
                cells=[
                    (cell, metrics[cell.metric_slug]) for cell in cells if cell.area_code == code
                ],
                no_figures_for=[metrics[slug] for slug in missing_core_metrics(cells, code)],
            )
            for code in order
        ],
        without_figures=[
            (areas[code], area_url(areas[code]))
            for code in sorted(mentioned, key=lambda code: areas[code].name)
        ],
        dataset_version=queries.current_dataset_version(session),
    )


class CoverageMetricOut(BaseModel):
    """One metric of an area in the coverage answer."""

    metric: str
    label: str
    figures: int
    voices: int
    latest_date: str | None


class AreaCoverageOut(BaseModel):
    """One area of the coverage answer."""

    area: str
    name: str
    page: str
    metrics: list[CoverageMetricOut]
    no_figures_for: list[str]


class CoverageOut(BaseModel):
    """Coverage as data: the page /coverage shows the same."""

    dataset_version: str
    areas: list[AreaCoverageOut]
    areas_without_figures: list[str]

    @classmethod
    def of(cls, coverage: Coverage) -> CoverageOut:
        """Return the answer for the page's data."""
        return cls(
            dataset_version=coverage.dataset_version,
            areas=[
                AreaCoverageOut(
                    area=line.area.code,
                    name=line.area.name,
                    page=line.url,
                    metrics=[
                        CoverageMetricOut(
                            metric=metric.slug,
                            label=metric.label,
                            figures=cell.figure_count,
                            voices=cell.voice_count,
                            latest_date=cell.latest.date_label if cell.latest else None,
                        )
                        for cell, metric in line.cells
                    ],
                    no_figures_for=[metric.slug for metric in line.no_figures_for],
                )
                for line in coverage.areas
            ],
            areas_without_figures=[area.code for area, _url in coverage.without_figures],
        )


@router.get("/coverage", name="coverage")
async def coverage_page(request: Request) -> Response:
    """What the record holds for every area and metric, and what it does not."""

    def build(session: Session) -> Response:
        context: dict[str, Any] = {
            "coverage": build_coverage(session),
            "data_links": data_links(API_PATH),
        }
        return render(request, "coverage.html", context)

    return await cached_page(request, build)


@router.get(API_PATH, response_model=CoverageOut, tags=["data"])
async def coverage_api(request: Request) -> Response:
    """Coverage as data: figures and voices per area and metric, the latest date, the core
    metrics an area has no figure for, and the areas on record with no figure at all."""
    return await kept_json(
        request, lambda session, _version: CoverageOut.of(build_coverage(session))
    )
