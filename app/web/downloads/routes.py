"""Downloads of the published figures, CSV, JSON and both in a zip bundle with their data
package, streamed from one read-only snapshot; and the data package that describes them.

The rows are read in batches while the response streams, from a session that stays open (and
sees one snapshot of the data) until the last byte is sent, so memory stays flat however many
figures there are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from app import queries
from app.domain.bundle import bundle_chunks
from app.domain.datapackage import PackageFacts, data_package
from app.domain.exports import json_chunks
from app.domain.filters import FigureFilter, within_span
from app.domain.licence import DATA_LICENCE_SPDX, licence_fields
from app.settings import Settings
from app.web import urls
from app.web.api.routes import CONDITIONAL, checked_filter
from app.web.api.schemas import ExportQuery
from app.web.deps import SessionDep, SnapshotSessionDep, app_state
from app.web.downloads.kept_files import SNAPSHOT_FLAG, cache_path, written_through
from app.web.http.conditional import caching_headers, etag_for, not_modified
from app.web.site import site_of_settings

router = APIRouter(prefix="/export", tags=["downloads"])
HXL_FORMATS = ("csv", "zip")  # the downloads holding a CSV, which may carry the HXL row


def _encoded(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


def package_facts(
    settings: Settings, query: ExportQuery, figure_filter: FigureFilter, version: str
) -> PackageFacts:
    """Return what the data package of a download says: whose, which version, which slice."""
    return PackageFacts(
        title=settings.site_name,
        homepage=str(settings.public_base_url),
        version=version,
        selection=figure_filter.words(),
        query=query.query_string(),
        hxl=query.hxl,
    )


def _bundle_body(
    session: Session,
    query: ExportQuery,
    figure_filter: FigureFilter,
    *,
    version: str,
    settings: Settings,
) -> Iterator[bytes]:
    """Yield the zip bundle of the slice: its CSV, then its JSON (read once the CSV is written)."""

    def body(file_format: str) -> Iterator[bytes]:
        yield from export_body(
            session, query, figure_filter, file_format, version=version, settings=settings
        )

    facts = package_facts(settings, query, figure_filter, version)
    return bundle_chunks(facts, body("csv"), body("json"))


def export_body(
    session: Session,
    query: ExportQuery,
    figure_filter: FigureFilter,
    file_format: str,
    *,
    version: str,
    settings: Settings,
) -> Iterator[bytes]:
    """Yield the bytes of the download of the figures the filter selects, read in this session."""
    site = site_of_settings(settings)

    def permalink_for(figure_id: int) -> str:
        return urls.permalink(site.base_url, figure_id)

    if file_format == "zip":
        return _bundle_body(session, query, figure_filter, version=version, settings=settings)
    if file_format == "csv":
        return queries.csv_download(
            session,
            figure_filter,
            permalink_prefix=permalink_for(0).removesuffix("0"),
            version=version,
            hxl=query.hxl,
        )
    records = queries.stream_published(session, figure_filter)
    licence = licence_fields(site.name, version, site.address("/"))
    chunks = json_chunks(records, permalink_for=permalink_for, version=version, licence=licence)
    return _encoded(chunks)


def canonical_download(
    session: Session, query: ExportQuery, figure_filter: FigureFilter, file_format: str
) -> tuple[ExportQuery, FigureFilter]:
    """Return the one spelling of a download's query and filter: every query selecting the same
    figures in the same format gets the same (the filter's canonical form, FigureFilter.canonical,
    with the as-of bounds outside the published figures' span dropped: within_span; the HXL row
    only where there is a CSV). The span is read only when the filter bounds the as-of date."""
    canonical = figure_filter.canonical()
    span = queries.published_as_of_span(session) if canonical.bounds_as_of else None
    canonical = within_span(canonical, span)
    hxl = query.hxl and file_format in HXL_FORMATS
    return ExportQuery.of_filter(canonical, hxl=hxl), canonical


def kept_download_path(
    settings: Settings, version: str, file_format: str, query: ExportQuery
) -> Path:
    """Return where the download of this version, format and canonical query is kept.

    The file is named by what its bytes depend on (the database, the public address in the
    permalinks, the site's name and the licence in the attribution, the format and the query in
    its one spelling: canonical_download), never by the raw address: parameters the query does
    not read, another spelling of the same selection, or another host name reach the same file.
    """
    site = f"{settings.public_base_url}\n{settings.site_name}\n{DATA_LICENCE_SPDX}"
    request_key = f"{site}\n{file_format}\n{query.model_dump_json()}"
    return cache_path(Path(settings.export_cache_dir), settings.database_url, version, request_key)


def _filter_and_version(
    request: Request, query: ExportQuery, session: Session
) -> tuple[FigureFilter, str, Response | None]:
    """Return the query's filter (422 for an unknown area or metric) and the dataset version, with
    a 304 when the client has this version's answer already."""
    figure_filter = checked_filter(session, query)
    version = queries.current_dataset_version(session)
    return figure_filter, version, not_modified(request, etag_for(version))


