"""Run the reliability suite against the real server: python -m reliability.run [--database ...].

Load, kill -9 crashes, hostile input, attacks through a TLS proxy, schemathesis and the backup
drill on each database asked for; a PostgreSQL outage on a private PostgreSQL server, and two
server instances reading a streaming replica of another. Exits 1 when anything was lost or broken.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import make_url

from app.settings import PROJECT_ROOT
from reliability import drill, faults, hostile, replica, security
from reliability.databases import fresh_database
from reliability.report import machine, markdown
from reliability.results import Result, RunSettings

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCENARIOS = (
    "load",
    "crashes",
    "outage",
    "replica",
    "hostile",
    "security",
    "schemathesis",
    "backup",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the command line's parser."""
    parser = argparse.ArgumentParser(prog="python -m reliability.run", description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--submissions", type=int, default=500, help="posted in the load test")
    parser.add_argument("--clients", type=int, default=50, help="concurrent visitors")
    parser.add_argument("--crashes", type=int, default=10, help="kill -9 of the whole server")
    parser.add_argument("--workers", type=int, default=3, help="server worker processes")
    parser.add_argument("--outage-seconds", type=float, default=10, help="PostgreSQL stays down")
    parser.add_argument("--schemathesis-examples", type=int, default=50, help="per operation")
    parser.add_argument("--seed", type=int, default=20261127, help="kill moments, schemathesis")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES_URL,
        help="a PostgreSQL server where fresh databases are created and dropped",
    )
    parser.add_argument(
        "--only", default=",".join(SCENARIOS), help="comma-separated scenarios to run"
    )
    parser.add_argument(
        "--output", default=str(PROJECT_ROOT / "var" / "reliability"), help="report directory"
    )
    return parser


def _attempt(results: list[Result], scenario: str, kind: str, run: Callable[[], Result]) -> None:
    """Run one scenario; a scenario that breaks down is a failed result, not the end of the run."""
    began = time.monotonic()
    print(f"== {kind}: {scenario}", flush=True)
    try:
        result = run()
    except Exception:
        result = Result(
            scenario, kind, problems=["the scenario broke down: " + traceback.format_exc()]
        )
    result.figures["scenario_seconds"] = round(time.monotonic() - began, 1)
    print(
        f"   {'passed' if result.passed else 'FAILED'} in {result.figures['scenario_seconds']} s",
        flush=True,
    )
    for problem in result.problems:
        print(f"   problem: {problem}", flush=True)
    results.append(result)


def _postgres_is_up(url: str) -> bool:
    """Return True when the PostgreSQL server of the URL accepts connections."""
    address = make_url(url)
    host, port = str(address.host or "127.0.0.1"), str(address.port or 5432)
    command = ["pg_isready", "-q", "-h", host, "-p", port]
    done = subprocess.run(command, check=False)  # noqa: S603 (the PostgreSQL client tool)
    return done.returncode == 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite; return 0 when every scenario passed."""
    arguments = build_parser().parse_args(argv)
    kinds = ["sqlite", "postgresql"] if arguments.database == "both" else [arguments.database]
    chosen = set(arguments.only.split(","))
    output = Path(arguments.output)
    output.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="reliability-"))
    settings = RunSettings(
        submissions=arguments.submissions,
        clients=arguments.clients,
        crashes=arguments.crashes,
        workers=arguments.workers,
        outage_seconds=arguments.outage_seconds,
        schemathesis_examples=arguments.schemathesis_examples,
        seed=arguments.seed,
        directory=directory,
        postgres_url=arguments.postgres_url,
    )
    results: list[Result] = []
    began = time.monotonic()
    for kind in kinds:
        with fresh_database(kind, directory, settings.postgres_url, "main") as database:
            steps: list[tuple[str, Callable[[], Result]]] = [
                ("load", lambda: faults.load(settings, database)),
                ("crashes", lambda: faults.crashes(settings, database)),
                ("hostile", lambda: hostile.hostile_input(settings, database)),
                ("schemathesis", lambda: hostile.run_schemathesis(settings, database)),
                ("backup", lambda: drill.backup_drill(settings, database)),
            ]
            for name, step in steps:
                if name in chosen:
                    _attempt(results, name, kind, step)
        if "security" in chosen:
            # A database of its own: the limits it attacks count per client and per hour, and the
            # other scenarios' submissions from this machine would already have used them up.
            with fresh_database(kind, directory, settings.postgres_url, "security") as own:
                _attempt(results, "security", kind, lambda: security.security(settings, own))
        if kind == "postgresql" and "outage" in chosen:
            _attempt(results, "outage", kind, lambda: faults.outage(settings))
        if kind == "postgresql" and "replica" in chosen:
            _attempt(results, "replica", kind, lambda: replica.replica(settings))
    if "postgresql" in kinds and not _postgres_is_up(settings.postgres_url):
        results.append(Result("shared server", "postgresql", problems=["PostgreSQL is down"]))
    command = "python -m reliability.run " + " ".join(argv if argv is not None else sys.argv[1:])
    report = markdown(results, machine(settings.postgres_url), command.strip())
    report += f"\nTotal time: {time.monotonic() - began:.0f} s\n"
    (output / "report.md").write_text(report)
    (output / "report.json").write_text(
        json.dumps([asdict(result) for result in results], indent=2, default=str)
    )
    print()
    print(report)
    print(f"reports written to {output}")
    if all(result.passed for result in results):
        shutil.rmtree(directory, ignore_errors=True)
        print(f"{len(results)} passed, 0 failed")
        return 0
    failed = sum(not result.passed for result in results)
    print(f"logs kept in {directory}")
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1


if __name__ == "__main__":
    sys.exit(main())
