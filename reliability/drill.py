"""The backup drill: moderate, back up with the CLI, restore into an empty database, compare."""

from __future__ import annotations

import httpx2
from sqlalchemy import select

from app.db import make_engine
from app.models import Submission
from app.operations.backup import summarise
from reliability.databases import Database, create_database
from reliability.results import Result, RunSettings, run_cli
from reliability.server import Server, free_port
from reliability.traffic import CSRF

MODERATOR = "reliability"
MODERATOR_PASSWORD = "reliability suite passphrase"  # noqa: S105 (a throwaway database's)


def backup_drill(settings: RunSettings, database: Database) -> Result:
    """Moderate a few submissions, back up with the CLI, restore into an empty database, compare."""
    result = Result("backup drill", database.kind)
    decisions = _moderate(settings, database)
    if decisions != [303] * 6:
        result.problems.append(f"the login and decisions were answered {decisions}, not 303")
    path = settings.directory / f"backup-{database.kind}.jsonl.gz"
    backup = run_cli(database.url, "backup", "--output", str(path))
    if backup.returncode != 0:
        result.problems.append(f"backup failed: {backup.stderr[-500:]}")
        return result
    target = create_database(database.kind, settings.directory, settings.postgres_url, "restored")
    try:
        restored = run_cli(target.url, "restore", str(path))
        if restored.returncode != 0:
            result.problems.append(f"restore failed: {restored.stderr[-500:]}")
            return result
        source_engine, target_engine = make_engine(database.url), make_engine(target.url)
        before, after = summarise(source_engine), summarise(target_engine)
        source_engine.dispose()
        target_engine.dispose()
    finally:
        target.drop()
    tables = {summary.name: summary for summary in before}
    result.figures.update(
        tables=len(before),
        rows=sum(summary.rows for summary in before),
        **{
            name: f"{tables[name].rows} rows, sha256 {tables[name].checksum[:12]}"
            for name in ("figures", "figure_revisions", "submissions", "audit_events")
        },
        identical=before == after,
    )
    if before != after:
        different = [a.name for a, b in zip(before, after, strict=True) if a != b]
        result.problems.append(f"restored tables differ: {different}")
    return result


def _moderate(settings: RunSettings, database: Database) -> list[int]:
    """Return the statuses of a login and five decisions (three approvals, two rejections)."""
    added = run_cli(database.url, "add-moderator", MODERATOR, stdin=MODERATOR_PASSWORD + "\n")
    if added.returncode not in (0, 1):
        raise RuntimeError(f"add-moderator failed: {added.stderr}")
    engine = make_engine(database.url)
    with engine.connect() as connection:
        pending = list(
            connection.scalars(
                select(Submission.id).where(Submission.status == "pending").order_by(Submission.id)
            )
        )[:5]
    engine.dispose()
    server = Server(database.url, free_port(), 1, settings.directory / "moderation.log")
    server.start()
    try:
        with httpx2.Client(base_url=server.base_url, timeout=60) as http:
            token = _csrf(http.get("/login").text)
            login = {"csrf_token": token, "username": MODERATOR, "password": MODERATOR_PASSWORD}
            decisions = [http.post("/login", data=login).status_code]
            token = _csrf(http.get(f"/review/submissions/{pending[0]}").text)
            for number, submission_id in enumerate(pending):
                decision = "approve" if number < 3 else "reject"
                response = http.post(
                    f"/review/submissions/{submission_id}/{decision}",
                    data={"csrf_token": token, "reason": "reliability drill"},
                )
                decisions.append(response.status_code)
    finally:
        server.stop()
    return decisions


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    if match is None:
        raise RuntimeError("no CSRF token in the page")
    return match.group(1)
