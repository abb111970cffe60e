"""Rendered bodies of public pages and API answers, kept per dataset version in each worker.

The key holds the dataset version, which changes whenever anything the public sees changes
(see app.domain.dataset), so a cached body is never served after a change: the next request
computes the new version, misses, and renders afresh. A hit costs the one version query.
Cached bodies are also kept gzipped, for the clients that accept it (every browser does).
The cache is a bounded LRU (by bytes); one request renders a missing page while the others
asking for it at the same moment wait for it instead of rendering it too.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from starlette.responses import Response

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
LOCK_STRIPES = 64
MIN_GZIP_BYTES = 1024
CacheKey = tuple[str, str, str]


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
    """A thread-safe LRU of response bodies, bounded by their total size."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
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
            while self._size > self.max_bytes and self._entries:
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


def _replay(request: Request, entry: CachedBody) -> Response:
    """Return the cached body, gzipped for clients that accept it (as browsers do)."""
    if entry.gzipped is not None and _accepts_gzip(request):
        response = Response(entry.gzipped, media_type=entry.media_type)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(entry.body, media_type=entry.media_type)
    response.headers["Vary"] = "Accept-Encoding"
    for name, value in entry.headers:
        response.headers[name] = value
    return response


def cached_body(
    request: Request,
    version: str,
    build: Callable[[], Response],
    *,
    kept_headers: tuple[str, ...] = (),
) -> Response:
    """Return the response for this request and dataset version: cached, or built and cached (200s)."""
    cache: BodyCache = request.app.state.body_cache
    key = (version, request.url.path, request.url.query)
    entry = cache.get(key)
    if entry is not None:
        return _replay(request, entry)
    with cache.render_lock(key):
        entry = cache.get(key)
        if entry is not None:
            return _replay(request, entry)
        response = build()
        if response.status_code == 200 and isinstance(response.body, bytes):
            headers = tuple(
                (name, response.headers[name]) for name in kept_headers if name in response.headers
            )
            media_type = response.headers.get("content-type", response.media_type or "")
            body = bytes(response.body)
            cache.put(key, CachedBody(body, media_type, headers, compressed(body)))
        return response
