"""Test fixtures: one database per run built by the migrations and seeded with the demo data;
each test runs inside a transaction that is rolled back. SQLite by default, PostgreSQL when
TEST_DATABASE_URL names a server (a fresh database is created beside the one it names)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.db import make_engine
from app.main import create_app
from app.settings import Settings
from harness.scratch_db import ScratchDatabase, create_scratch_database, scratch_database
from servers import running_server
from support import use_test_session

# Servers that tests build do not build downloads ahead unless a test asks for it
# (tests/web/test_prebuild.py): a thread reading the database beside each test would make the tests
# depend on its timing. The live servers the browser tests start inherit this too.
os.environ["EXPORT_PREBUILD_SECONDS"] = "0"


SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Return the URL of this run's database, migrated to head and seeded with the demo data."""
    with scratch_database(tmp_path_factory.mktemp("db"), SERVER_URL, "dashboard_test") as database:
        yield database.url


@pytest.fixture
def empty_database_factory(tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Yield a function that returns the URL of a new, empty database of the kind under test."""
    created: list[ScratchDatabase] = []

    def create() -> str:
        created.append(create_scratch_database(tmp_path, SERVER_URL, "dashboard_test"))
        return created[-1].url

    yield create
    for database in created:
        database.drop()


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
