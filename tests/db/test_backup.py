"""The restore drill: back up, restore into an empty database, and every row is back, verified."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from app import queries
from app.db import make_engine, transaction
from app.domain.figures import FigureStatus
from app.figure_input import FigureIn
from app.main import create_app
from app.migrate import upgrade
from app.models import AuditEvent, Figure, FigureRevision, Submission
from app.operations.backup import BackupError, restore_backup, summarise, write_backup
from app.operations.seeding import seed_demo
from app.passwords import hash_password
from app.settings import Settings
from support import MODERATOR, MODERATOR_PASSWORD, csrf_from, submission_form


def _populate(url: str) -> None:
    """Seed a database, then submit twice, approve one and reject the other through the web app."""
    upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        seed_demo(session)
        queries.add_moderator(
            session, username=MODERATOR, password_hash=hash_password(MODERATOR_PASSWORD)
        )
    engine.dispose()
    with TestClient(create_app(Settings(database_url=url, secret_key="k"))) as client:
        for low in ("11", "12"):
            token = csrf_from(client.get("/submit").text)
            client.post("/submit", data={"csrf_token": token, **submission_form(low=low, high=low)})
        token = csrf_from(client.get("/login").text)
        login = {"csrf_token": token, "username": MODERATOR, "password": MODERATOR_PASSWORD}
        client.post("/login", data=login)
        token = csrf_from(client.get("/review").text)
        client.post("/review/submissions/1/approve", data={"csrf_token": token})
        client.post(
            "/review/submissions/2/reject", data={"csrf_token": token, "reason": "duplicate"}
        )


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            model.__tablename__: int(
                connection.scalar(select(func.count()).select_from(model)) or 0
            )
            for model in (Figure, FigureRevision, Submission, AuditEvent)
        }


def test_backup_wipe_restore_gives_every_row_back(
    empty_database_factory: Callable[[], str], tmp_path: Path
) -> None:
    source_url = empty_database_factory()
    _populate(source_url)
    source = make_engine(source_url)
    before = summarise(source)
    counts = _counts(source)
    # Audit events: the seed adding its 2 exchange rates, a login and the two decisions.
    assert counts == {
        "figures": 257,
        "figure_revisions": 259,
        "submissions": 2,
        "audit_events": 5,
    }
    backup = tmp_path / "backup.jsonl.gz"
    assert write_backup(source, backup) == before
    source.dispose()

    target_url = empty_database_factory()
    upgrade(target_url)
    target = make_engine(target_url)
    assert restore_backup(target, backup) == before
    assert summarise(target) == before
    assert _counts(target) == counts
    with transaction(target) as session:
        figure_in = FigureIn.model_validate(
            {**submission_form(low="5", high="5"), "source_url": "https://example.org/after"}
        )
        figure = queries.add_figure(
            session, figure_in, status=FigureStatus.PENDING, changed_by="t", reason="t"
        )
        assert figure.id == 258  # new rows continue after the restored ones
    target.dispose()


def test_restore_refuses_a_database_that_has_rows(empty_database: str, tmp_path: Path) -> None:
    _populate(empty_database)
    engine = make_engine(empty_database)
    backup = tmp_path / "backup.jsonl.gz"
    write_backup(engine, backup)
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(engine, backup)
    assert _counts(engine)["figures"] == 257
    engine.dispose()


def test_restore_refuses_other_files(empty_database: str, tmp_path: Path) -> None:
    upgrade(empty_database)
    engine = make_engine(empty_database)
    other = tmp_path / "other.jsonl.gz"
    with gzip.open(other, "wt") as handle:
        handle.write('{"format": "something else"}\n')
    with pytest.raises(BackupError, match="not a backup"):
        restore_backup(engine, other)
    engine.dispose()
