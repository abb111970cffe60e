"""Scratch databases: a SQLite file in a directory, or a new database beside a PostgreSQL server's
URL; migrated (and seeded with the demo data) by the application's own functions, dropped after."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass
class ScratchDatabase:
    """A database made for one test, benchmark or scenario: its kind, URL, and how to drop it."""

    kind: str
    url: str
    server_url: str = ""
    name: str = ""

    def drop(self) -> None:
        """Drop a PostgreSQL database (a SQLite file is left in its directory, removed with it)."""
        if self.kind == "postgresql" and self.name:
            _on_server(self.server_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def create_scratch_database(
    directory: Path, server_url: str = "", label: str = "scratch"
) -> ScratchDatabase:
    """Return a new, empty database: on the PostgreSQL server when server_url names one, else a
    SQLite file in the directory."""
    if server_url.startswith("postgresql"):
        name = f"{label}_{uuid.uuid4().hex[:10]}"
        _on_server(server_url, f'CREATE DATABASE "{name}"')
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        return ScratchDatabase("postgresql", url, server_url, name)
    path = directory / f"{label}-{uuid.uuid4().hex[:6]}.sqlite3"
    return ScratchDatabase("sqlite", f"sqlite:///{path}")


def migrate_and_seed(url: str, *, seeded: bool = True) -> None:
    """Migrate the database to the latest schema and, when seeded, load the demo data."""
    upgrade(url)
    if not seeded:
        return
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            seed_demo(session)
    finally:
        engine.dispose()


@contextmanager
def scratch_database(
    directory: Path, server_url: str = "", label: str = "scratch", *, seeded: bool = True
) -> Iterator[ScratchDatabase]:
    """Yield a migrated (and, when seeded, demo-loaded) scratch database; drop it afterwards."""
    database = create_scratch_database(directory, server_url, label)
    try:
        migrate_and_seed(database.url, seeded=seeded)
        yield database
    finally:
        database.drop()
