"""What the dashboard does when its database is unreachable, and when two writers race."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app.db import make_engine, writing
from app.main import create_app
from app.migrate import upgrade
from app.models import Source
from app.queries.sources import source_for_fields
from app.settings import Settings

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/unreachable"
PAGES = [
    "/",
    "/countries/NPL",
    "/metrics/enlisted",
    "/figures/1",
    "/sources",
    "/submit",
    "/api/v1/figures",
    "/api/v1/areas/NPL",
    "/export/figures.csv",
]


@pytest.fixture(scope="module")
def no_database() -> TestClient:
    """Return a client of the application whose database server cannot be reached."""
    app = create_app(Settings(database_url=UNREACHABLE, secret_key="test-secret-key"))
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_503_in_plain_words_while_the_database_is_unreachable(
    no_database: TestClient, path: str
) -> None:
    response = no_database.get(path)
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/plain")
    assert "database is not available" in response.text
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert response.headers["retry-after"]


def test_a_submission_is_answered_503_and_healthz_says_so(no_database: TestClient) -> None:
    form = {"csrf_token": "x", "quote": "kept?"}
    response = no_database.post("/submit", data=form, follow_redirects=False)
    assert response.status_code == 503
    assert "Nothing was changed" in response.text
    health = no_database.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "error", "database": "unreachable"}


def _wait_until_blocked(engine: Engine) -> None:
    """Return once another PostgreSQL session waits for a lock (SQLite's writers queue at BEGIN)."""
    if engine.dialect.name != "postgresql":
        return
    for _ in range(500):
        with engine.connect() as connection:
            waiting = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("the second writer never waited for the first")


def test_two_submissions_citing_the_same_new_source_at_once_share_one_row(
    empty_database: str,
) -> None:
    upgrade(empty_database)
    engine = make_engine(empty_database)
    url = "https://example.org/cited-twice-at-once"
    found: list[int] = []
    errors: list[BaseException] = []

    def second_writer() -> None:
        try:
            with Session(writing(engine)) as session, session.begin():
                found.append(source_for_fields(session, url=url, publisher="B", published=None).id)
        except BaseException as error:  # the thread's failure is the test's
            errors.append(error)

    with Session(writing(engine)) as first, first.begin():
        first_id = source_for_fields(first, url=url, publisher="A", published=None).id
        thread = threading.Thread(target=second_writer)
        thread.start()
        _wait_until_blocked(engine)
    thread.join(timeout=30)
    assert errors == []
    assert found == [first_id]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).where(Source.url == url)) == 1
        publisher = session.scalars(select(Source.publisher).where(Source.url == url)).one()
        assert publisher == "A"
    engine.dispose()
