"""Two web hosts reading a streaming replica: a private primary PostgreSQL, a hot standby made by
pg_basebackup -R and fed by streaming replication, and two separate server instances (their own
processes and kept pages, as on two hosts) that write to the primary and read the standby.

A moderator approves a figure on one host; the scenario measures how long the figure takes to
reach the public pages of both hosts, then watches both for a while: once a host has shown the new
dataset version, it must never show the older one again.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
from sqlalchemy import make_url, select

from app.db import make_engine
from app.models import Submission
from harness.scratch_db import create_scratch_database, migrate_and_seed
from reliability.databases import PrivateCluster
from reliability.drill import MODERATOR, MODERATOR_PASSWORD
from reliability.results import Result, RunSettings, run_cli
from reliability.server import Server, free_port
from reliability.traffic import CSRF, figure_fields

PRIMARY_SETTINGS = ("wal_level=replica", "max_wal_senders=4", "wal_keep_size=64MB")
REACH_SECONDS = 30.0  # the most the approved figure may take to reach both hosts' pages
WATCH_SECONDS = 4.0  # both hosts are then watched this long for an older version
POLL_SECONDS = 0.05
# The watch alone asks each host for pages dozens of times, each time reading the version on
# the replica: fewer transactions there means the hosts read another database.
MIN_REPLICA_TRANSACTIONS = 10
WORKERS = 1  # per host; each host keeps pages of its own
PUBLISHED_STATUS = 'class="status-published"'  # on the moderator's page of a figure
VERSION = re.compile(r'<code class="dataset-version">([^<]+)</code>')


class StandbyCluster(PrivateCluster):
    """A hot standby of a private primary: its data copied by pg_basebackup -R, then streamed."""

    def __init__(self, directory: Path, port: int, primary: PrivateCluster) -> None:
        super().__init__(directory, port)
        self.primary = primary

    def create(self) -> None:
        """Copy the primary's data and configure streaming from it (standby.signal, conninfo)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        done = self._run(
            str(self.binaries / "pg_basebackup"), "-D", str(self.data), "-R", "-X", "stream",
            "-c", "fast", "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"pg_basebackup failed: {done.stderr or done.stdout}")


@dataclass
class Watch:
    """What one host showed of the area page while it was watched."""

    name: str
    reached_seconds: float | None = None
    polls: int = 0
    went_back: list[str] = field(default_factory=list)


def replica(settings: RunSettings) -> Result:
    """Approve a figure on a primary and follow it to both hosts' pages through the replica."""
    result = Result("replica", "postgresql")
    # Directories of their own, outside the run's private one: the clusters run as `postgres`.
    primary = PrivateCluster(_new_directory("primary"), free_port(), PRIMARY_SETTINGS)
    standby = StandbyCluster(_new_directory("standby"), free_port(), primary)
    hosts: list[Server] = []
    try:
        began = time.monotonic()
        primary.create()
        primary.start()
        standby.create()
        standby.start()
        database = create_scratch_database(settings.directory, primary.url, "replicated")
        migrate_and_seed(database.url)
        added = run_cli(database.url, "add-moderator", MODERATOR, stdin=MODERATOR_PASSWORD + "\n")
        if added.returncode != 0:
            raise RuntimeError(f"add-moderator failed: {added.stderr}")
        replica_url = make_url(database.url).set(port=standby.port)
        replica_address = replica_url.render_as_string(hide_password=False)
        result.figures["databases_seconds"] = round(time.monotonic() - began, 1)
        for name in ("host-a", "host-b"):
            log = settings.directory / f"replica-{name}.log"
            environment = {
                "DATABASE_REPLICA_URL": replica_address,
                "EXPORT_CACHE_DIR": str(settings.directory / name),  # kept files: per host
            }
            hosts.append(Server(database.url, free_port(), WORKERS, log, environment))
        with ThreadPoolExecutor(len(hosts)) as starting:  # as two hosts would: at once
            list(starting.map(Server.start, hosts))
        result.figures["setup_seconds"] = round(time.monotonic() - began, 1)
        read_before = _transactions(replica_address)
        _follow_an_approval(result, database.url, hosts)
        result.figures["replica_transactions"] = _transactions(replica_address) - read_before
        if result.figures["replica_transactions"] < MIN_REPLICA_TRANSACTIONS:
            result.problems.append("the hosts' public pages did not read the replica")
    finally:
        for host in hosts:
            host.stop()
        standby.remove()
        primary.remove()
    return result


def _new_directory(role: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"reliability-{role}-"))


