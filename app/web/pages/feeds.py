"""Atom feeds of the figures published, edited, retracted or reinstated: every figure, an area's,
a metric's. Each is kept per dataset version and answers conditional requests (its ETag is the
version's)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.domain.atom import ATOM_MEDIA_TYPE, atom_document
from app.domain.dataset import version_date
from app.domain.figure_feed import FeedHead, PublicRevision, figure_feed
from app.domain.records import FigureRecord
from app.domain.vocabulary import CONTEXT_AREA_CODES
from app.web import urls
from app.web.api.routes import CONDITIONAL
from app.web.deps import app_state
from app.web.http.conditional import caching_headers, etag_for, not_modified
from app.web.pages.page_cache import cached_page

router = APIRouter(tags=["feeds"])
FEED_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {ATOM_MEDIA_TYPE: {}}, "description": "an Atom feed, newest entry first"},
    **CONDITIONAL,
}
CHANGES = "figures published, edited or retracted"
Revisions = list[tuple[PublicRevision, FigureRecord]]
# What a feed reads in a session: its title, the page it follows, and its revisions (or a 404).
FeedContent = Callable[[Session], tuple[str, str, Revisions]]


def _feed_response(request: Request, content: FeedContent) -> Callable[[Session], Response]:
    """Return the builder of a feed's document from what it reads."""
    settings = app_state(request).settings
    base_url = str(settings.public_base_url).rstrip("/")

    def build(session: Session) -> Response:
        title, page, revisions = content(session)
        made = version_date(queries.current_dataset_version(session))
        head = FeedHead(
            feed_url=base_url + request.url.path,
            title=f"{title}: {CHANGES}",
            page_url=base_url + page,
            site_name=settings.site_name,
            updated_when_empty=datetime.combine(made or datetime.now(UTC).date(), time(), UTC),
        )
        feed = figure_feed(head, revisions, lambda figure_id: urls.permalink(base_url, figure_id))
        return Response(atom_document(feed), media_type=f"{ATOM_MEDIA_TYPE}; charset=utf-8")

    return build


async def _feed(request: Request, content: FeedContent) -> Response:
    """Return a feed: 304 when the client has this dataset version's, else kept or built now."""
    etag = etag_for(await app_state(request).page_reads.version())
    if (unchanged := not_modified(request, etag)) is not None:
        return unchanged
    response = await cached_page(request, _feed_response(request, content))
    response.headers.update(caching_headers(etag))
    return response


@router.get("/feeds/figures.atom", name="figures_feed", responses=FEED_RESPONSE)
async def figures_feed(request: Request) -> Response:
    """The latest 50 figures published, edited, retracted or reinstated, everywhere."""

    def content(session: Session) -> tuple[str, str, Revisions]:
        return "All areas", "/", queries.latest_public_revisions(session)

    return await _feed(request, content)


async def _area_feed(request: Request, kind: str, code: str) -> Response:
    def content(session: Session) -> tuple[str, str, Revisions]:
        area = queries.get_area(session, code)
        if area is None or area.kind != kind:
            raise HTTPException(404, f"No {kind} with the code {code[:40]!r}.")
        revisions = queries.latest_public_revisions(session, area_code=area.code)
        return area.name, urls.area_page(area.code, area.kind), revisions

    return await _feed(request, content)


@router.get("/countries/{code}/feed.atom", name="country_feed", responses=FEED_RESPONSE)
async def country_feed(request: Request, code: str) -> Response:
    """The latest 50 changes to a country's figures (published, edited, retracted, reinstated)."""
    if code != code.upper():
        return RedirectResponse(urls.area_feed(code.upper(), "country"), status_code=301)
    return await _area_feed(request, "country", code)


@router.get("/regions/{slug}/feed.atom", name="region_feed", responses=FEED_RESPONSE)
async def region_feed(request: Request, slug: str) -> Response:
    """The latest 50 changes to a region's figures (published, edited, retracted, reinstated)."""
    return await _area_feed(request, "region", slug)


@router.get("/metrics/{slug}/feed.atom", name="metric_feed", responses=FEED_RESPONSE)
async def metric_feed(request: Request, slug: str) -> Response:
    """The latest 50 changes to a metric's figures across areas (Russia's own losses left out,
    as on the metric's page)."""

    def content(session: Session) -> tuple[str, str, Revisions]:
        metric = queries.get_metric(session, slug)
        if metric is None:
            raise HTTPException(404, f"No metric called {slug[:40]!r}.")
        revisions = queries.latest_public_revisions(
            session, metric_slug=metric.slug, leave_out_areas=CONTEXT_AREA_CODES
        )
        return metric.label, urls.metric(metric.slug), revisions

    return await _feed(request, content)