def _download(
    request: Request,
    query: ExportQuery,
    session: Session,
    file_format: str,
    media_type: str,
) -> Response:
    """Return the export of the figures the query selects, or 304 when the client has it."""
    figure_filter, version, unchanged = _filter_and_version(request, query, session)
    if unchanged is not None:
        return unchanged
    query, figure_filter = canonical_download(session, query, figure_filter, file_format)
    etag = etag_for(version)
    settings = app_state(request).settings
    file_name = f"figures-{figure_filter.slug()}-{version}.{file_format}"
    headers = {
        **caching_headers(etag),
        "Content-Disposition": f'attachment; filename="{file_name}"',
    }
    body = export_body(
        session, query, figure_filter, file_format, version=version, settings=settings
    )
    if session.info.get(SNAPSHOT_FLAG) and settings.export_cache_dir:
        path = kept_download_path(settings, version, file_format, query)
        if path.is_file():
            return FileResponse(path, media_type=media_type, headers=headers)
        body = written_through(body, path, max_bytes=settings.export_cache_max_bytes)
    return StreamingResponse(body, media_type=media_type, headers=headers)


CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "the figures as UTF-8 CSV"},
    **CONDITIONAL,
}
JSON_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}}, "description": "the figures as JSON"},
    **CONDITIONAL,
}


@router.get("/figures.csv", response_class=StreamingResponse, responses=CSV_RESPONSE)
def figures_csv(
    request: Request, query: Annotated[ExportQuery, Query()], session: SnapshotSessionDep
) -> Response:
    """Every published figure the filters select, with its source, as CSV (spreadsheet-safe)."""
    return _download(request, query, session, "csv", "text/csv; charset=utf-8")


@router.get("/figures.json", response_class=StreamingResponse, responses=JSON_RESPONSE)
def figures_json(
    request: Request, query: Annotated[ExportQuery, Query()], session: SnapshotSessionDep
) -> Response:
    """Every published figure the filters select, with its source, as one JSON document."""
    return _download(request, query, session, "json", "application/json")


ZIP_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/zip": {}},
        "description": "the figures as CSV and JSON with their data package, README and licence",
    },
    **CONDITIONAL,
}
PACKAGE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/json": {}},
        "description": "the Frictionless Data Package (v2) of the CSV and JSON downloads",
    },
    **CONDITIONAL,
}


@router.get("/figures.zip", response_class=StreamingResponse, responses=ZIP_RESPONSE)
def figures_zip(
    request: Request, query: Annotated[ExportQuery, Query()], session: SnapshotSessionDep
) -> Response:
    """The published figures the filters select as CSV and JSON, zipped with their data package
    (datapackage.json), a README saying how to cite them, and the licence."""
    return _download(request, query, session, "zip", "application/zip")


@router.get("/datapackage.json", responses=PACKAGE_RESPONSE)
def datapackage(
    request: Request, query: Annotated[ExportQuery, Query()], session: SessionDep
) -> Response:
    """The Frictionless Data Package of the CSV and JSON downloads the filters select: every
    column's type, description and allowed values, the licence, the version and the slice."""
    figure_filter, version, unchanged = _filter_and_version(request, query, session)
    if unchanged is not None:
        return unchanged
    query, figure_filter = canonical_download(session, query, figure_filter, "csv")
    settings = app_state(request).settings
    base_url = str(settings.public_base_url).rstrip("/")
    query_string = query.query_string()
    paths = (
        base_url + urls.export_with_query("csv", query_string),
        base_url + urls.export_with_query("json", query_string),
    )
    package = data_package(package_facts(settings, query, figure_filter, version), paths=paths)
    return JSONResponse(package, headers=caching_headers(etag_for(version)))
