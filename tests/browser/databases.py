"""A database of its own for browser tests that write: a scratch database of the kind under test
(SQLite file, or a new PostgreSQL database beside TEST_DATABASE_URL), migrated and seeded, and
dropped afterwards.

This is a module rather than an import from tests/conftest.py because `import conftest` from here
resolves to tests/browser/conftest.py (its directory comes first on sys.path)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.scratch_db import scratch_database


@contextmanager
def fresh_database(directory: Path) -> Iterator[str]:
    """Yield the URL of a new database of the kind under test, migrated to head and seeded with the
    demo data; a PostgreSQL one is dropped when the block ends."""
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    with scratch_database(directory, server_url, "dashboard_test") as database:
        yield database.url
