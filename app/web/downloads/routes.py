"""Downloads of the published figures, CSV and JSON, streamed from one read-only snapshot.

The rows are read in batches while the response streams, from a session that stays open (and
sees one snapshot of the data) until the last byte is sent, so memory stays flat however many
figures there are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from app import queries
from app.domain.exports import csv_chunks_from_rows, json_chunks
from app.domain.filters import FigureFilter
from app.settings import Settings
from app.web import urls
from app.web.api.routes import CONDITIONAL, checked_filter
from app.web.api.schemas import ExportQuery
from app.web.deps import SnapshotSessionDep, app_state
from app.web.downloads.kept_files import SNAPSHOT_FLAG, cache_path, written_through
from app.web.http.conditional import caching_headers, etag_for, not_modified

router = APIRouter(prefix="/export", tags=["downloads"])


def _encoded(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


def export_body(
    session: Session,
    query: ExportQuery,
    figure_filter: FigureFilter,
    file_format: str,
    *,
    version: str,
    base_url: str,
) -> Iterator[bytes]:
    """Yield the bytes of the download of the figures the filter selects, read in this session."""

    def permalink_for(figure_id: int) -> str:
        return urls.permalink(base_url, figure_id)

    if file_format == "csv":
        chunks = csv_chunks_from_rows(
            queries.stream_export_rows(session, figure_filter),
            permalink_prefix=permalink_for(0).removesuffix("0"),
            version=version,
            hxl=query.hxl,
        )
    else:
        records = queries.stream_published(session, figure_filter)
        chunks = json_chunks(records, permalink_for=permalink_for, version=version)
    return _encoded(chunks)


def kept_download_path(
    settings: Settings, version: str, file_format: str, query: ExportQuery
) -> Path:
    """Return where the download of this version, format and query is kept.

    The file is named by what its bytes depend on (the database, the public address in the
    permalinks, the format and the parsed query), never by the raw address: parameters the
    query does not read, or another host name, reach the same file.
    """
    request_key = f"{settings.public_base_url}\n{file_format}\n{query.model_dump_json()}"
    return cache_path(Path(settings.export_cache_dir), settings.database_url, version, request_key)


def _download(
    request: Request,
    query: ExportQuery,
    session: Session,
    file_format: str,
    media_type: str,
) -> Response:
    """Return the export of the figures the query selects, or 304 when the client has it."""
    figure_filter = checked_filter(session, query)
    version = queries.current_dataset_version(session)
    etag = etag_for(version)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    settings = app_state(request).settings
    file_name = f"figures-{figure_filter.slug()}-{version}.{file_format}"
    headers = {
        **caching_headers(etag),
        "Content-Disposition": f'attachment; filename="{file_name}"',
    }
    body = export_body(
        session,
        query,
        figure_filter,
        file_format,
        version=version,
        base_url=str(settings.public_base_url),
    )
    if session.info.get(SNAPSHOT_FLAG) and settings.export_cache_dir:
        path = kept_download_path(settings, version, file_format, query)
        if path.is_file():
            return FileResponse(path, media_type=media_type, headers=headers)
        body = written_through(body, path)
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
