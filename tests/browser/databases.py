"""A database of its own for browser tests that write: built like tests/conftest.py's run database
(SQLite file, or a new PostgreSQL database beside TEST_DATABASE_URL), migrated and seeded by the
application's own functions, and dropped afterwards.

This is a module rather than an import from tests/conftest.py because `import conftest` from here
resolves to tests/browser/conftest.py (its directory comes first on sys.path)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import make_url, text

from app.db import make_engine, transaction
from app.migrate import upgrade
from app.operations.seeding import seed_demo


def _on_server(server_url: str, statement: str) -> None:
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


@contextmanager
def fresh_database(directory: Path) -> Iterator[str]:
    """Yield the URL of a new database of the kind under test, migrated to head and seeded with the
    demo data; a PostgreSQL one is dropped when the block ends."""
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    name = ""
    if server_url.startswith("postgresql"):
        name = f"dashboard_test_{uuid.uuid4().hex[:10]}"
        _on_server(server_url, f'CREATE DATABASE "{name}"')
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{directory / 'fresh.sqlite3'}"
    try:
        upgrade(url)
        engine = make_engine(url)
        try:
            with transaction(engine) as session:
                seed_demo(session)
        finally:
            engine.dispose()
        yield url
    finally:
        if name:
            _on_server(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
