"""Load, kill -9 during a submission stream, and a PostgreSQL outage under load."""

from __future__ import annotations

import random
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx2
from sqlalchemy import select

from app.db import make_engine
from app.models import Submission
from reliability.databases import Database, PrivateCluster, create_database, prepare
from reliability.results import Result, RunSettings, percentile, record_verification, run_id_for
from reliability.server import Server, free_port
from reliability.traffic import Answer, Tally, Visitor, submit_many, submit_until


def load(settings: RunSettings, database: Database) -> Result:
    """Post the submissions from concurrent clients; each acknowledged one is stored once."""
    result = Result("load", database.kind)
    run_id = run_id_for(database, "load")
    server = Server(database.url, free_port(), settings.workers, settings.directory / "load.log")
    server.start()
    tally = Tally()
    try:
        began = time.monotonic()
        submit_many(server.base_url, run_id, settings.clients, settings.submissions, tally)
        seconds = time.monotonic() - began
    finally:
        server.stop()
    statuses = tally.statuses("submit")
    latencies = [answer.seconds for answer in tally.answers if answer.step == "submit"]
    result.figures.update(
        submissions=sum(statuses.values()),
        clients=settings.clients,
        workers=settings.workers,
        statuses=dict(statuses),
        server_errors=len(tally.server_errors()),
        refused_429=statuses.get("429", 0),
        seconds=round(seconds, 1),
        submissions_per_second=round(sum(statuses.values()) / seconds, 1),
        post_p50_ms=round(percentile(latencies, 0.5) * 1000),
        post_p95_ms=round(percentile(latencies, 0.95) * 1000),
        post_max_ms=round(max(latencies, default=0.0) * 1000),
    )
    record_verification(result, run_id, tally, database)
    if tally.server_errors():
        result.problems.append(f"{len(tally.server_errors())} answers with a 5xx status")
    unexpected = sum(n for status, n in statuses.items() if status not in ("303", "429"))
    if unexpected:
        result.problems.append(f"{unexpected} submissions answered neither 303 nor 429: {statuses}")
    if result.figures["submissions"] != settings.submissions:
        result.problems.append(
            f"{result.figures['submissions']} of {settings.submissions} submissions were sent"
        )
    return result


def crashes(settings: RunSettings, database: Database) -> Result:
    """Kill every server process with SIGKILL at random moments of a submission stream; restart."""
    result = Result("crashes", database.kind)
    run_id = run_id_for(database, "crash")
    chance = random.Random(settings.seed)  # noqa: S311 (moments to kill, not secrets)
    server = Server(database.url, free_port(), settings.workers, settings.directory / "crash.log")
    server.start()
    tally = Tally()
    stop = threading.Event()
    visitors = submit_until(server.base_url, run_id, settings.clients, tally, stop, pause=0.2)
    killed: list[int] = []
    restarts: list[float] = []
    acknowledged_between: list[int] = []
    posting_at_kill: list[int] = []
    try:
        for _ in range(settings.crashes):
            before = len(tally.acknowledged())
            time.sleep(chance.uniform(0.5, 3.0))
            deadline = time.monotonic() + 10
            while tally.posting < 1 and time.monotonic() < deadline:
                time.sleep(0.005)
            posting_at_kill.append(tally.posting)
            killed.append(server.kill())
            acknowledged_between.append(len(tally.acknowledged()) - before)
            restarts.append(server.start())
        time.sleep(2)
    finally:
        stop.set()
        visitors.join(timeout=120)
        server.stop()
    statuses = tally.statuses("submit")
    result.figures.update(
        crashes=len(killed),
        processes_killed=sum(killed),
        acknowledged_between_kills=acknowledged_between,
        submissions_in_flight_at_kills=sum(posting_at_kill),
        restart_seconds_max=round(max(restarts, default=0.0), 1),
        submissions_sent=sum(statuses.values()),
        no_answer=statuses.get("no answer", 0),
        statuses=dict(statuses),
    )
    record_verification(result, run_id, tally, database)
    if len(killed) != settings.crashes or any(count < settings.workers + 1 for count in killed):
        result.problems.append(f"not every kill hit the master and all workers: {killed}")
    if not result.figures["acknowledged"]:
        result.problems.append("no submission was acknowledged during the crashes")
    errors = tally.server_errors(allowed=(503,))
    if errors:
        result.problems.append(f"{len(errors)} answers with a 5xx status other than 503")
    return result


def _reader(base_url: str, tally: Tally, stop: threading.Event) -> None:
    """Read pages, the API and an export in turn until told to stop."""
    paths = ("/", "/countries/NPL", "/api/v1/figures?limit=5", "/submit", "/export/figures.json")
    visitor = Visitor(base_url, "reader", "reader", tally)
    number = 0
    while not stop.is_set():
        visitor.request("read", "GET", paths[number % len(paths)])
        number += 1
        stop.wait(0.05)
    visitor.close()


