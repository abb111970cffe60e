"""The JSON API under /api/v1: the pages' data, the figures with filters, one figure, comparisons.

Only published figures appear (a retracted figure's address answers 410 Gone). Every answer
carries the dataset version as its ETag and answers 304 when the client already has it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app import queries
from app.domain.comparisons import (
    make_group,
)
from app.domain.figures import MAX_IDENTIFIER, FigureStatus
from app.domain.filters import FigureFilter
from app.domain.licence import licence_fields
from app.domain.sources import SourceKind
from app.models import Area
from app.web import urls
from app.web.api.conditional import kept_json
from app.web.api.figure_schemas import (
    ComparisonOut,
    FigureDetailOut,
    FigureOut,
    FigurePageOut,
    RevisionOut,
    figure_fields,
)
from app.web.api.schemas import (
    ApiIndexOut,
    AreaDetailOut,
    AreaListOut,
    AreaSummaryOut,
    FigurePageQuery,
    FigureQuery,
    LicenceOut,
    MetricDetailOut,
    MetricListOut,
    MetricOut,
    SourceDetailOut,
    SourceListOut,
    SourceOut,
    filter_parameters,
)
from app.web.deps import app_state
from app.web.pages.citing import figure_citation_text
from app.web.pages.data import area_data, metric_data
from app.web.site import site_of

router = APIRouter(prefix=urls.API_PREFIX, tags=["data"])
CONDITIONAL: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the client's copy (its ETag) is the current version"}
}
Identifier = Annotated[int, Path(ge=1, le=MAX_IDENTIFIER)]


def _public_base_url(request: Request) -> str:
    return str(app_state(request).settings.public_base_url)


def checked_filter(session: Session, query: FigureQuery) -> FigureFilter:
    """Return the filter of the query, refusing (422) areas and metrics that do not exist."""
    known = queries.known_codes(session, areas=query.area, metrics=query.metric)
    problems = [
        {
            "loc": ["query", name],
            "msg": f"{value[:40]!r} is not a known {what}",
            "type": "value_error",
        }
        for name, values, known_values, what in (
            ("area", query.area, known["areas"], "area code (ISO 3166-1 alpha-3 or region)"),
            ("metric", query.metric, known["metrics"], "metric"),
        )
        for value in values
        if value not in known_values
    ]
    if problems:
        raise HTTPException(422, detail=problems)
    return query.to_filter()


def _area(session: Session, code: str) -> Area:
    normalised = code.upper() if len(code) == 3 else code.lower()
    area = queries.get_area(session, normalised)
    if area is None:
        raise HTTPException(404, f"No area with the code {code[:40]!r}.")
    return area


def _page_address(path: str, parameters: list[tuple[str, str]], offset: int | None) -> str | None:
    if offset is None:
        return None
    return f"{path}?{urlencode([*parameters, ('offset', str(offset))])}"


@router.get("", response_model=ApiIndexOut, responses=CONDITIONAL)
async def index(request: Request) -> Response:
    """Where everything is, and the current dataset version."""

    def build(_session: Session, version: str) -> ApiIndexOut:
        prefix = urls.API_PREFIX
        site = site_of(request)
        return ApiIndexOut(
            dataset_version=version,
            endpoints={
                "areas": f"{prefix}/areas",
                "area": f"{prefix}/areas/{{code}}",
                "comparison": f"{prefix}/areas/{{code}}/metrics/{{metric}}",
                "metrics": f"{prefix}/metrics",
                "coverage": f"{prefix}/coverage",
                "metric": f"{prefix}/metrics/{{metric}}",
                "figures": f"{prefix}/figures",
                "figure": f"{prefix}/figures/{{id}}",
                "sources": f"{prefix}/sources",
                "source": f"{prefix}/sources/{{id}}",
                "export_csv": urls.export("csv"),
                "export_json": urls.export("json"),
            },
            docs=urls.API_DOCS,
            openapi=urls.OPENAPI,
            licence=LicenceOut(**licence_fields(site.name, version, site.address("/"))),
        )

    return await kept_json(request, build)


@router.get("/areas", response_model=AreaListOut, responses=CONDITIONAL)
async def areas(request: Request) -> Response:
    """Countries and regions with published figures, regions first (the overview's table)."""

    def build(session: Session, version: str) -> AreaListOut:
        counts = queries.published_counts_by_area_and_metric(session)
        found = queries.areas_by_code(session, sorted(counts))
        ordered = sorted(found.values(), key=lambda area: (area.kind != "region", area.name))
        return AreaListOut(
            dataset_version=version,
            areas=[AreaSummaryOut.of(area, counts[area.code]) for area in ordered],
        )

    return await kept_json(request, build)


@router.get("/areas/{code}", response_model=AreaDetailOut, responses=CONDITIONAL)
async def area(request: Request, code: str) -> Response:
    """A country's or region's page as data: one comparison per metric, and its timeline."""

    def build(session: Session, _version: str) -> AreaDetailOut:
        found = _area(session, code)
        return AreaDetailOut.of(
            area_data(session, found, every_figure=True), _public_base_url(request)
        )

    return await kept_json(request, build)


@router.get("/areas/{code}/metrics/{metric}", response_model=ComparisonOut, responses=CONDITIONAL)
async def comparison(request: Request, code: str, metric: str) -> Response:
    """One area and one metric: the figures, the disagreement factor, official against the rest."""

    def build(session: Session, _version: str) -> ComparisonOut:
        found = _area(session, code)
        if queries.get_metric(session, metric) is None:
            raise HTTPException(404, f"No metric called {metric[:40]!r}.")
        records = queries.published_records(session, area_code=found.code, metric_slug=metric)
        if not records:
            raise HTTPException(404, f"No published figures for {found.name}, metric {metric}.")
        return ComparisonOut.of(make_group(records), _public_base_url(request))

    return await kept_json(request, build)


@router.get("/metrics", response_model=MetricListOut, responses=CONDITIONAL)
async def metrics(request: Request) -> Response:
    """The metric vocabulary, with each metric's definition and published-figure count."""

    def build(session: Session, version: str) -> MetricListOut:
        counts = queries.published_counts_by_metric(session)
        return MetricListOut(
            dataset_version=version,
            metrics=[
                MetricOut.of(metric, counts.get(metric.slug, 0))
                for metric in queries.list_metrics(session)
            ],
        )

    return await kept_json(request, build)


@router.get("/metrics/{slug}", response_model=MetricDetailOut, responses=CONDITIONAL)
async def metric(request: Request, slug: str) -> Response:
    """A metric's page as data: one comparison per area, the most contested first (context
    areas such as Russia's own losses left out, as on the page)."""

    def build(session: Session, version: str) -> MetricDetailOut:
        found = queries.get_metric(session, slug)
        if found is None:
            raise HTTPException(404, f"No metric called {slug[:40]!r}.")
        data = metric_data(session, found, every_figure=True)
        base_url = _public_base_url(request)
        return MetricDetailOut(
            **MetricOut.of(found, data.figure_count).model_dump(),
            dataset_version=version,
            comparisons=[ComparisonOut.of(row.group(), base_url) for row in data.rows],
        )

    return await kept_json(request, build)


@router.get("/figures", response_model=FigurePageOut, responses=CONDITIONAL)
async def figures(request: Request, query: Annotated[FigurePageQuery, Query()]) -> Response:
    """Published figures matching the filters, ordered by id, a page at a time, with the total.

    Kept under the filter in canonical form with the page: every spelling of one selection
    (parameters repeated or in another order, a side or its kinds, a year or its days) is one
    kept answer, and links name it one way. A filter selecting nothing is written without its
    areas and metrics, which are still checked (422 for unknown ones): its answers are kept
    under them too."""
    asked = query.to_filter()
    canonical = asked.canonical()
    selection = filter_parameters(canonical)
    checked = FigureFilter(areas=asked.areas, metrics=asked.metrics).canonical()
    refusable = filter_parameters(checked) if canonical.selects_nothing else []
    page = [*selection, ("limit", str(query.limit))]
    path = request.url.path

    def build(session: Session, version: str) -> FigurePageOut:
        figure_filter = checked_filter(session, query).canonical()
        total = queries.count_published(session, figure_filter)
        records = queries.published_page(
            session, figure_filter, limit=query.limit, offset=query.offset
        )
        base_url = _public_base_url(request)
        following = query.offset + query.limit
        previous = max(query.offset - query.limit, 0) if query.offset > 0 else None
        downloads = urlencode(selection)
        return FigurePageOut(
            dataset_version=version,
            total=total,
            limit=query.limit,
            offset=query.offset,
            next=_page_address(path, page, following if following < total else None),
            previous=_page_address(path, page, previous),
            downloads={
                name: urls.export_with_query(name, downloads) for name in urls.DOWNLOAD_FILES
            },
            items=[FigureOut.of(record, base_url) for record in records],
        )

    variant = urlencode([*page, ("offset", str(query.offset)), *refusable])
    return await kept_json(request, build, variant)


@router.get("/figures/{figure_id}", response_model=FigureDetailOut, responses=CONDITIONAL)
async def figure(request: Request, figure_id: Identifier) -> Response:
    """A published figure with its citation and revision history (410 Gone once retracted); its
    citation names today as the access date, so its ETag names the day too."""
    today = datetime.now(UTC).date()

    def build(session: Session, version: str) -> FigureDetailOut:
        record = queries.public_record(session, figure_id)
        if record is None:
            raise HTTPException(404, f"No published figure #{figure_id}.")
        base_url = _public_base_url(request)
        permalink = urls.permalink(base_url, record.id)
        if record.status == FigureStatus.RETRACTED.value:
            raise HTTPException(
                410,
                f"Figure #{record.id} has been retracted; its page keeps its history: {permalink}",
            )
        return FigureDetailOut(
            **figure_fields(record, base_url),
            citation=figure_citation_text(record, site_of(request), version, today),
            dataset_version=version,
            revisions=[
                RevisionOut.of(revision)
                for revision in queries.public_revisions(session, record.id)
            ],
        )

    day = today.isoformat()
    return await kept_json(request, build, f"day={day}", etag_variant=(day,))


@router.get("/sources", response_model=SourceListOut, responses=CONDITIONAL)
async def sources(
    request: Request,
    kind: Annotated[SourceKind | None, Query(description="only sources of this kind")] = None,
    sort: Annotated[
        Literal["figures", "fewest", "publisher"],
        Query(description="most figures first, fewest first, or by publisher"),
    ] = "figures",
) -> Response:
    """Every source that published figures, timeline events or exchange rates cite."""

    def build(session: Session, version: str) -> SourceListOut:
        found = queries.public_sources(session, kind=kind, order=sort)
        return SourceListOut(
            dataset_version=version,
            sources=[SourceOut.of(source, count) for source, count in found],
        )

    variant = urlencode({"kind": kind.value if kind else "", "sort": sort})
    return await kept_json(request, build, variant)


@router.get("/sources/{source_id}", response_model=SourceDetailOut, responses=CONDITIONAL)
async def source(request: Request, source_id: Identifier) -> Response:
    """A source and the published figures it supports."""

    def build(session: Session, version: str) -> SourceDetailOut:
        found = queries.public_source(session, source_id)
        if found is None:
            raise HTTPException(404, f"No source #{source_id}.")
        records = queries.published_records(session, source_id=found.id)
        base_url = _public_base_url(request)
        return SourceDetailOut(
            **SourceOut.of(found, len(records)).model_dump(),
            dataset_version=version,
            figures=[FigureOut.of(record, base_url) for record in records],
        )

    return await kept_json(request, build)
