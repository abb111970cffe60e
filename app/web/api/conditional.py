"""Kept answers of the API: the JSON of each answer, kept per dataset version under the canonical
form of the parameters it reads, with the version as its ETag and a 304 when the client has it.

A kept answer (and its 304) is served without a database session; only a miss builds the answer,
in a read transaction, and keeps it under the version that transaction saw
(app.web.pages.page_cache.cached_answer).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.web.http.conditional import caching_headers, etag_for
from app.web.pages.page_cache import cached_answer

KEPT_HEADERS = ("ETag", "Cache-Control")


async def kept_json(
    request: Request,
    build: Callable[[Session, str], BaseModel],
    variant: str = "",
    etag_variant: tuple[str, ...] = (),
) -> Response:
    """Return the JSON of the model build(session, version) makes, kept per dataset version under
    `variant` (the canonical parameters it reads), its ETag the version (and `etag_variant`)."""

    def render(session: Session, version: str) -> Response:
        body = build(session, version).model_dump_json(by_alias=True)
        headers = caching_headers(etag_for(version, *etag_variant))
        return Response(body, media_type="application/json", headers=headers)

    return await cached_answer(request, render, variant, kept_headers=KEPT_HEADERS)
