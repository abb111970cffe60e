"""Conditional requests: an ETag from the dataset version, and 304 Not Modified when it matches."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

REVALIDATE = "no-cache"


def etag_for(version: str, *variant: str) -> str:
    """Return the weak ETag of a representation of this dataset version (and any variant of it)."""
    return 'W/"' + ".".join((version, *variant)) + '"'


def _opaque(tag: str) -> str:
    return tag.strip().removeprefix("W/")


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Return True when an If-None-Match header names this ETag (weak comparison) or is '*'."""
    if not if_none_match:
        return False
    candidates = [candidate.strip() for candidate in if_none_match.split(",")]
    return "*" in candidates or _opaque(etag) in {_opaque(candidate) for candidate in candidates}


def caching_headers(etag: str) -> dict[str, str]:
    """Return the headers that let clients revalidate: the ETag, and revalidate every time."""
    return {"ETag": etag, "Cache-Control": REVALIDATE}


def not_modified(request: Request, etag: str) -> Response | None:
    """Return a 304 response when the client already has this representation, else None."""
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=caching_headers(etag))
    return None
