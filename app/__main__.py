"""The command line: python -m app serve | migrate | seed | import FILE.csv | rates import FILE.csv."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from app import migrate, queries
from app.db import make_engine, transaction
from app.domain.figures import FigureStatus
from app.domain.moderation import ModerationAction
from app.models import Figure
from app.operations.backup import BackupError, restore_backup, write_backup
from app.operations.importing import ImportFileError, load_figure_rows, read_csv_rows
from app.operations.rate_importing import RATES_CSV, load_rate_rows
from app.operations.seeding import describe, seed_demo
from app.operations.synthetic import seed_synthetic
from app.passwords import hash_password
from app.settings import load_settings

IMPORT_ACTOR = "import"


APP_FACTORY = "app.main:create_app"  # the benchmark serves its own factory (bench/bench_app.py)


def _serve(arguments: argparse.Namespace) -> int:
    import uvicorn

    from app.serving import DeadlineH11Protocol, adopt_public_base_url

    base_url, explicit = adopt_public_base_url(os.environ, arguments.host, arguments.port)
    named_by = (
        "PUBLIC_BASE_URL" if explicit else "the address served; set PUBLIC_BASE_URL to change"
    )
    print(f"permalinks and citations use {base_url} ({named_by})", file=sys.stderr, flush=True)
    uvicorn.run(
        arguments.app,
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        # The application itself believes forwarded headers, from FORWARDED_ALLOW_IPS only.
        proxy_headers=False,
        http=DeadlineH11Protocol,
    )
    return 0


def _migrate(_arguments: argparse.Namespace) -> int:
    migrate.upgrade(load_settings().database_url)
    print("database migrated to the latest schema")
    return 0


def _seed(arguments: argparse.Namespace) -> int:
    engine = make_engine(load_settings().database_url)
    if arguments.synthetic is not None:
        return seed_synthetic(engine, arguments.synthetic, seed=arguments.seed)
    with transaction(engine) as session:
        if arguments.if_empty and queries.count_figures(session) > 0:
            queries.sync_vocabulary(session)
            print("figures already stored: demo data not loaded again")
            return 0
        report = seed_demo(session)
    print("\n".join(describe(report)))
    return 0


def _import(arguments: argparse.Namespace) -> int:
    path = Path(arguments.file)
    status = FigureStatus.PUBLISHED if arguments.publish else FigureStatus.PENDING
    reason = f"imported from {path.name}" + (" (--publish)" if arguments.publish else "")
    show_progress = sys.stderr.isatty()
    engine = make_engine(load_settings().database_url)
    try:
        rows = read_csv_rows(path)
        with transaction(engine) as session:
            queries.sync_vocabulary(session)

            def record_publication(figure: Figure) -> None:
                queries.record_audit(
                    session,
                    actor=IMPORT_ACTOR,
                    action=ModerationAction.PUBLISH_IMPORT.value,
                    object_type="figure",
                    object_id=figure.id,
                    before=None,
                    after=queries.figure_state(figure),
                    reason=reason,
                )

            report = load_figure_rows(
                session,
                rows,
                status=status,
                changed_by=IMPORT_ACTOR,
                reason=reason,
                progress=_progress_bar if show_progress else None,
                on_added=record_publication if arguments.publish else None,
            )
            if report.refused and not arguments.partial:
                session.rollback()
    except (OSError, ImportFileError) as error:
        if show_progress:
            print(file=sys.stderr)
        print(f"{arguments.file}: {error}; nothing imported", file=sys.stderr)
        return 2
    if show_progress:
        print(file=sys.stderr)
    for refused in report.refused:
        print(f"refused {refused.describe()}", file=sys.stderr)
    for restated in report.restated:
        print(f"note: {restated.describe()}", file=sys.stderr)
    for flagged in report.flagged:
        print(f"check: {flagged.describe()}", file=sys.stderr)
    rows_refused = len({refused.row_number for refused in report.refused})
    if report.refused and not arguments.partial:
        print(
            f"nothing imported: {rows_refused} of {report.rows_read} rows refused,"
            f" {len(report.refused)} problems (use --partial to load the rest)"
        )
        return 1
    print(
        f"{len(report.added)} figures imported as {status.value},"
        f" {len(report.unchanged)} already stored, {rows_refused} rows refused"
    )
    return 0


def _import_rates(arguments: argparse.Namespace) -> int:
    path = Path(arguments.file)
    engine = make_engine(load_settings().database_url)
    try:
        rows = read_csv_rows(path, RATES_CSV)
        with transaction(engine) as session:
            report = load_rate_rows(
                session, rows, changed_by=IMPORT_ACTOR, reason=f"imported from {path.name}"
            )
            if report.refused:
                session.rollback()
    except (OSError, ImportFileError) as error:
        print(f"{arguments.file}: {error}; nothing imported", file=sys.stderr)
        return 2
    for refused in report.refused:
        print(f"refused {refused.describe()}", file=sys.stderr)
    if report.refused:
        rows_refused = len({refused.row_number for refused in report.refused})
        print(
            f"nothing imported: {rows_refused} of {report.rows_read} rows refused,"
            f" {len(report.refused)} problems"
        )
        return 1
    print(f"{len(report.added)} exchange rates imported, {len(report.unchanged)} already stored")
    return 0


def _progress_bar(rows_read: int, fraction_read: float) -> None:
    """Draw the import's progress on the terminal every hundred rows."""
    if rows_read % 100 and fraction_read < 1:
        return
    width = 40
    filled = int(width * fraction_read)
    print(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction_read:4.0%} {rows_read:,} rows",
        end="",
        file=sys.stderr,
    )


