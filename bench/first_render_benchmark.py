"""The first render after a change: how long the next visitor of a page waits once a moderator
has retracted or reinstated one figure.

    .venv/bin/python bench/first_render_benchmark.py --figures 100000 1000000 --databases sqlite postgres

For each size and database: uses the synthetic database of the load benchmark (made once under
var/bench/, or as bench_N_seedS on PostgreSQL), serves it as in production (`python -m app serve
--workers 2`), requests every page until both workers keep it, then, round after round, changes
one published figure of Nepal's killed through the moderators' query function
(`queries.change_figure`: retract, then reinstate it in the next round; each change in its own
transaction, from this process, as the moderation page would make it) and requests each page
once: the first request after the change renders it anew. The same pages are then requested
from the application in this process (warmed up the same way), and the processor time of each
first render is measured too: on a shared machine, the wall time includes waiting for cores that
other processes hold, and the processor time does not. It prints the time of each change and of
each page's first request, their median and worst, and appends them to a JSON file. It prints
figures only: no targets are asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from app import queries  # noqa: E402
from app.db import make_engine, transaction  # noqa: E402
from app.domain.figures import FigureStatus  # noqa: E402
from app.domain.moderation import ModerationAction  # noqa: E402
from app.main import create_app  # noqa: E402
from app.models import Figure  # noqa: E402
from app.settings import Settings  # noqa: E402
from bench.load_benchmark import (  # noqa: E402
    _get,
    add_dataset_arguments,
    append_json_line,
    prepared_datasets,
)
from harness.server import running_server  # noqa: E402

PAGES = {"overview": "/", "metric": "/metrics/killed", "country": "/countries/NPL"}
CHANGED_AREA, CHANGED_METRIC = "NPL", "killed"


def _changed_figure_id(url: str) -> int:
    """Return the id of a published figure of the changed group (the latest one)."""
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            query = select(Figure.id).where(
                Figure.area_code == CHANGED_AREA,
                Figure.metric_slug == CHANGED_METRIC,
                Figure.status == FigureStatus.PUBLISHED.value,
            )
            figure_id = session.scalar(query.order_by(Figure.id.desc()).limit(1))
    finally:
        engine.dispose()
    if figure_id is None:
        raise RuntimeError(f"no published figure of {CHANGED_AREA} {CHANGED_METRIC}")
    return int(figure_id)


def change_one_figure(url: str, figure_id: int, action: ModerationAction) -> float:
    """Retract or reinstate the figure as a moderator does, in one transaction; return its ms."""
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        with transaction(engine) as session:
            figure = queries.figure_for_update(session, figure_id)
            if figure is None:
                raise RuntimeError(f"figure {figure_id} is gone")
            queries.change_figure(
                session,
                figure=figure,
                action=action,
                moderator="benchmark",
                reason="first render benchmark",
            )
        return (time.perf_counter() - started) * 1000
    finally:
        engine.dispose()


def in_process_settings(url: str, cache_dir: str) -> Settings:
    """Return the settings of the application served inside this process, as the server's."""
    return Settings(
        database_url=url,
        secret_key="benchmark",  # noqa: S106 (a throwaway server of synthetic data)
        export_cache_dir=cache_dir,
        export_prebuild_seconds=0,  # no downloads built in the background meanwhile
    )


def _first_request_ms(base_url: str, path: str) -> float:
    started = time.perf_counter()
    status, _ = _get(base_url + path)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return elapsed


def _cpu_ms(client: TestClient, path: str) -> float:
    """Request a page from the application in this process; return the processor ms it took."""
    started = time.process_time()
    response = client.get(path)
    elapsed = (time.process_time() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return elapsed


def measure(database: str, figures: int, url: str, rounds: int) -> dict[str, Any]:
    """Serve the database, change one figure per round, time each page's first request after it."""
    figure_id = _changed_figure_id(url)
    cache_dir = tempfile.mkdtemp(prefix="bench-exports-")
    environment = {
        "SECRET_KEY": "benchmark",
        "EXPORT_CACHE_DIR": cache_dir,
        "EXPORT_PREBUILD_SECONDS": "0",  # no downloads built in the background meanwhile
    }
    settings = in_process_settings(url, cache_dir)
    found: dict[str, Any] = {"database": database, "figures": figures, "changes_ms": []}
    found.update({name: [] for name in PAGES})
    found.update({f"{name}_cpu": [] for name in PAGES})
    log = Path(cache_dir) / "server.log"
    with (
        running_server(url, log, workers=2, environment=environment) as server,
        TestClient(create_app(settings)) as client,
    ):
        for path in PAGES.values():
            client.get(path)
            for _ in range(6):  # both workers render and keep it
                _get(server.base_url + path)
        for number in range(rounds):
            action = ModerationAction.RETRACT if number % 2 == 0 else ModerationAction.REINSTATE
            found["changes_ms"].append(change_one_figure(url, figure_id, action))
            for name, path in PAGES.items():
                found[name].append(_first_request_ms(server.base_url, path))
            for name, path in PAGES.items():
                found[f"{name}_cpu"].append(_cpu_ms(client, path))
            print(
                f"  {database} {figures:,} {action.value}: change {found['changes_ms'][-1]:.0f} ms, "
                + ", ".join(
                    f"{name} {found[name][-1]:.0f} ms ({found[f'{name}_cpu'][-1]:.0f} cpu)"
                    for name in PAGES
                ),
                flush=True,
            )
        if rounds % 2:  # leave the figure published, as the dataset had it
            change_one_figure(url, figure_id, ModerationAction.REINSTATE)
    return found


def report(found: dict[str, Any]) -> list[str]:
    """Return the lines of a table: median and worst of each page's first request and of the change."""
    lines = [
        f"{found['database']}, {found['figures']:,} figures ({len(found['changes_ms'])} changes)"
    ]
    lines.append(f"  {'what':<28} {'median ms':>10} {'worst ms':>10}")
    rows = [("change (retract or reinstate)", found["changes_ms"])]
    rows += [(f"{name} {path}", found[name]) for name, path in PAGES.items()]
    rows += [(f"{name} processor ms", found[f"{name}_cpu"]) for name in PAGES]
    for label, values in rows:
        lines.append(f"  {label:<28} {statistics.median(values):>10.0f} {max(values):>10.0f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Parse the options, measure every size on every database, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_dataset_arguments(parser, [100_000])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--json", type=Path, help="append the numbers to this JSON-lines file")
    arguments = parser.parse_args(argv)
    for database, figures, url in prepared_datasets(arguments):
        found = measure(database, figures, url, arguments.rounds)
        print("\n".join(report(found)), flush=True)
        if arguments.json:
            append_json_line(arguments.json, found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
