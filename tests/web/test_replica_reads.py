"""Reads past one database: with DATABASE_REPLICA_URL, public pages, the API and downloads read
the replica, while writes and the pages of moderators and submitters use the primary.

The "replica" here is a second database of the kind under test, loaded like the primary and then
left behind by it (a lagging replica): what a request shows says which database it read.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app import queries
from app.db import make_engine, transaction
from app.domain.figures import FigureStatus
from app.main import create_app
from app.models import Submission
from app.settings import Settings
from app.web.deps import app_state_of
from support import MODERATOR, MODERATOR_PASSWORD, add_figure, csrf_from, seed_with_moderator
from support import submission_form as filled_form

LAGGING_QUOTE = "a figure the replica has not received yet"
PUBLISHED_STATUS = 'class="status-published"'  # the moderator's figure page
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nothing_listens_here"


def published_on(database_url: str, quote: str) -> int:
    """Publish a figure on one database (as a moderator's approval would); return its id."""
    engine = make_engine(database_url)
    try:
        with transaction(engine) as session:
            return add_figure(session, FigureStatus.PUBLISHED, quote=quote).id
    finally:
        engine.dispose()


def version_of(database_url: str) -> str:
    """Return the dataset version one database holds now."""
    engine = make_engine(database_url)
    try:
        return queries.latest_dataset_version(engine)
    finally:
        engine.dispose()


def submissions_in(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return len(connection.scalars(select(Submission.id)).all())
    finally:
        engine.dispose()


def shown_version(html: str) -> str:
    match = re.search(r'<code class="dataset-version">([^<]+)</code>', html)
    assert match, "the page names no dataset version"
    return match.group(1)


@pytest.fixture
def databases(empty_database_factory: Callable[[], str]) -> tuple[str, str]:
    """Return a primary and its replica, both holding the demo data and the test moderator."""
    primary, replica = empty_database_factory(), empty_database_factory()
    for url in (primary, replica):
        seed_with_moderator(url)
    assert version_of(primary) == version_of(replica)
    return primary, replica


@contextmanager
def client_of(primary: str, replica: str, exports: Path) -> Iterator[TestClient]:
    """Yield a client of an application on the primary that reads the replica."""
    settings = Settings(
        database_url=primary,
        database_replica_url=replica,
        secret_key="test-secret-key",
        export_cache_dir=str(exports),
        export_prebuild_seconds=0,
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def client(databases: tuple[str, str], tmp_path: Path) -> Iterator[TestClient]:
    primary, replica = databases
    with client_of(primary, replica, tmp_path / "exports") as client:
        yield client


def test_public_reads_use_the_replica_and_keep_pages_under_its_version(
    client: TestClient, databases: tuple[str, str]
) -> None:
    primary, replica = databases
    figure_id = published_on(primary, LAGGING_QUOTE)
    behind = version_of(replica)
    assert version_of(primary) != behind

    page = client.get("/countries/NPL")
    assert f'data-figure-id="{figure_id}"' not in page.text
    assert shown_version(page.text) == behind
    assert client.get(f"/figures/{figure_id}").status_code == 404
    assert client.get(f"/api/v1/figures/{figure_id}").status_code == 404
    assert client.get("/api/v1").json()["dataset_version"] == behind
    assert LAGGING_QUOTE not in client.get("/export/figures.csv").text
    state = app_state_of(client.app)  # type: ignore[arg-type]
    # In a thread of its own: the browser tests' Playwright may hold an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        assert thread.submit(asyncio.run, state.page_reads.version()).result() == behind

    # The replica catches up with the same change, so it reaches the primary's version: a page
    # rendered from the lagging replica must not have been kept under that version.
    assert published_on(replica, LAGGING_QUOTE) == figure_id
    assert version_of(replica) == version_of(primary)
    page = client.get("/countries/NPL")
    assert f'data-figure-id="{figure_id}"' in page.text
    assert shown_version(page.text) == version_of(primary)
    assert client.get(f"/figures/{figure_id}").status_code == 200
    assert client.get(f"/api/v1/figures/{figure_id}").status_code == 200
    assert LAGGING_QUOTE in client.get("/export/figures.csv").text


def test_writes_and_moderators_pages_use_the_primary(
    client: TestClient, databases: tuple[str, str]
) -> None:
    primary, replica = databases
    before = submissions_in(primary), submissions_in(replica)
    form = filled_form(quote="sent to the primary, shown to its submitter at once")
    token = csrf_from(client.get("/submit").text)
    sent = client.post("/submit", data={"csrf_token": token, **form}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    assert (submissions_in(primary), submissions_in(replica)) == (before[0] + 1, before[1])
    assert client.get(sent.headers["location"]).status_code == 200  # the status page

    token = csrf_from(client.get("/login").text)
    fields = {"username": MODERATOR, "password": MODERATOR_PASSWORD, "next": "/review"}
    logged_in = client.post("/login", data={"csrf_token": token, **fields}, follow_redirects=False)
    assert logged_in.status_code == 303
    engine = make_engine(primary)
    try:
        with engine.connect() as connection:
            submission_id, figure_id = connection.execute(
                select(Submission.id, Submission.figure_id).where(Submission.status == "pending")
            ).one()
    finally:
        engine.dispose()
    queue = client.get("/review").text
    assert f"/review/submissions/{submission_id}" in queue
    approved = client.post(
        f"/review/submissions/{submission_id}/approve",
        data={"csrf_token": csrf_from(queue), "reason": "checked"},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    assert PUBLISHED_STATUS in client.get(f"/review/figures/{figure_id}").text
    assert client.get(f"/figures/{figure_id}").status_code == 404  # the replica has not got it


def test_healthz_reports_the_primary_and_the_replica(
    client: TestClient, databases: tuple[str, str], tmp_path: Path
) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "replica": "ok"}
    primary, _replica = databases
    with client_of(primary, UNREACHABLE, tmp_path / "exports-2") as unreachable:
        health = unreachable.get("/healthz")
        assert health.status_code == 503
        assert health.json() == {"status": "error", "database": "ok", "replica": "unreachable"}
