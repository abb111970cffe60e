"""The files under static/, kept in memory with their content hash and their brotli and gzip forms.

Pages name a file by its versioned address (`static_url("js/charts.js")` gives
`/static/js/charts.js?v=<hash>`), which browsers may keep for a year; any other address of the file
is revalidated. The client gets the brotli or gzip form when its Accept-Encoding allows.

The site's own files are compressed when the server starts (a few kilobytes, milliseconds). The
large vendored files take seconds at brotli's best quality, so `make static-assets` compresses them
once and their `.br` and `.gz` siblings are committed; a sibling that does not decompress to its
file's current bytes is ignored and the file compressed at start instead.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import brotli
from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.settings import PROJECT_ROOT
from app.web.deps import app_state
from app.web.http.conditional import etag_for, etag_matches

STATIC_DIRECTORY = PROJECT_ROOT / "static"
STATIC_PREFIX = "/static/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
VERSION_LENGTH = 12
# Files at least this large get committed .br and .gz siblings (make static-assets).
PRECOMPRESSED_AT_BUILD_BYTES = 64 * 1024
SMALLEST_COMPRESSED_BYTES = 512
SIBLING_SUFFIXES = {"br": ".br", "gzip": ".gz"}
COMPRESSIBLE_TYPES = ("text/", "application/json", "image/svg+xml")
MEDIA_TYPES = {".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml"}


def compress(data: bytes) -> dict[str, bytes]:
    """Return the brotli and gzip forms of data, each at its best quality (gzip without a date,
    so that the same bytes always give the same file)."""
    return {
        "br": brotli.compress(data, quality=11),
        "gzip": gzip.compress(data, compresslevel=9, mtime=0),
    }


def decompress(encoding: str, body: bytes) -> bytes:
    """Return the bytes a brotli or gzip body holds."""
    return brotli.decompress(body) if encoding == "br" else gzip.decompress(body)


def media_type_of(path: Path) -> str:
    """Return the Content-Type a static file is served with (text with its charset)."""
    guessed = MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    media_type = guessed or "text/plain"
    if media_type.startswith("text/") or media_type in ("application/json", "image/svg+xml"):
        return media_type + "; charset=utf-8"
    return media_type


def is_compressible(path: Path, size: int) -> bool:
    """Return True when a compressed form of the file is worth serving."""
    return size >= SMALLEST_COMPRESSED_BYTES and media_type_of(path).startswith(COMPRESSIBLE_TYPES)


@dataclass(frozen=True)
class StaticAsset:
    """One static file: its type, content version and bodies by content coding ("identity" too)."""

    media_type: str
    version: str
    bodies: dict[str, bytes]


def _served_files(directory: Path) -> Iterator[Path]:
    """Yield the files served from the directory: everything but the compressed siblings."""
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.suffix not in SIBLING_SUFFIXES.values():
            yield path


def _committed_siblings(path: Path, data: bytes) -> dict[str, bytes]:
    """Return the file's committed .br and .gz siblings that hold exactly its current bytes."""
    found = {}
    for encoding, suffix in SIBLING_SUFFIXES.items():
        sibling = path.with_name(path.name + suffix)
        if sibling.is_file():
            body = sibling.read_bytes()
            if decompress(encoding, body) == data:
                found[encoding] = body
    return found


def _read_asset(path: Path) -> StaticAsset:
    data = path.read_bytes()
    bodies = {"identity": data}
    if is_compressible(path, len(data)):
        siblings = _committed_siblings(path, data)
        compressed = siblings if len(siblings) == len(SIBLING_SUFFIXES) else compress(data)
        bodies |= {name: body for name, body in compressed.items() if len(body) < len(data)}
    version = hashlib.sha256(data).hexdigest()[:VERSION_LENGTH]
    return StaticAsset(media_type_of(path), version, bodies)


@cache
def _load(directory: Path, stamps: tuple[tuple[str, int, int], ...]) -> dict[str, StaticAsset]:
    return {name: _read_asset(directory / name) for name, _, _ in stamps}


def load_static_assets(directory: Path = STATIC_DIRECTORY) -> dict[str, StaticAsset]:
    """Return every static file by its path under the directory, read (and compressed) once per
    process for as long as no file changes."""
    stamps = tuple(
        (path.relative_to(directory).as_posix(), path.stat().st_mtime_ns, path.stat().st_size)
        for path in _served_files(directory)
    )
    return _load(directory, stamps)


class StaticUrls:
    """The versioned address of each static file, for the templates' `static_url`."""

    def __init__(self, assets: dict[str, StaticAsset]) -> None:
        self.assets = assets

    def __call__(self, name: str) -> str:
        """Return the file's address with its content version; a file that does not exist is an
        error, so that a mistyped name fails the page's tests instead of loading nothing."""
        return f"{STATIC_PREFIX}{name}?v={self.assets[name].version}"


def accepted_encodings(header: str | None) -> set[str]:
    """Return the content codings an Accept-Encoding header accepts (those not given q=0)."""
    accepted = set()
    for part in (header or "").split(","):
        coding, _, parameters = part.partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if coding.strip() and weight > 0:
            accepted.add(coding.strip().lower())
    return accepted


def chosen_encoding(asset: StaticAsset, accept_encoding: str | None) -> str:
    """Return the coding to send the file in: brotli, else gzip, when the client accepts it and
    the file has it; otherwise the file as it is ("identity")."""
    accepted = accepted_encodings(accept_encoding)
    for encoding in ("br", "gzip"):
        if encoding in asset.bodies and (encoding in accepted or "*" in accepted):
            return encoding
    return "identity"


router = APIRouter(include_in_schema=False)


@router.api_route(STATIC_PREFIX + "{name:path}", methods=["GET", "HEAD"])
def static_file(request: Request, name: str, v: str | None = None) -> Response:
    """Serve one static file from memory, compressed when the client accepts it; kept for a year
    when asked for by its current version, revalidated (ETag) otherwise."""
    asset = app_state(request).static_assets.get(name)
    if asset is None:
        raise HTTPException(status_code=404, detail="No such file.")
    encoding = chosen_encoding(asset, request.headers.get("accept-encoding"))
    etag = etag_for(asset.version, encoding)
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE if v == asset.version else REVALIDATE}
    if len(asset.bodies) > 1:
        headers["Vary"] = "Accept-Encoding"
    if encoding != "identity":
        headers["Content-Encoding"] = encoding
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(asset.bodies[encoding], media_type=asset.media_type, headers=headers)


def lacking_precompressed(directory: Path = STATIC_DIRECTORY) -> list[Path]:
    """Return the large compressible files whose .br and .gz siblings are missing or stale."""
    lacking = []
    for path in _served_files(directory):
        data = path.read_bytes()
        if len(data) < PRECOMPRESSED_AT_BUILD_BYTES or not is_compressible(path, len(data)):
            continue
        if len(_committed_siblings(path, data)) < len(SIBLING_SUFFIXES):
            lacking.append(path)
    return lacking


def precompress_large_files(directory: Path = STATIC_DIRECTORY) -> list[Path]:
    """Write the .br and .gz siblings of every large file that lacks fresh ones; return them."""
    written = []
    for path in lacking_precompressed(directory):
        for encoding, body in compress(path.read_bytes()).items():
            sibling = path.with_name(path.name + SIBLING_SUFFIXES[encoding])
            sibling.write_bytes(body)
            written.append(sibling)
    return written


if __name__ == "__main__":
    for sibling in precompress_large_files():
        sys.stdout.write(f"wrote {sibling.relative_to(PROJECT_ROOT)}\n")
