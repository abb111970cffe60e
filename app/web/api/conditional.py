"""Conditional answers of the API: the dataset version as the ETag, a 304 when the client has it,
and the JSON body kept per version."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app import queries
from app.web.http.conditional import caching_headers, etag_for, not_modified
from app.web.pages.page_cache import cached_body


def fresh_or_not_modified(request: Request, response: Response, etag: str) -> Response | None:
    """Return a 304 when the client has this ETag; otherwise mark the answer with it."""
    cached = not_modified(request, etag)
    if cached is None:
        response.headers.update(caching_headers(etag))
    return cached


def version_or_not_modified(
    request: Request, response: Response, session: Session
) -> tuple[str, Response | None]:
    """Return the current dataset version, with a 304 when the client already has it (otherwise
    the answer is marked with the version's ETag): the preamble of every versioned API answer."""
    version = queries.current_dataset_version(session)
    return version, fresh_or_not_modified(request, response, etag_for(version))


def cached_json(request: Request, version: str, build: Callable[[], BaseModel]) -> Response:
    """Return the JSON of the model build() makes, cached per dataset version, with its ETag."""

    def render() -> Response:
        return Response(build().model_dump_json(by_alias=True), media_type="application/json")

    response = cached_body(request, version, render)
    response.headers.update(caching_headers(etag_for(version)))
    return response
