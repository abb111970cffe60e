"""What every scenario shares: how hard to push, the result it returns, the check that nothing
was lost, and the command line of the application."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.settings import PROJECT_ROOT
from reliability.databases import Database, verify
from reliability.traffic import Tally


@dataclass
class RunSettings:
    """How hard to push: the numbers of a full run or of a smoke run."""

    submissions: int
    clients: int
    crashes: int
    workers: int
    outage_seconds: float
    schemathesis_examples: int
    seed: int
    directory: Path
    postgres_url: str


@dataclass
class Result:
    """One scenario on one database: its measured figures and anything that went wrong."""

    scenario: str
    database: str
    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Return True when the scenario found no problem."""
        return not self.problems


def run_id_for(database: Database, scenario: str) -> str:
    """Return a new tag for one scenario's nonces, naming the database kind and the scenario."""
    return f"{database.kind[:2]}{uuid.uuid4().hex[:6]}-{scenario}"


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which this fraction of the values lie (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def record_verification(result: Result, run_id: str, tally: Tally, database: Database) -> None:
    """Verify the acknowledged submissions in the database and record figures and problems."""
    verification = verify(database.url, tally.acknowledged(), run_id)
    result.figures.update(
        acknowledged=verification.acknowledged,
        stored_exactly_once=verification.stored_once,
        missing=len(verification.missing),
        duplicated=len(verification.duplicated),
        unacknowledged_but_stored=verification.unacknowledged_stored,
        partial_rows=verification.figures_without_revision
        + verification.submissions_without_figure
        + verification.run_figures_without_submission,
        integrity="ok" if not verification.integrity else "; ".join(verification.integrity[:3]),
        integrity_checks=verification.integrity_checks,
    )
    if verification.missing:
        result.problems.append(f"{len(verification.missing)} acknowledged submissions missing")
    if verification.duplicated:
        result.problems.append(f"{len(verification.duplicated)} submissions stored twice")
    if verification.token_mismatches:
        result.problems.append(
            f"{len(verification.token_mismatches)} status-page tokens lead to another submission"
        )
    if result.figures["partial_rows"]:
        result.problems.append(f"{result.figures['partial_rows']} partial rows")
    result.problems.extend(verification.integrity)


def run_cli(
    database_url: str, *arguments: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `python -m app ...` on the database; return what it did."""
    return subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "app", *arguments],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
