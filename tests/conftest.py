"""Test fixtures: one database per run built by the migrations and seeded with the demo data;
each test runs inside a transaction that is rolled back. SQLite by default, PostgreSQL when
TEST_DATABASE_URL names a server (a fresh database is created beside the one it names)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from app.db import make_engine, transaction
from app.main import create_app
from app.migrate import upgrade
from app.operations.seeding import seed_demo
from app.settings import Settings
from servers import running_server
from support import use_test_session

# Servers that tests build do not build downloads ahead unless a test asks for it
# (tests/test_prebuild.py): a thread reading the database beside each test would make the tests
# depend on its timing. The live servers the browser tests start inherit this too.
os.environ["EXPORT_PREBUILD_SECONDS"] = "0"


def _create_postgres_database(server_url: str) -> tuple[str, str]:
    """Create an empty database on the server and return its URL and name."""
    name = f"dashboard_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False), name


def _drop_postgres_database(server_url: str, name: str) -> None:
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Return the URL of this run's database, migrated to head and seeded with the demo data."""
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    if server_url.startswith("postgresql"):
        url, name = _create_postgres_database(server_url)
    else:
        url, name = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}", ""
    upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        seed_demo(session)
    engine.dispose()
    yield url
    if name:
        _drop_postgres_database(server_url, name)


@pytest.fixture
def empty_database_factory(tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Yield a function that returns the URL of a new, empty database of the kind under test."""
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    created: list[str] = []

    def create() -> str:
        if server_url.startswith("postgresql"):
            url, name = _create_postgres_database(server_url)
            created.append(name)
            return url
        return f"sqlite:///{tmp_path / f'empty-{uuid.uuid4().hex[:8]}.sqlite3'}"

    yield create
    for name in created:
        _drop_postgres_database(server_url, name)


@pytest.fixture
def empty_database(empty_database_factory: Callable[[], str]) -> str:
    """Return the URL of a new, empty database of the kind under test."""
    return empty_database_factory()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """Return an engine on this run's database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """Yield a session whose every change is rolled back when the test ends."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def client(session: Session, database_url: str) -> Iterator[TestClient]:
    """Yield a client of the application whose requests use the test's session."""
    app = create_app(Settings(database_url=database_url, secret_key="test-secret-key"))
    use_test_session(app, session)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def unlimited_client(session: Session, database_url: str) -> Iterator[TestClient]:
    """Yield a client like `client` whose submissions are not rate-limited (for many posts)."""
    settings = Settings(
        database_url=database_url, secret_key="test-secret-key", submissions_per_hour=10**9
    )
    app = create_app(settings)
    use_test_session(app, session)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the real server (uvicorn, as `python -m app serve`) on this run's database; yield its URL."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    with running_server(database_url, log) as base_url:
        yield base_url
