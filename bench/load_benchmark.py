"""Requests/s and latency of the pages and the API under load, beside the server's ceiling and Datasette.

    .venv/bin/python bench/load_benchmark.py --figures 10000 100000 1000000 --databases sqlite postgres

For each size and database: fills a database with `python -m app seed --synthetic N` (kept under
var/bench/ and reused), starts the server as in production (`python -m app serve --workers 2`),
warms it up, then measures each path from a second process (wrk, or a Python load generator
when wrk is missing or --tool python) at 32 connections; on SQLite also Datasette serving the
same file read-only with the same Nepal query. Requests carry the Accept-Encoding header that
browsers send. Then, on a server started afresh, it downloads the CSV export twice (the
first builds it, the second is served from its cache) while sampling the server's memory.
It prints a table and the ratios measured in the same run, and appends the numbers to a JSON
file. It prints figures only: no targets are asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
from harness.server import ServerProcess, free_port  # noqa: E402

PYTHON = sys.executable
BENCH_APP = "bench.bench_app:create_bench_app"  # the application plus /bench/bare
PATHS = {
    "bare": "/bench/bare",
    "country": "/countries/NPL",
    "api": "/api/v1/figures?area=NPL",
    "metric": "/metrics/killed",
    "overview": "/",
}
ACCEPT_ENCODING = "gzip, deflate, br"  # what browsers send
DATASETTE_QUERY = (
    "area_code=NPL&status=published&_sort=id&_size=100&_labels=on&_shape=objects"
    "&_nosuggest=1&_nofacet=1"  # without facet suggestions: its fastest answer
)


@dataclass
class Measure:
    """One path under load: requests per second and latency percentiles in milliseconds."""

    name: str
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    first_ms: float | None = None


@dataclass
class Run:
    """Everything measured for one database and size."""

    database: str
    figures: int
    tool: str
    connections: int
    duration: float
    measures: list[Measure] = field(default_factory=list)
    export: dict[str, float] = field(default_factory=dict)
    memory_mib: dict[str, float] = field(default_factory=dict)


def _get(url: str, timeout: float = 600) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (our own server)
        return int(response.status), response.read()


def _pid(server: ServerProcess) -> int:
    """Return the process id of a started server (its master process)."""
    assert server.process is not None, "the server is not running"
    return server.process.pid


def _wait_until_up(url: str, process: subprocess.Popen[bytes] | None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is None or process.poll() is not None:
            raise RuntimeError(f"the server stopped while starting ({url})")
        try:
            if _get(url, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def prepare_database(database: str, figures: int, seed: int, data_dir: Path, postgres: str) -> str:
    """Return the URL of a migrated database holding the synthetic dataset (made once, reused)."""
    if database == "sqlite":
        data_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{data_dir / f'synthetic-{figures}-seed{seed}.sqlite3'}"
    else:
        from sqlalchemy import create_engine, make_url, text

        name = f"bench_{figures}_seed{seed}"
        admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(postgres).set(database=name).render_as_string(hide_password=False)
    environment = {**os.environ, "DATABASE_URL": url}
    for command in (["migrate"], ["seed", "--synthetic", str(figures), "--seed", str(seed)]):
        subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [PYTHON, "-m", "app", *command], cwd=PROJECT_ROOT, env=environment, check=True
        )
    return url


class MemorySampler:
    """Samples the resident memory of a process and its children until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_total_kib = 0
        self.peak_process_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> list[int]:
        pids = [self.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.pid:
                    pids.append(int(entry.name))
        return pids

    @staticmethod
    def _rss_kib(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def sample(self) -> None:
        """Take one sample now."""
        sizes = [self._rss_kib(pid) for pid in self._tree()]
        self.peak_total_kib = max(self.peak_total_kib, sum(sizes))
        self.peak_process_kib = max(self.peak_process_kib, max(sizes, default=0))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(0.05)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _wrk(url: str, connections: int, duration: float) -> tuple[float, float, float, int]:
    """Return requests/s, p50 and p99 in ms, and errors, as wrk measures them."""
    output = subprocess.run(  # noqa: S603 (wrk from the system packages)
        [
            shutil.which("wrk") or "/usr/bin/wrk",
            "-t2",
            f"-c{connections}",
            f"-d{max(int(duration), 1)}s",
            "--timeout",
            "30s",
            "--latency",
            "--header",
            f"Accept-Encoding: {ACCEPT_ENCODING}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return rate, _ms(percentiles["50"]), _ms(percentiles["99"]), failed


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


async def _python_load(
    host: str, port: int, path: str, connections: int, duration: float
) -> tuple[float, float, float, int]:
    """Return requests/s, p50 and p99 in ms, and errors, from keep-alive HTTP/1.1 connections."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: {ACCEPT_ENCODING}\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + duration

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = re.search(rb"(?i)content-length:\s*(\d+)", head)
                if length is None:
                    raise RuntimeError("the Python load generator needs a Content-Length")
                await reader.readexactly(int(length.group(1)))
                latencies.append(time.perf_counter() - started)
                errors += status >= 400
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    if not latencies:
        return 0.0, 0.0, 0.0, errors

    def percentile(fraction: float) -> float:
        return latencies[min(int(len(latencies) * fraction), len(latencies) - 1)] * 1000

    return len(latencies) / elapsed, percentile(0.50), percentile(0.99), errors


def load(base_url: str, path: str, tool: str, connections: int, duration: float) -> Measure:
    """Return the measure of one path under load."""
    if tool == "wrk":
        numbers = _wrk(base_url + path, connections, duration)
    else:
        host, port = base_url.removeprefix("http://").split(":")
        numbers = asyncio.run(_python_load(host, int(port), path, connections, duration))
    return Measure("", path, *numbers)


def _warm(base_url: str, path: str, rounds: int) -> float:
    """Request a path `rounds` times (every worker renders it once); return the first one's ms."""
    started = time.perf_counter()
    status, _ = _get(base_url + path)
    first = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    for _ in range(rounds - 1):
        _get(base_url + path)
    return first


def _start(command: list[str], environment: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        command, cwd=PROJECT_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure(
    database: str,
    figures: int,
    url: str,
    *,
    tool: str,
    connections: int,
    duration: float,
    datasette: bool,
    export: bool,
) -> Run:
    """Serve the database and measure every path, Datasette and the export; return the numbers."""
    run = Run(database, figures, tool, connections, duration)
    cache_dir = tempfile.mkdtemp(prefix="bench-exports-")
    environment = {
        "SECRET_KEY": "benchmark",
        "EXPORT_CACHE_DIR": cache_dir,
        # No downloads built ahead in the background: they would compete with the pages
        # measured, and the first download below measures the build itself.
        "EXPORT_PREBUILD_SECONDS": "0",
    }
    log = Path(cache_dir) / "server.log"
    server = ServerProcess(
        url, log, workers=2, environment=environment, arguments=("--app", BENCH_APP)
    )
    base_url = server.base_url
    server.start()
    try:
        # Two seconds of load first: the second worker may still be starting when the first
        # answers, and the first path measured would pay for it.
        load(base_url, PATHS["bare"], tool, connections, 2)
        with MemorySampler(_pid(server)) as memory:
            memory.sample()
            run.memory_mib["idle_total"] = memory.peak_total_kib / 1024
            for name, path in PATHS.items():
                try:
                    first = _warm(base_url, path, rounds=8)
                    measured = load(base_url, path, tool, connections, duration)
                except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
                    print(f"  {name}: failed ({error!r}); the server log follows")
                    print(server.log_tail(1500))
                    measured = Measure(name, path, 0.0, 0.0, 0.0, -1)
                    run.measures.append(measured)
                    _wait_until_up(base_url + "/healthz", server.process)
                    continue
                measured.name, measured.first_ms = name, first
                run.measures.append(measured)
                print(f"  {database} {figures:,} {name}: {measured.requests_per_second:,.0f}/s")
            run.memory_mib["pages_peak_process"] = memory.peak_process_kib / 1024
            run.memory_mib["peak_total"] = memory.peak_total_kib / 1024
        if export:
            # A server started afresh: its memory is the export's, not the pages' before it.
            server.stop()
            server.start()
            with MemorySampler(_pid(server)) as memory:
                run.export = _export(base_url, figures_published(url))
                run.memory_mib["export_peak_process"] = memory.peak_process_kib / 1024
                run.memory_mib["export_peak_total"] = memory.peak_total_kib / 1024
    except Exception:
        print(server.log_tail(), file=sys.stderr)
        raise
    finally:
        server.stop()
        shutil.rmtree(cache_dir, ignore_errors=True)
    if datasette and database == "sqlite":
        run.measures.append(_datasette(url, tool, connections, duration))
    return run


def figures_published(url: str) -> int:
    """Return the number of published figures in the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(text("SELECT count(*) FROM figures WHERE status = 'published'"))
    engine.dispose()
    return int(count or 0)


def _export(base_url: str, rows: int) -> dict[str, float]:
    """Download the CSV export twice (built, then from its cache); return seconds and rows/s."""
    numbers: dict[str, float] = {"rows": rows}
    for label in ("first", "cached"):
        started = time.perf_counter()
        size = 0
        with urllib.request.urlopen(base_url + "/export/figures.csv", timeout=3600) as response:  # noqa: S310
            while chunk := response.read(1 << 20):
                size += len(chunk)
        seconds = time.perf_counter() - started
        numbers[f"{label}_seconds"] = seconds
        numbers[f"{label}_rows_per_second"] = rows / seconds
        numbers["mib"] = size / 1024 / 1024
    return numbers


def _datasette(url: str, tool: str, connections: int, duration: float) -> Measure:
    """Return the measure of the Nepal query on Datasette serving the same SQLite file read-only."""
    executable = shutil.which("datasette") or str(Path(PYTHON).with_name("datasette"))
    path = Path(url.removeprefix("sqlite:///"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    query = f"/{path.stem}/figures.json?{DATASETTE_QUERY}"
    with tempfile.TemporaryFile() as log:
        server = _start(
            [executable, "serve", "--immutable", str(path), "--port", str(port)],
            dict(os.environ),
            log,
        )
        try:
            _wait_until_up(base_url + "/-/versions.json", server)
            first = _warm(base_url, query, rounds=8)
            measured = load(base_url, query, tool, connections, duration)
            measured.name, measured.first_ms = "datasette", first
            return measured
        finally:
            _stop(server)


def _measure_of(run: Run, name: str) -> Measure | None:
    return next((m for m in run.measures if m.name == name), None)


def report(run: Run) -> list[str]:
    """Return the table of one run and its ratios, as printed."""
    lines = [
        f"== {run.database}, {run.figures:,} figures ({run.tool}, {run.connections} connections,"
        f" {run.duration:g} s each)",
        f"{'what':<10} {'path':<62} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'first ms':>9} {'errors':>6}",
    ]
    for m in run.measures:
        first = f"{m.first_ms:9.1f}" if m.first_ms is not None else f"{'':9}"
        lines.append(
            f"{m.name:<10} {m.path[:62]:<62} {m.requests_per_second:9.0f} {m.p50_ms:8.1f}"
            f" {m.p99_ms:8.1f} {first} {m.errors:6d}"
        )
    bare = _measure_of(run, "bare")
    if bare and bare.requests_per_second:
        for name in ("overview", "country", "metric", "api"):
            page = _measure_of(run, name)
            if page:
                share = page.requests_per_second / bare.requests_per_second
                lines.append(f"ratio {name} / bare endpoint: {share:.2f}")
    api, datasette = _measure_of(run, "api"), _measure_of(run, "datasette")
    if api and datasette and datasette.requests_per_second:
        ratio = api.requests_per_second / datasette.requests_per_second
        lines.append(f"ratio our API / Datasette (same Nepal query): {ratio:.2f}")
    if run.export:
        e = run.export
        lines.append(
            f"CSV export of {int(e['rows']):,} figures ({e['mib']:.0f} MiB): first {e['first_seconds']:.1f} s"
            f" ({e['first_rows_per_second']:,.0f} rows/s), cached {e['cached_seconds']:.2f} s"
            f" ({e['cached_rows_per_second']:,.0f} rows/s)"
        )
    memory = ", ".join(f"{name} {value:.0f} MiB" for name, value in run.memory_mib.items())
    lines.append(f"server memory: {memory}")
    return lines


def add_dataset_arguments(parser: argparse.ArgumentParser, figures: list[int]) -> None:
    """Add the options naming the synthetic datasets: sizes, databases, seed, where they are kept."""
    parser.add_argument("--figures", type=int, nargs="+", default=figures)
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"]
    )
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=PROJECT_ROOT / "var" / "bench")


def prepared_datasets(arguments: argparse.Namespace) -> Iterator[tuple[str, int, str]]:
    """Yield each database and size of the options with its URL, the database filled first."""
    for database in arguments.databases:
        for figures in arguments.figures:
            url = prepare_database(
                database, figures, arguments.seed, arguments.data_dir, arguments.postgres
            )
            yield database, figures, url


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of the load: connections, seconds a path, load generator, Datasette or not."""
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10, help="seconds of load a path")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--no-datasette", action="store_true")


def load_options(arguments: argparse.Namespace) -> dict[str, Any]:
    """Return measure()'s options of the load as the arguments ask for them."""
    return {
        "tool": load_tool(arguments.tool),
        "connections": arguments.connections,
        "duration": arguments.duration,
        "datasette": not arguments.no_datasette and datasette_installed(),
    }


def load_tool(wanted: str) -> str:
    """Return the load generator to use: wrk when asked for or, by default, when installed."""
    if wanted == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    return wanted


def datasette_installed() -> bool:
    """Return True when Datasette can be started (the `bench` extra), saying so when it cannot."""
    if shutil.which("datasette") or Path(PYTHON).with_name("datasette").exists():
        return True
    print("datasette is not installed: skipping it (pip install -e '.[bench]')")
    return False


def append_json_line(path: Path, found: dict[str, Any]) -> None:
    """Append one result to a JSON-lines file (made with its folder when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        handle.write(json.dumps(found) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run every size on every database, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_dataset_arguments(parser, [10_000, 100_000])
    add_load_arguments(parser)
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--json", type=Path, help="append the numbers to this JSON-lines file")
    arguments = parser.parse_args(argv)
    options = load_options(arguments)
    for database, figures, url in prepared_datasets(arguments):
        run = measure(database, figures, url, **options, export=not arguments.no_export)
        print("\n".join(report(run)), flush=True)
        if arguments.json:
            append_json_line(arguments.json, asdict(run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
