"""Smaller protections: no redirect built from the Host header, private pages never cached, the
SQLite file readable by its owner only."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.db import make_engine
from support import csrf_from, submission_form


@pytest.mark.parametrize("path", ["/review/", "/submit/", "/countries/NPL/", "/api/v1/areas/"])
def test_a_trailing_slash_never_redirects_to_the_host_a_client_names(
    client: TestClient, path: str
) -> None:
    response = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
    assert "evil.example" not in response.headers.get("location", "")
    assert response.status_code == 404


def test_moderation_login_and_submission_status_pages_are_never_cached(
    client: TestClient,
) -> None:
    token = csrf_from(client.get("/submit").text)
    posted = client.post(
        "/submit", data={"csrf_token": token, **submission_form()}, follow_redirects=False
    )
    status_page = posted.headers["location"]
    for path in (status_page, "/review", "/review/figures/1", "/login"):
        response = client.get(path, follow_redirects=False)
        assert response.headers.get("cache-control") == "no-store", path
    assert client.get("/countries/NPL").headers.get("cache-control") != "no-store"


def test_a_new_sqlite_file_and_its_journal_are_readable_by_their_owner_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "private" / "dashboard.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
        wal = Path(f"{path}-wal")
        assert wal.exists()
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_in_memory_sqlite_database_creates_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for url in ("sqlite://", "sqlite:///:memory:"):
        engine = make_engine(url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
        engine.dispose()
    assert list(tmp_path.iterdir()) == []
