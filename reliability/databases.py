"""Fresh databases for a run (a SQLite file, a PostgreSQL database), a private PostgreSQL server
that the outage scenario may stop, and the checks that nothing was lost or broken."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, select, text

from app.db import make_engine
from app.models import Figure, FigureRevision, Submission
from app.secret_key import token_hash
from harness.scratch_db import (
    ScratchDatabase,
    create_scratch_database,
    migrate_and_seed,
    scratch_database,
)

NONCE = re.compile(r"reliability nonce ([A-Za-z0-9-]+)")
POSTGRES_BIN = Path("/usr/lib/postgresql")


Database = ScratchDatabase


def create_database(kind: str, directory: Path, server_url: str, label: str) -> Database:
    """Return a new, empty database of this kind: a file in the directory or one on the server."""
    return create_scratch_database(
        directory, server_url if kind == "postgresql" else "", f"reliability_{label}"
    )


def prepare(database: Database) -> None:
    """Migrate the database to the latest schema and load the demo data."""
    migrate_and_seed(database.url)


@contextmanager
def fresh_database(kind: str, directory: Path, server_url: str, label: str) -> Iterator[Database]:
    """Yield a migrated, seeded database; drop it when done."""
    with scratch_database(
        directory, server_url if kind == "postgresql" else "", f"reliability_{label}"
    ) as database:
        yield database


@dataclass
class Verification:
    """What the database holds of a scenario's submissions, and whether it is intact."""

    acknowledged: int = 0
    stored_once: int = 0
    missing: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    token_mismatches: list[str] = field(default_factory=list)
    unacknowledged_stored: int = 0
    figures_without_revision: int = 0
    submissions_without_figure: int = 0
    run_figures_without_submission: int = 0
    integrity: list[str] = field(default_factory=list)
    integrity_checks: str = ""

    @property
    def nothing_lost(self) -> bool:
        """Return True when every acknowledged submission is stored once and nothing is broken."""
        return not (
            self.missing
            or self.duplicated
            or self.token_mismatches
            or self.figures_without_revision
            or self.submissions_without_figure
            or self.run_figures_without_submission
            or self.integrity
        )


def verify(url: str, acknowledged: dict[str, str], run_id: str) -> Verification:
    """Check every acknowledged nonce (with its status-page token) against the database."""
    engine = make_engine(url)
    try:
        result = Verification(acknowledged=len(acknowledged))
        with engine.connect() as connection:
            figures = connection.execute(
                select(Figure.id, Figure.quote).where(Figure.quote.contains(run_id))
            ).all()
            submissions = connection.execute(
                select(Submission.token_hash, Submission.fields, Submission.figure_id)
            ).all()
            revised = set(connection.scalars(select(FigureRevision.figure_id).distinct()))
            all_figures = set(connection.scalars(select(Figure.id)))
        figure_nonces = Counter(_nonce(quote) for _figure_id, quote in figures)
        submission_nonces = Counter(
            _nonce(str(fields.get("quote", ""))) for _, fields, _ in submissions
        )
        by_token = {token: _nonce(str(fields.get("quote", ""))) for token, fields, _ in submissions}
        for nonce, token in acknowledged.items():
            stored = (figure_nonces[nonce], submission_nonces[nonce])
            if stored == (1, 1):
                result.stored_once += 1
            elif 0 in stored:
                result.missing.append(nonce)
            if by_token.get(token_hash(token)) != nonce:
                result.token_mismatches.append(nonce)
        result.duplicated = sorted(
            nonce
            for nonce in set(figure_nonces) | set(submission_nonces)
            if nonce and (figure_nonces[nonce] > 1 or submission_nonces[nonce] > 1)
        )
        result.unacknowledged_stored = len(
            {nonce for nonce in figure_nonces if nonce} - set(acknowledged)
        )
        result.figures_without_revision = len(all_figures - revised)
        submitted_figures = {figure_id for _, _, figure_id in submissions}
        result.submissions_without_figure = len(submitted_figures - all_figures)
        result.run_figures_without_submission = len(
            {figure_id for figure_id, _ in figures} - submitted_figures
        )
        result.integrity, result.integrity_checks = integrity_problems(engine)
        return result
    finally:
        engine.dispose()


def _nonce(quote: str) -> str:
    match = NONCE.search(quote)
    return match.group(1) if match else ""


def integrity_problems(engine: Engine) -> tuple[list[str], str]:
    """Return the database's own integrity complaints (none when intact) and what was checked."""
    problems: list[str] = []
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            verdict = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
            if verdict != ["ok"]:
                problems.extend(f"integrity_check: {line}" for line in verdict)
            foreign = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            problems.extend(f"foreign_key_check: {tuple(row)}" for row in foreign)
            return problems, "PRAGMA integrity_check, PRAGMA foreign_key_check"
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = connection.exec_driver_sql(
            "SELECT c.oid::regclass::text FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " JOIN pg_am a ON a.oid = c.relam"
            " WHERE n.nspname = 'public' AND a.amname = 'btree'"
        ).scalars()
        checked = 0
        for index in list(indexes):
            try:
                connection.execute(
                    text("SELECT bt_index_check(CAST(:i AS regclass), true)"), {"i": index}
                )
                checked += 1
            except Exception as error:  # any complaint of amcheck is a finding to report
                problems.append(f"bt_index_check({index}): {error}".splitlines()[0])
                connection.rollback()
        orphans = connection.scalar(
            select(func.count())
            .select_from(Submission)
            .where(~Submission.figure_id.in_(select(Figure.id)))
        )
        if orphans:
            problems.append(f"{orphans} submissions point to no figure")
        connection.commit()
    return problems, f"amcheck bt_index_check(heapallindexed) on {checked} indexes"


def postgres_binaries() -> Path:
    """Return the directory of the newest installed PostgreSQL server binaries."""
    versions = sorted(
        (path for path in POSTGRES_BIN.glob("*/bin") if (path / "pg_ctl").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if not versions:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
    return versions[-1]


class PrivateCluster:
    """A throwaway PostgreSQL server in a temporary directory, for a scenario that stops it."""

    # The shared server stays up for everyone else; this one belongs to the run and is removed
    # at the end. It runs as the `postgres` user when the run is root (PostgreSQL refuses root).

    def __init__(self, directory: Path, port: int, settings: tuple[str, ...] = ()) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.port = port
        self.settings = settings  # name=value pairs given to the server at start
        self.binaries = postgres_binaries()
        self.log = directory / "postgresql.log"

    @property
    def url(self) -> str:
        """Return the URL of the cluster's `postgres` database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(  # noqa: S603 (fixed binaries, arguments of our own)
            [*prefix, *command], capture_output=True, text=True, check=False, timeout=120
        )

    def create(self) -> None:
        """Initialise the cluster's data directory."""
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        done = self._run(
            str(self.binaries / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        options += "".join(f" -c {setting}" for setting in self.settings)
        done = self._run(
            str(self.binaries / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed: {done.stderr or done.stdout}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (fast: roll back open transactions and close every connection)."""
        self._run(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def ready(self) -> bool:
        """Return True when the server accepts connections."""
        done = self._run(
            str(self.binaries / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"
        )
        return done.returncode == 0

    def remove(self) -> None:
        """Stop the server if it runs and delete its files."""
        if self.data.exists():
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def wait_ready(self, seconds: float) -> bool:
        """Return True once the server accepts connections, False after the given seconds."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.ready():
                return True
            time.sleep(0.2)
        return False
