"""Embeds: one area's chart of one metric alone, with the line that credits it, for other sites to
frame (`/embed/countries/{code}/{metric}`, `/embed/regions/{slug}/{metric}`, optionally pinned to
a dataset version with `?version=`), and the <iframe> snippets an area's page offers for it.

Embeds are the only pages other sites may frame (app/web/http/security.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.domain.comparisons import make_group
from app.domain.embedding import PinnedVersion, embed_height, iframe_snippet, parse_version
from app.domain.licence import attribution_line
from app.domain.vocabulary import KIND_LABELS
from app.models import Area, Metric
from app.web import urls
from app.web.deps import app_state
from app.web.pages import charts
from app.web.pages.found import area_and_metric
from app.web.pages.page_cache import PageReads, cached_page
from app.web.site import Site, site_of
from app.web.templating import KIND_COLOURS, render

router = APIRouter()
EMBED_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "The chart alone with its credit line, for an <iframe> on any site"},
    400: {"description": "The version asked for is not a dataset version"},
    404: {"description": "No such area of this kind, or no such metric"},
}


def chart_title(metric: Metric, area: Area) -> str:
    """Return the title a chart of an area's metric carries when it is exported or embedded."""
    return f"{metric.label} in {area.name}"


def chart_page_address(site: Site, area: Area, metric: Metric) -> str:
    """Return the public address of the section of an area's page that holds a metric's chart."""
    return site.address(urls.area_page(area.code, area.kind)) + f"#metric-{metric.slug}"


def chart_file_name(area: Area, metric: Metric, version: str) -> str:
    """Return the name (without extension) a downloaded image of an area's chart is saved under."""
    return f"foreign-recruits-{area.code}-{metric.slug}-{version}"


@dataclass(frozen=True)
class ChartReuse:
    """What an area page's section offers to reuse its charts: the title, credit line and file
    name their downloaded images carry, and the snippets to frame them on another site, pinned to
    the page's dataset version or following the current data."""

    title: str
    credit: str
    file_name: str
    pinned_address: str
    pinned_snippet: str
    current_snippet: str


def chart_reuse(
    site: Site, area: Area, metric: Metric, version: str, drawn: Sequence[charts.CurrencyChart]
) -> ChartReuse | None:
    """Return how a section's charts are reused, or None when it draws none."""
    if not drawn:
        return None
    height = embed_height([int(chart.chart["layout"]["height"]) for chart in drawn])
    title = chart_title(metric, area)
    frame_title = f"{title}: every estimate by date ({site.name})"
    pinned = site.address(urls.embed(area.code, area.kind, metric.slug, version))
    current = site.address(urls.embed(area.code, area.kind, metric.slug))
    return ChartReuse(
        title=title,
        credit=attribution_line(site.name, version, chart_page_address(site, area, metric)),
        file_name=chart_file_name(area, metric, version),
        pinned_address=pinned,
        pinned_snippet=iframe_snippet(pinned, frame_title, height),
        current_snippet=iframe_snippet(current, frame_title, height),
    )


def chart_reuses(
    site: Site, area: Area, version: str, sections: Sequence[dict[str, Any]]
) -> dict[str, ChartReuse]:
    """Return how an area page's sections' charts are reused, by metric (sections with a chart)."""
    found = {
        section["metric"].slug: chart_reuse(
            site, area, section["metric"], version, section["charts"]
        )
        for section in sections
    }
    return {slug: reuse for slug, reuse in found.items() if reuse is not None}


def embed_page(
    session: Session, area: Area, metric: Metric, site: Site, pinned: str | None
) -> dict[str, Any]:
    """Return an embed: the area's charts of the metric (as its page draws them), the credit line
    with the current dataset version, and what to say when another version was asked for."""
    records = queries.published_records(session, area_code=area.code, metric_slug=metric.slug)
    group = make_group(records) if records else None
    version = queries.current_dataset_version(session)
    page_address = chart_page_address(site, area, metric)
    return {
        "area": area,
        "metric": metric,
        "title": chart_title(metric, area),
        "figure_count": len(records),
        "log_scale": group is not None and group.log_scale,
        "charts": charts.estimates_charts(group, KIND_COLOURS, KIND_LABELS) if group else [],
        "dataset_version": version,
        "version": PinnedVersion(pinned, version),
        "full_page_address": page_address,
        "credit": attribution_line(site.name, version, page_address),
        "file_name": chart_file_name(area, metric, version),
    }


def _pinned_version(version: str | None) -> str | None:
    """Return the version asked for, or None for none; refuse (400) what is not a version."""
    if version is None:
        return None
    pinned = parse_version(version)
    if pinned is None:
        raise HTTPException(400, "A dataset version reads like 2026-05-03.3f9a1c2e.")
    return pinned


def _rendered_now(request: Request, build: Callable[[Session], Response]) -> Response:
    """Return the page rendered in a read transaction of its own, not kept."""
    reads: PageReads = app_state(request).page_reads
    with reads.session() as session:
        return build(session)


async def _embed(
    request: Request, kind: str, code: str, slug: str, version: str | None
) -> Response:
    pinned = _pinned_version(version)

    def build(session: Session) -> Response:
        area, metric = area_and_metric(session, kind, code, slug)
        page = embed_page(session, area, metric, site_of(request), pinned)
        return render(request, "embed.html", page)

    if pinned is None:
        return await cached_page(request, build)
    if pinned == await app_state(request).page_reads.version():
        return await cached_page(request, build, variant=f"version={pinned}")
    # Any other version is rendered each time: kept, every made-up version would take a place.
    return await run_in_threadpool(_rendered_now, request, build)


@router.get("/embed/countries/{code}/{slug}", name="embed_country", responses=EMBED_RESPONSES)
async def embed_country(
    request: Request, code: str, slug: str, version: str | None = None
) -> Response:
    """A country's chart of one metric alone, to frame on another site."""
    if code != code.upper():
        return RedirectResponse(urls.embed(code.upper(), "country", slug, version), status_code=301)
    return await _embed(request, "country", code, slug, version)


@router.get("/embed/regions/{area_slug}/{slug}", name="embed_region", responses=EMBED_RESPONSES)
async def embed_region(
    request: Request, area_slug: str, slug: str, version: str | None = None
) -> Response:
    """A region's chart of one metric alone, to frame on another site."""
    return await _embed(request, "region", area_slug, slug, version)
