"""The run's report: the machine, one table of figures per database side by side, the hostile
input by kind, and every problem found."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from typing import Any

from sqlalchemy import text

from app.db import make_engine
from reliability.results import Result

ROWS: tuple[tuple[str, str, str], ...] = (
    ("load", "submissions", "Load: submissions posted"),
    ("load", "clients", "Load: concurrent clients"),
    ("load", "workers", "Load: server workers"),
    ("load", "acknowledged", "Load: acknowledged (303)"),
    ("load", "stored_exactly_once", "Load: stored exactly once"),
    ("load", "missing", "Load: acknowledged but missing"),
    ("load", "duplicated", "Load: stored twice"),
    ("load", "server_errors", "Load: 5xx answers"),
    ("load", "refused_429", "Load: 429 answers"),
    ("load", "submissions_per_second", "Load: submissions per second"),
    ("load", "post_p50_ms", "Load: POST /submit median (ms)"),
    ("load", "post_p95_ms", "Load: POST /submit p95 (ms)"),
    ("load", "post_max_ms", "Load: POST /submit slowest (ms)"),
    ("crashes", "crashes", "Crashes: kill -9 of master and workers"),
    ("crashes", "processes_killed", "Crashes: processes killed"),
    ("crashes", "submissions_in_flight_at_kills", "Crashes: submissions in flight at the kills"),
    ("crashes", "restart_seconds_max", "Crashes: slowest restart to /healthz 200 (s)"),
    ("crashes", "submissions_sent", "Crashes: submissions posted meanwhile"),
    ("crashes", "no_answer", "Crashes: posts cut off (no answer)"),
    ("crashes", "acknowledged", "Crashes: acknowledged (303)"),
    ("crashes", "stored_exactly_once", "Crashes: stored exactly once"),
    ("crashes", "missing", "Crashes: acknowledged but missing"),
    ("crashes", "duplicated", "Crashes: stored twice"),
    ("crashes", "partial_rows", "Crashes: partial rows"),
    ("crashes", "integrity", "Crashes: database integrity check"),
    ("outage", "outage_seconds", "Outage: PostgreSQL down (s)"),
    ("outage", "requests_during", "Outage: requests meanwhile"),
    ("outage", "answered_503", "Outage: answered 503"),
    ("outage", "plain_503", "Outage: 503 plain text, no stack trace"),
    ("outage", "statuses_during", "Outage: statuses meanwhile"),
    ("outage", "healthz_during", "Outage: /healthz meanwhile"),
    ("outage", "slowest_answer_during_s", "Outage: slowest answer meanwhile (s)"),
    ("outage", "recovery_seconds", "Outage: back to /healthz 200 after restart (s)"),
    ("outage", "failed_after_recovery", "Outage: failures after recovery"),
    ("outage", "server_restarted", "Outage: app restarted"),
    ("outage", "acknowledged", "Outage: acknowledged (303)"),
    ("outage", "stored_exactly_once", "Outage: stored exactly once"),
    ("outage", "refused_503_but_stored", "Outage: answered 503 yet stored"),
    ("replica", "databases_seconds", "Replica: primary, standby, migrated and seeded (s)"),
    ("replica", "setup_seconds", "Replica: ... and two hosts up (s)"),
    ("replica", "moderator_sees_it_at_once", "Replica: the moderator sees the approval at once"),
    ("replica", "host_a_reached_s", "Replica: approval to host A's public page (s)"),
    ("replica", "host_b_reached_s", "Replica: approval to host B's public page (s)"),
    ("replica", "replica_transactions", "Replica: transactions the standby served meanwhile"),
    ("replica", "host_a_polls_after", "Replica: host A polls afterwards (none older)"),
    ("replica", "host_b_polls_after", "Replica: host B polls afterwards (none older)"),
    ("hostile", "strings", "Hostile: strings in the list"),
    ("backup drill", "figures", "Backup drill: figures"),
    ("backup drill", "figure_revisions", "Backup drill: revisions"),
    ("backup drill", "submissions", "Backup drill: submissions"),
    ("backup drill", "audit_events", "Backup drill: audit events"),
    ("backup drill", "identical", "Backup drill: every table identical after restore"),
)


def machine(postgres_url: str) -> dict[str, str]:
    """Return what the run ran on: processor count, memory, Python, SQLite, PostgreSQL."""
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kilobytes = int(meminfo.readline().split()[1])
            memory = f"{kilobytes / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        engine = make_engine(postgres_url)
        with engine.connect() as connection:
            postgres = str(connection.scalar(text("SHOW server_version")))
        engine.dispose()
    except Exception as error:  # the report says why PostgreSQL's version is unknown
        postgres = f"unreachable ({type(error).__name__})"
    return {
        "processors": str(os.cpu_count()),
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres,
    }


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{name}: {count}" for name, count in value.items()) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _security_table(
    by_key: dict[tuple[str, str], Result], databases: list[str], names: dict[str, str]
) -> list[str]:
    """Return the attacks' table: each attack class, the variants tried, the result per database."""
    rows: dict[str, dict[str, Any]] = {}
    for kind in databases:
        result = by_key.get(("security", kind))
        for attack in result.figures.get("attacks", []) if result else []:
            rows.setdefault(attack["attack"], {"variants": attack["variants"]})[kind] = attack
    if not rows:
        return []
    lines = ["", "Attacks (reliability/security.py):", ""]
    lines += ["| attack | variants tried | " + " | ".join(names[k] for k in databases) + " |"]
    lines += ["| --- | --- | " + " | ".join("---" for _ in databases) + " |"]
    for name, row in rows.items():
        results = [row[kind]["result"] if kind in row else "n/a" for kind in databases]
        variants = "; ".join(row["variants"])
        lines.append(f"| {name} | {variants} | " + " | ".join(results) + " |")
    return lines


