"""Declarative base, exact decimal storage, the engine factory and session helpers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, Numeric, String, create_engine, event, make_url
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator, TypeEngine

from app.domain.figure_spec import decimal_text

CONNECT_TIMEOUT = 5  # seconds: an unreachable PostgreSQL makes requests fail fast (503), not hang
# SQLite's writers wait their turn this long before a request gives up with a 503. Waiters are
# served in no particular order, so a deep queue needs a long wait to keep the tail within it.
BUSY_TIMEOUT_MS = 30_000
# Connections kept open per process. Requests run in a pool of 40 threads: a kept pool smaller
# than the concurrent requests would open and close a connection for each one beyond it (on
# PostgreSQL a new backend process each time). Each worker keeps up to SQLITE_POOL connections
# (cheap file handles), or PG_POOL (two workers stay well within PostgreSQL's 100 connections).
SQLITE_POOL = {"pool_size": 20, "max_overflow": 20}
PG_POOL = {"pool_size": 16, "max_overflow": 8}

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table; constraint names follow NAMING_CONVENTION."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored exactly: NUMERIC on PostgreSQL, canonical text on SQLite (whose NUMERIC is a float)."""

    impl = Numeric(28, 6)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(self.impl)

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return decimal_text(Decimal(value))
        return Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).normalize() + Decimal(0)


class ExactRate(ExactDecimal):
    """An exchange rate stored exactly, to 12 decimal places: a weak currency's value in USD
    (0.0000786 USD per Uzbek som) needs more than ExactDecimal's 6."""

    impl = Numeric(28, 12)
    cache_ok = True


def _configure_sqlite(engine: Engine) -> None:
    """Apply WAL, foreign keys, a busy timeout and full sync; take write locks at BEGIN."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _create_private_file(path: Path) -> None:
    """Create the SQLite file (and its directory) readable by its owner only, if it is missing.

    SQLite gives its -wal and -shm files the database file's permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(
    database_url: str, echo: bool = False, *, prepared_statements: bool = True
) -> Engine:
    """Return an engine for the URL; SQLite files get their directory and pragmas.

    Without prepared_statements, PostgreSQL statements are never prepared on the server: behind a
    pooler in transaction mode, the next transaction may run on another server connection.
    """
    if database_url.startswith("sqlite"):
        path = make_url(database_url).database
        in_memory = not path or path == ":memory:"
        if path and not in_memory:
            _create_private_file(Path(path))
        engine = create_engine(database_url, echo=echo, **({} if in_memory else SQLITE_POOL))
        _configure_sqlite(engine)
        return engine
    given = make_url(database_url).query
    connect_args: dict[str, Any] = (
        {} if "connect_timeout" in given else {"connect_timeout": CONNECT_TIMEOUT}
    )
    if not prepared_statements:
        connect_args["prepare_threshold"] = None
    engine = create_engine(
        database_url, echo=echo, pool_pre_ping=True, connect_args=connect_args, **PG_POOL
    )
    _configure_postgresql(engine)
    return engine


def _configure_postgresql(engine: Engine) -> None:
    """Leave a returned connection's read-only mode to the server (a hot standby refuses READ WRITE).

    After a read-only snapshot (app.web.deps.snapshot_session), SQLAlchemy sets the connection
    back to read-write, and the driver would then begin every later transaction with READ WRITE,
    which a streaming replica refuses. Unset, BEGIN states no mode and each server applies its own.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            dbapi_connection.read_only = None


def writing(engine: Engine) -> Engine:
    """Return the engine set to take SQLite's write lock when a transaction begins."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin="IMMEDIATE")
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory that keeps loaded values after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """Yield a writing session, committed on success and rolled back on error."""
    with Session(writing(engine), expire_on_commit=False) as session, session.begin():
        yield session
