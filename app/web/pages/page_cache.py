"""Rendered bodies of public pages and API answers, kept per dataset version in each worker.

The key holds the dataset version, which changes whenever anything the public sees changes
(see app.domain.dataset), so a cached body is never served after a change: the next request
computes the new version, misses, and renders afresh. A hit costs the one version query.
Cached bodies are also kept gzipped, for the clients that accept it (every browser does).
The cache is a bounded LRU (by bytes); one request renders a missing page while the others
asking for it at the same moment wait for it instead of rendering it too.

Pages (`cached_page`) and API answers (`cached_answer`) check the version with one statement
shared by the requests waiting for it (app.web.pages.version_reads) and answer a hit without
opening a session (a 304 when the client has the ETag an answer kept); only a miss renders, in
a read transaction of its own, and keeps the answer under the version that transaction saw.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app import queries
from app.web.deps import app_state, snapshot_session
from app.web.http.conditional import etag_matches
from app.web.pages.version_reads import SharedVersionReads

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 20_000
LOCK_STRIPES = 64
MIN_GZIP_BYTES = 1024
CacheKey = tuple[str, str, str]
REVALIDATION = frozenset({"etag", "cache-control"})  # what a 304 repeats of its answer


@dataclass(frozen=True)
class CachedBody:
    """A response body with what is needed to send it again."""

    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()
    gzipped: bytes | None = None


def _size(entry: CachedBody) -> int:
    return len(entry.body) + len(entry.gzipped or b"")


class BodyCache:
    """A thread-safe LRU of response bodies, bounded by their total size and their number."""

    def __init__(
        self, max_bytes: int = DEFAULT_MAX_BYTES, max_entries: int = DEFAULT_MAX_ENTRIES
    ) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._entries: OrderedDict[CacheKey, CachedBody] = OrderedDict()
        self._size = 0
        self._guard = threading.Lock()
        self._render_locks = [threading.Lock() for _ in range(LOCK_STRIPES)]

    def get(self, key: CacheKey) -> CachedBody | None:
        """Return the cached body under this key (marking it recently used), or None."""
        with self._guard:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: CacheKey, entry: CachedBody) -> None:
        """Keep a body, evicting the least recently used ones beyond the size bound."""
        if len(entry.body) > self.max_bytes // 4:
            return
        with self._guard:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._size -= _size(previous)
            self._entries[key] = entry
            self._size += _size(entry)
            while self._entries and (
                self._size > self.max_bytes or len(self._entries) > self.max_entries
            ):
                _, evicted = self._entries.popitem(last=False)
                self._size -= _size(evicted)

    def render_lock(self, key: CacheKey) -> threading.Lock:
        """Return the lock that one renderer of this key holds while the others wait."""
        return self._render_locks[hash(key) % LOCK_STRIPES]

    def __len__(self) -> int:
        return len(self._entries)


def compressed(body: bytes) -> bytes | None:
    """Return the body gzipped, or None when it is too small to gain from it."""
    return gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= MIN_GZIP_BYTES else None


def _accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def _not_modified(request: Request, headers: Mapping[str, str]) -> Response | None:
    """Return a 304 when an answer with these headers has an ETag the client already has."""
    etag = headers.get("etag")
    if etag is None or not etag_matches(request.headers.get("if-none-match"), etag):
        return None
    revalidation = {name: value for name, value in headers.items() if name in REVALIDATION}
    return Response(status_code=304, headers={**revalidation, "Vary": "Accept-Encoding"})


def _replay(request: Request, entry: CachedBody) -> Response:
    """Return the cached body, gzipped for clients that accept it (as browsers do), or a 304."""
    unchanged = _not_modified(request, dict(entry.headers))
    if unchanged is not None:
        return unchanged
    if entry.gzipped is not None and _accepts_gzip(request):
        response = Response(entry.gzipped, media_type=entry.media_type)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(entry.body, media_type=entry.media_type)
    response.headers["Vary"] = "Accept-Encoding"
    for name, value in entry.headers:
        response.headers[name] = value
    return response


def _keep(
    cache: BodyCache, key: CacheKey, response: Response, kept_headers: tuple[str, ...]
) -> CachedBody | None:
    """Keep a 200 response's body under the key and return the entry (None when not kept)."""
    if response.status_code != 200 or not isinstance(response.body, bytes):
        return None
    headers = tuple(
        (name.lower(), response.headers[name]) for name in kept_headers if name in response.headers
    )
    media_type = response.headers.get("content-type", response.media_type or "")
    body = bytes(response.body)
    entry = CachedBody(body, media_type, headers, compressed(body))
    cache.put(key, entry)
    return entry