def outage(settings: RunSettings) -> Result:
    """Stop PostgreSQL under load and start it again: 503 plain pages meanwhile, then recovery."""
    result = Result("outage", "postgresql")
    cluster = PrivateCluster(Path(tempfile.mkdtemp(prefix="reliability-postgres-")), free_port())
    database: Database | None = None
    server: Server | None = None
    try:
        cluster.create()
        cluster.start()
        database = create_database("postgresql", settings.directory, cluster.url, "outage")
        prepare(database)
        run_id = run_id_for(database, "outage")
        server = Server(
            database.url, free_port(), settings.workers, settings.directory / "outage.log"
        )
        server.start()
        workers_before = server.processes()
        tally = Tally()
        health: list[tuple[float, int | None]] = []
        stop = threading.Event()
        visitors = submit_until(
            server.base_url, run_id, max(2, settings.clients // 4), tally, stop, pause=0.2
        )
        readers = [
            threading.Thread(target=_reader, args=(server.base_url, tally, stop), daemon=True)
            for _ in range(2)
        ]
        monitor = threading.Thread(
            target=_watch_health, args=(server.base_url, health, stop), daemon=True
        )
        for thread in (*readers, monitor):
            thread.start()
        time.sleep(3)
        during_from = len(tally.answers)
        stopped_at = time.monotonic()
        cluster.stop("fast")
        time.sleep(settings.outage_seconds)
        cluster.start()
        up_at = time.monotonic()
        during = list(tally.answers[during_from:])
        recovered_at = _first_healthy_after(health, up_at, seconds=60)
        acknowledged_at = len(tally.acknowledged())
        time.sleep(3)
        stop.set()
        for thread in (visitors, *readers, monitor):
            thread.join(timeout=60)
        workers_after = server.processes()
        server.stop()
        _outage_figures(result, tally, during, health, stopped_at, up_at, recovered_at)
        result.figures["acknowledged_after_recovery"] = len(tally.acknowledged()) - acknowledged_at
        result.figures["server_restarted"] = workers_before != workers_after
        if workers_before != workers_after:
            result.problems.append("the server's processes changed during the outage")
        if not result.figures["acknowledged_after_recovery"]:
            result.problems.append("no submission was acknowledged after the database came back")
        record_verification(result, run_id, tally, database)
        result.figures["refused_503_but_stored"] = _refused_but_stored(database, tally)
    finally:
        if server is not None:
            server.stop()
        cluster.remove()
    return result


def _watch_health(
    base_url: str, health: list[tuple[float, int | None]], stop: threading.Event
) -> None:
    with httpx2.Client(base_url=base_url, timeout=10) as http:
        while not stop.is_set():
            try:
                status: int | None = http.get("/healthz").status_code
            except httpx2.HTTPError:
                status = None
            health.append((time.monotonic(), status))
            stop.wait(0.1)


def _first_healthy_after(
    health: list[tuple[float, int | None]], moment: float, seconds: float
) -> float | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for at, status in list(health):
            if at >= moment and status == 200:
                return at
        time.sleep(0.1)
    return None


def _outage_figures(
    result: Result,
    tally: Tally,
    during: list[Answer],
    health: list[tuple[float, int | None]],
    stopped_at: float,
    up_at: float,
    recovered_at: float | None,
) -> None:
    statuses = Counter(str(answer.status) if answer.status else "no answer" for answer in during)
    unavailable = [answer for answer in during if answer.status == 503]
    health_during = Counter(str(status) for at, status in health if stopped_at < at < up_at)
    result.figures.update(
        outage_seconds=round(up_at - stopped_at, 1),
        requests_during=len(during),
        statuses_during=dict(statuses),
        answered_503=len(unavailable),
        plain_503=sum(answer.plain_text and not answer.stack_trace for answer in unavailable),
        slowest_answer_during_s=round(max((a.seconds for a in during), default=0.0), 2),
        healthz_during=dict(health_during),
        recovery_seconds=round(recovered_at - up_at, 1) if recovered_at is not None else None,
    )
    if recovered_at is not None:
        settled = [a for a in tally.answers if a.at > recovered_at + 1]
        result.figures["requests_after_recovery"] = len(settled)
        result.figures["failed_after_recovery"] = sum(
            a.status is None or a.status >= 500 for a in settled
        )
        if result.figures["failed_after_recovery"]:
            result.problems.append("requests still failed after the database came back")
    if not unavailable:
        result.problems.append("no request was answered 503 while the database was down")
    if result.figures["plain_503"] != len(unavailable):
        result.problems.append("some 503 answers were not plain text or showed a stack trace")
    others = tally.server_errors(allowed=(503,))
    if others:
        result.problems.append(f"{len(others)} answers with a 5xx status other than 503")
    if statuses.get("no answer"):
        result.problems.append(f"{statuses['no answer']} requests got no answer (hung or dropped)")
    if "503" not in health_during:
        result.problems.append("/healthz never answered 503 while the database was down")
    if recovered_at is None:
        result.problems.append("/healthz did not answer 200 within 60 s of the database's return")


def _refused_but_stored(database: Database, tally: Tally) -> int:
    """Return how many submissions answered 503 were stored all the same."""
    refused = {a.nonce for a in tally.answers if a.step == "submit" and a.status == 503}
    if not refused:
        return 0
    engine = make_engine(database.url)
    with engine.connect() as connection:
        quotes = [
            str(fields.get("quote", "")) for fields in connection.scalars(select(Submission.fields))
        ]
    engine.dispose()
    return sum(any(nonce in text for text in quotes) for nonce in refused)
