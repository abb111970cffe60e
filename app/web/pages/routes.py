"""The HTML pages. Each route parses its input, asks web.context for the data, and renders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.domain.figures import FigureStatus, parse_identifier
from app.domain.sources import SourceKind
from app.web import urls
from app.web.deps import SessionDep
from app.web.pages import builders as context
from app.web.pages.found import area_and_metric
from app.web.pages.overview import map_metric_of, overview_page
from app.web.pages.page_cache import cached_page
from app.web.site import site_of, today
from app.web.templating import render

router = APIRouter()


@router.get("/", name="overview")
async def overview(
    request: Request, map_metric: Annotated[str | None, Query(alias="map")] = None
) -> Response:
    """The overview: map (of the metric asked for), headline chart, countries, most contested."""
    metric = map_metric_of(map_metric)
    return await cached_page(
        request,
        lambda session: render(
            request, "overview.html", overview_page(session, site_of(request), metric)
        ),
        variant=f"map={metric}",
    )


async def _area(request: Request, kind: str, code: str) -> Response:
    def build(session: Session) -> Response:
        area = queries.get_area(session, code)
        if area is None or area.kind != kind:
            raise HTTPException(404, f"No {kind} with the code {code[:40]!r}.")
        return render(request, "area.html", context.area_page(session, area, site_of(request)))

    return await cached_page(request, build)


@router.get("/countries/{code}", name="country")
async def country(request: Request, code: str) -> Response:
    """A country of origin: every metric's figures, charts and disagreement."""
    if code != code.upper():
        return RedirectResponse(urls.area_page(code.upper(), "country"), status_code=301)
    return await _area(request, "country", code)


@router.get("/regions/{slug}", name="region")
async def region(request: Request, slug: str) -> Response:
    """An aggregate area (all foreign nationals, Africa, Central Asia)."""
    return await _area(request, "region", slug)


def _page_number(text: str) -> int:
    """Return the page number in a query, or 0 (which is no page) when it is not one."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 0


async def _area_metric(request: Request, kind: str, code: str, slug: str, page: str) -> Response:
    number = _page_number(page)

    def build(session: Session) -> Response:
        area, found = area_and_metric(session, kind, code, slug)
        page_context = context.area_metric_page(session, area, found, number)
        if page_context is None:
            raise HTTPException(404, f"No page {page[:10]!r} of {found.label} in {area.name}.")
        return render(request, "area_metric.html", page_context)

    return await cached_page(request, build, variant=f"page={number}")


@router.get("/countries/{code}/metrics/{slug}", name="country_metric")
async def country_metric(request: Request, code: str, slug: str, page: str = "1") -> Response:
    """Every figure of a country and a metric, in pages (the country page lists the latest)."""
    return await _area_metric(request, "country", code, slug, page)


@router.get("/regions/{area_slug}/metrics/{slug}", name="region_metric")
async def region_metric(request: Request, area_slug: str, slug: str, page: str = "1") -> Response:
    """Every figure of a region and a metric, in pages (the region page lists the latest)."""
    return await _area_metric(request, "region", area_slug, slug, page)


@router.get("/metrics/{slug}", name="metric")
async def metric(request: Request, slug: str) -> Response:
    """One metric across areas, official against independent."""

    def build(session: Session) -> Response:
        found = queries.get_metric(session, slug)
        if found is None:
            raise HTTPException(404, f"No metric called {slug[:40]!r}.")
        return render(request, "metric.html", context.metric_page(session, found))

    return await cached_page(request, build)


@router.get("/figures/{figure_id}", name="figure")
def figure(request: Request, figure_id: str, session: SessionDep) -> Response:
    """A figure's permalink: the claim, its source and quote, a citation, its revisions."""
    record = queries.public_record(session, parse_identifier(figure_id))
    if record is None:
        raise HTTPException(404, f"No published figure #{figure_id[:40]}.")
    status = 410 if record.status == FigureStatus.RETRACTED.value else 200
    page = context.figure_page(session, record, site_of(request), today())
    return render(request, "figure.html", page, status_code=status)


@router.get("/sources", name="sources")
def sources(
    request: Request, session: SessionDep, kind: str = "", sort: str = "figures"
) -> Response:
    """Every source with the number of figures it supports, of one kind if asked, sorted."""
    if sort not in queries.SOURCE_ORDERS:
        raise HTTPException(400, "Sort by figures, fewest or publisher.")
    if kind and kind not in {source_kind.value for source_kind in SourceKind}:
        raise HTTPException(400, "Unknown kind of source.")
    chosen = SourceKind(kind) if kind else None
    found = queries.public_sources(session, kind=chosen, order=sort)
    return render(request, "sources.html", context.sources_page(found, chosen, sort))


@router.get("/sources/{source_id}", name="source")
def source(request: Request, source_id: str, session: SessionDep) -> Response:
    """One source and the figures it supports."""
    found = queries.public_source(session, parse_identifier(source_id))
    if found is None:
        raise HTTPException(404, f"No source #{source_id[:40]}.")
    return render(request, "source.html", context.source_page(session, found))