@dataclass(frozen=True)
class PageReads:
    """Where kept pages read from: the current dataset version, and a read session to render."""

    version: Callable[[], Awaitable[str]]
    session: Callable[[], AbstractContextManager[Session]]


def page_reads(engine: Engine) -> PageReads:
    """Return the page reads of a server: shared version reads, and a read-only transaction on
    one snapshot per render (a page's summaries, charts and figures all from the same commits).

    Both must read the same database (the replica when there is one): a version read on the
    primary could name a change that the replica rendering the page has not replayed yet.
    """

    @contextmanager
    def read_session() -> Iterator[Session]:
        with snapshot_session(engine) as session, session.begin():
            yield session

    shared = SharedVersionReads(partial(queries.latest_dataset_version, engine))
    return PageReads(version=shared.current, session=read_session)


def _render_and_keep(
    request: Request,
    build: Callable[[Session, str], Response],
    variant: str,
    kept_headers: tuple[str, ...],
) -> Response:
    """Render the answer in a read transaction and keep it under the version that transaction saw."""
    cache: BodyCache = app_state(request).body_cache
    reads: PageReads = app_state(request).page_reads
    with reads.session() as session:
        version = queries.current_dataset_version(session)
        key = (version, request.url.path, variant)
        with cache.render_lock(key):
            entry = cache.get(key)
            if entry is not None:
                return _replay(request, entry)
            response = build(session, version)
            entry = _keep(cache, key, response, kept_headers)
            if response.status_code == 200:
                unchanged = _not_modified(request, response.headers)
                if unchanged is not None:
                    return unchanged
            return response if entry is None else _sent_as_kept(request, response, entry)


def _sent_as_kept(request: Request, response: Response, entry: CachedBody) -> Response:
    """Return a response just rendered, its body encoded as later replays of it will be."""
    if entry.gzipped is not None and _accepts_gzip(request):
        response.body = entry.gzipped
        response.headers["Content-Length"] = str(len(entry.gzipped))
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response


async def cached_answer(
    request: Request,
    build: Callable[[Session, str], Response],
    variant: str = "",
    *,
    kept_headers: tuple[str, ...] = (),
) -> Response:
    """Return the answer to this request: kept for the current dataset version, or built now.

    `build` receives a read session and the dataset version it sees, and returns the answer (or
    raises an HTTPException, which is never kept). The answer is kept under its path and
    `variant`, the canonical form of the parameters it reads (e.g. "page=2"), never under the
    raw query: any other spelling of them, or any other parameter a client adds, would otherwise
    make a new answer to build and keep. A kept answer is served without a session; when it kept
    an ETag (in `kept_headers`) that the client already has, as a 304.
    """
    cache: BodyCache = app_state(request).body_cache
    reads: PageReads = app_state(request).page_reads
    entry = cache.get((await reads.version(), request.url.path, variant))
    if entry is not None:
        return _replay(request, entry)
    return await run_in_threadpool(_render_and_keep, request, build, variant, kept_headers)


async def cached_page(
    request: Request, build: Callable[[Session], Response], variant: str = ""
) -> Response:
    """Return the page for this request: kept for the current dataset version, or rendered now
    (`build` receives a read session; see cached_answer)."""
    return await cached_answer(request, lambda session, _version: build(session), variant)
