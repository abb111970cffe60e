"""The command line: python -m app serve | migrate | seed | import FILE.csv."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app import migrate, queries
from app.db import make_engine, transaction
from app.domain.figures import FigureStatus
from app.importing import ImportFileError, load_figure_rows, read_csv_rows
from app.seeding import describe, seed_demo
from app.settings import load_settings


def _serve(arguments: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        proxy_headers=False,
    )
    return 0


def _migrate(_arguments: argparse.Namespace) -> int:
    migrate.upgrade(load_settings().database_url)
    print("database migrated to the latest schema")
    return 0


def _seed(arguments: argparse.Namespace) -> int:
    engine = make_engine(load_settings().database_url)
    with transaction(engine) as session:
        if arguments.if_empty and queries.count_figures(session) > 0:
            queries.sync_vocabulary(session)
            print("figures already stored: demo data not loaded again")
            return 0
        report = seed_demo(session)
    print("\n".join(describe(report)))
    return 0


def _import(arguments: argparse.Namespace) -> int:
    try:
        rows = read_csv_rows(Path(arguments.file))
    except (OSError, ImportFileError) as error:
        print(f"{arguments.file}: {error}", file=sys.stderr)
        return 2
    engine = make_engine(load_settings().database_url)
    status = FigureStatus.PUBLISHED if arguments.publish else FigureStatus.PENDING
    total = len(rows)

    def progress(done: int) -> None:
        if sys.stderr.isatty() and (done % 100 == 0 or done == total):
            width = 40
            filled = width * done // max(total, 1)
            print(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                end="",
                file=sys.stderr,
            )

    with transaction(engine) as session:
        report = load_figure_rows(
            session,
            rows,
            status=status,
            changed_by="import",
            reason=f"imported from {Path(arguments.file).name}",
            progress=progress,
        )
        if report.refused and not arguments.partial:
            session.rollback()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for refused in report.refused:
        print(f"refused {refused.describe()}", file=sys.stderr)
    if report.refused and not arguments.partial:
        print(f"nothing imported: {len(report.refused)} problems (use --partial to load the rest)")
        return 1
    print(
        f"{len(report.added)} figures imported as {status.value}, {len(report.unchanged)} already stored"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command line."""
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=_serve)
    commands.add_parser("migrate", help="migrate the database to the latest schema").set_defaults(
        run=_migrate
    )
    seed = commands.add_parser("seed", help="load the vocabularies and the demo data (idempotent)")
    seed.add_argument(
        "--if-empty", action="store_true", help="load demo data only into an empty database"
    )
    seed.set_defaults(run=_seed)
    importer = commands.add_parser("import", help="import figures from a CSV file")
    importer.add_argument("file")
    importer.add_argument("--publish", action="store_true", help="publish instead of queueing")
    importer.add_argument(
        "--partial", action="store_true", help="load the valid rows even if some are refused"
    )
    importer.set_defaults(run=_import)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status."""
    arguments = build_parser().parse_args(argv)
    return int(arguments.run(arguments))


if __name__ == "__main__":
    sys.exit(main())
