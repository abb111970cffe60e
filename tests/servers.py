"""The real server (uvicorn, as `python -m app serve`) in a subprocess, for tests that need real
connections: concurrency, slow clients, a reverse proxy in front (harness.server starts it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness import server

TEST_SECRET_KEY = "test-secret-key"


@contextmanager
def running_server(
    database_url: str, log: Path, *, workers: int = 1, environment: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve the database with `python -m app serve` until the block ends; yield the base URL."""
    with server.running_server(
        database_url, log, workers=workers, environment=environment
    ) as started:
        yield started.base_url
