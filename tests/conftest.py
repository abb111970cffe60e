"""Test fixtures: one database per run built by the migrations and seeded with the demo data;
each test runs inside a transaction that is rolled back. SQLite by default, PostgreSQL when
TEST_DATABASE_URL names a server (a fresh database is created beside the one it names)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from app import queries
from app.db import make_engine, transaction
from app.main import create_app
from app.migrate import upgrade
from app.seeding import seed_demo
from app.settings import PROJECT_ROOT, Settings
from app.web.deps import get_session
from app.web.pagecache import PageReads
from app.web.versioncheck import SharedVersionReads

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


def use_test_session(app: FastAPI, session: Session) -> None:
    """Make the application's requests read and write through the test's session."""

    def test_session() -> Iterator[Session]:
        yield session
        session.flush()

    app.dependency_overrides[get_session] = test_session
    app.state.page_reads = PageReads(
        version=SharedVersionReads(lambda: queries.current_dataset_version(session)).current,
        session=lambda: nullcontext(session),
    )


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the real server (uvicorn, as `python -m app serve`) on this run's database; yield its URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    environment = {**os.environ, "DATABASE_URL": database_url}
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx2.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                break
        except httpx2.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the server did not start:\n" + Path(log).read_text())
        time.sleep(0.2)
    yield base_url
    process.terminate()
    process.wait(timeout=10)