def _add_moderator(arguments: argparse.Namespace) -> int:
    username = arguments.name.strip().lower()
    if not username or len(username) > 100 or not username.isprintable():
        print("the username must be 1 to 100 printable characters", file=sys.stderr)
        return 2
    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("the passwords differ", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        password_hash = hash_password(password)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    engine = make_engine(load_settings().database_url)
    with transaction(engine) as session:
        if queries.moderator_by_username(session, username) is not None:
            print(f"a moderator called {username!r} exists already", file=sys.stderr)
            return 1
        queries.add_moderator(session, username=username, password_hash=password_hash)
    print(f"moderator {username!r} added")
    return 0


def _backup(arguments: argparse.Namespace) -> int:
    engine = make_engine(load_settings().database_url)
    path = Path(arguments.output or f"backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.jsonl.gz")
    for summary in write_backup(engine, path):
        print(f"{summary.name}: {summary.rows} rows, sha256 {summary.checksum[:16]}")
    print(f"backup written to {path}")
    return 0


def _restore(arguments: argparse.Namespace) -> int:
    settings = load_settings()
    migrate.upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        summaries = restore_backup(engine, Path(arguments.file))
    except (OSError, BackupError) as error:
        print(f"{arguments.file}: {error}", file=sys.stderr)
        return 1
    for summary in summaries:
        print(f"{summary.name}: {summary.rows} rows restored, checksum verified")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command line."""
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--app", default=APP_FACTORY, help=argparse.SUPPRESS)
    serve.set_defaults(run=_serve)
    commands.add_parser("migrate", help="migrate the database to the latest schema").set_defaults(
        run=_migrate
    )
    seed = commands.add_parser("seed", help="load the vocabularies and the demo data (idempotent)")
    seed.add_argument(
        "--if-empty", action="store_true", help="load demo data only into an empty database"
    )
    seed.add_argument(
        "--synthetic", type=int, metavar="N", help="load N synthetic figures instead (load tests)"
    )
    seed.add_argument("--seed", type=int, default=1, help="random seed of --synthetic")
    seed.set_defaults(run=_seed)
    importer = commands.add_parser("import", help="import figures from a CSV file")
    importer.add_argument("file")
    importer.add_argument("--publish", action="store_true", help="publish instead of queueing")
    importer.add_argument(
        "--partial", action="store_true", help="load the valid rows even if some are refused"
    )
    importer.set_defaults(run=_import)
    rates = commands.add_parser("rates", help="exchange rates")
    rate_commands = rates.add_subparsers(dest="rates_command", required=True)
    rate_importer = rate_commands.add_parser(
        "import", help="import sourced exchange rates from a CSV file (all or nothing)"
    )
    rate_importer.add_argument("file")
    rate_importer.set_defaults(run=_import_rates)
    moderator = commands.add_parser(
        "add-moderator", help="add a moderator; the password is read from standard input"
    )
    moderator.add_argument("name")
    moderator.set_defaults(run=_add_moderator)
    backup = commands.add_parser("backup", help="write every table to a gzipped JSON-lines file")
    backup.add_argument("--output", help="file to write (default: backup-<time>.jsonl.gz)")
    backup.set_defaults(run=_backup)
    restore = commands.add_parser("restore", help="load a backup into an empty database")
    restore.add_argument("file")
    restore.set_defaults(run=_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status."""
    arguments = build_parser().parse_args(argv)
    return int(arguments.run(arguments))


if __name__ == "__main__":
    sys.exit(main())