def _follow_an_approval(result: Result, primary_url: str, hosts: list[Server]) -> None:
    health = httpx2.get(f"{hosts[0].base_url}/healthz", timeout=10).json()
    result.figures["healthz"] = health
    if health != {"status": "ok", "database": "ok", "replica": "ok"}:
        result.problems.append(f"/healthz said {health}")
    fields = figure_fields("replica-scenario", 1, "replica")
    area_page = f"/countries/{fields['area']}"
    with httpx2.Client(base_url=hosts[0].base_url, timeout=30) as moderator:
        sent = _post_form(moderator, "/submit", "/submit", fields)
        if sent.status_code != 303:
            raise RuntimeError(f"the submission was answered {sent.status_code}")
        submission_id, figure_id = _pending_submission(primary_url)
        marker = f'data-figure-id="{figure_id}"'
        for host in hosts:  # a download reads a read-only snapshot; pages read after it
            httpx2.get(f"{host.base_url}/export/figures.csv", timeout=60).raise_for_status()
        before = {host.base_url: _shown(host, area_page, marker) for host in hosts}  # kept
        older = {version for version, _shown_it in before.values()}
        login = {"username": MODERATOR, "password": MODERATOR_PASSWORD, "next": "/review"}
        if _post_form(moderator, "/login", "/login", login).status_code != 303:
            raise RuntimeError("the moderator could not log in")
        review = f"/review/submissions/{submission_id}"
        approved = _post_form(moderator, review, f"{review}/approve", {"reason": "replica"})
        approved_at = time.monotonic()
        if approved.status_code != 303:
            raise RuntimeError(f"the approval was answered {approved.status_code}")
        own_page = moderator.get(f"/review/figures/{figure_id}").text
        result.figures["moderator_sees_it_at_once"] = PUBLISHED_STATUS in own_page
        if PUBLISHED_STATUS not in own_page:
            result.problems.append("the moderator's own page did not show the approval at once")
    with ThreadPoolExecutor(len(hosts)) as watching:  # both hosts watched at the same time
        watches = list(
            watching.map(lambda host: _watch(host, area_page, marker, older, approved_at), hosts)
        )
    for number, watch in enumerate(watches):
        label = "ab"[number]
        result.figures[f"host_{label}_reached_s"] = watch.reached_seconds
        result.figures[f"host_{label}_polls_after"] = watch.polls
        if watch.reached_seconds is None:
            result.problems.append(f"{watch.name}: the figure never reached its public page")
        if watch.went_back:
            result.problems.append(f"{watch.name} went back to an older page: {watch.went_back}")
    result.figures["versions_before"] = sorted(older)
    if any(shown for _version, shown in before.values()):
        result.problems.append("a host showed the figure before it was approved")


def _watch(host: Server, path: str, marker: str, older: set[str], approved_at: float) -> Watch:
    """Poll the host's page until it shows the figure, then for WATCH_SECONDS more."""
    watch = Watch(host.base_url)
    deadline = approved_at + REACH_SECONDS
    while watch.reached_seconds is None and time.monotonic() < deadline:
        version, shown = _shown(host, path, marker)
        if shown and version not in older:
            watch.reached_seconds = round(time.monotonic() - approved_at, 3)
        else:
            time.sleep(POLL_SECONDS)
    if watch.reached_seconds is None:
        return watch
    until = time.monotonic() + WATCH_SECONDS
    while time.monotonic() < until:
        version, shown = _shown(host, path, marker)
        watch.polls += 1
        if version in older or not shown:
            watch.went_back.append(f"version {version}, figure shown: {shown}")
        time.sleep(POLL_SECONDS)
    return watch


def _shown(host: Server, path: str, marker: str) -> tuple[str, bool]:
    """Return the dataset version the host's page names, and whether it shows the figure."""
    page = httpx2.get(host.base_url + path, timeout=30)
    page.raise_for_status()
    match = VERSION.search(page.text)
    if match is None:
        raise RuntimeError(f"{path} names no dataset version")
    return match.group(1), marker in page.text


def _post_form(
    http: httpx2.Client, page: str, action: str, fields: dict[str, str]
) -> httpx2.Response:
    match = CSRF.search(http.get(page).text)
    if match is None:
        raise RuntimeError(f"no CSRF token on {page}")
    fields = {"csrf_token": match.group(1), **fields}
    return http.post(action, data=fields, headers={"origin": str(http.base_url).rstrip("/")})


def _transactions(database_url: str) -> int:
    """Return how many transactions the database's server has seen in it (its statistics)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            statement = "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            where = " WHERE datname = current_database()"
            return int(connection.exec_driver_sql(statement + where).scalar_one())
    finally:
        engine.dispose()


def _pending_submission(primary_url: str) -> tuple[int, int]:
    """Return the id of the one pending submission and of its figure, read on the primary."""
    engine = make_engine(primary_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(Submission.id, Submission.figure_id).where(Submission.status == "pending")
            ).one()
            return int(row[0]), int(row[1])
    finally:
        engine.dispose()