def markdown(results: list[Result], about: dict[str, str], command: str) -> str:
    """Return the report as Markdown tables."""
    databases = [
        kind for kind in ("sqlite", "postgresql") if any(r.database == kind for r in results)
    ]
    by_key = {(result.scenario, result.database): result for result in results}
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    lines = [
        f"Command: `{command}`",
        "",
        "Machine: " + ", ".join(f"{name} {value}" for name, value in about.items()),
        "",
        "| figure | " + " | ".join(names[kind] for kind in databases) + " |",
        "| --- | " + " | ".join("---" for _ in databases) + " |",
    ]
    for scenario, key, label in ROWS:
        cells = []
        for kind in databases:
            result = by_key.get((scenario, kind))
            cells.append(_cell(result.figures.get(key)) if result else "n/a")
        if any(cell not in ("", "n/a") for cell in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Hostile input (requests by outcome):", ""]
    lines += ["| kind | " + " | ".join(names[kind] for kind in databases) + " |"]
    lines += ["| --- | " + " | ".join("---" for _ in databases) + " |"]
    kinds: list[str] = []
    for kind in databases:
        result = by_key.get(("hostile", kind))
        for name in result.figures.get("by_kind", {}) if result else {}:
            if name not in kinds:
                kinds.append(name)
    for name in kinds:
        cells = []
        for kind in databases:
            result = by_key.get(("hostile", kind))
            cells.append(_cell(result.figures.get("by_kind", {}).get(name)) if result else "n/a")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += _security_table(by_key, databases, names)
    lines += ["", "Schemathesis against /openapi.json:", ""]
    for kind in databases:
        result = by_key.get(("schemathesis", kind))
        for label, figures in result.figures.items() if result else []:
            if isinstance(figures, dict):
                lines.append(f"- {names[kind]}, {label}: {_cell(figures)}")
    lines += ["", "Verdict:", ""]
    for result in results:
        verdict = "passed" if result.passed else "FAILED: " + "; ".join(result.problems)
        lines.append(f"- {names[result.database]} {result.scenario}: {verdict}")
    return "\n".join(lines) + "\n"
