"""The real server (`python -m app serve`) in a subprocess of its own process group: started,
waited for until /healthz answers 200, stopped (or killed, master and workers at once)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2

from app.settings import PROJECT_ROOT

START_SECONDS = 90


def free_port() -> int:
    """Return a loopback TCP port that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def process_group(pgid: int) -> list[int]:
    """Return the ids of the live processes in a process group."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return sorted(members)


def is_healthy(base_url: str) -> bool:
    """Return True when the server at base_url answers /healthz with 200."""
    try:
        return httpx2.get(f"{base_url}/healthz", timeout=2).status_code == 200
    except httpx2.HTTPError:
        return False


class ServerProcess:
    """One instance of the dashboard on a port, serving one database, logging to a file."""

    def __init__(
        self,
        database_url: str,
        log: Path,
        *,
        port: int | None = None,
        workers: int = 1,
        environment: dict[str, str] | None = None,
        arguments: tuple[str, ...] = (),
    ) -> None:
        self.database_url = database_url
        self.log = log
        self.port = port or free_port()
        self.workers = workers
        self.extra_environment = environment or {}
        self.arguments = arguments
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """Return the server's environment: ours, its database and the caller's settings."""
        return {**os.environ, "DATABASE_URL": self.database_url, **self.extra_environment}

    def command(self) -> list[str]:
        """Return the command line that starts the server."""
        return [
            sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(self.port),
            "--workers", str(self.workers), *self.arguments,
        ]  # fmt: skip

    def start(self, timeout: float = START_SECONDS) -> float:
        """Start the server and wait until /healthz answers 200; return the seconds it took."""
        began = time.monotonic()
        with self.log.open("a") as output:
            output.write(f"\n--- start at {time.strftime('%H:%M:%S')}\n")
            output.flush()
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                self.command(),
                cwd=PROJECT_ROOT,
                env=self.environment(),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        while time.monotonic() - began < timeout:
            if self.process.poll() is not None:
                raise RuntimeError("the server exited:\n" + self.log_tail())
            if is_healthy(self.base_url):
                return time.monotonic() - began
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("the server did not answer /healthz:\n" + self.log_tail())

    def log_tail(self, characters: int = 4000) -> str:
        """Return the end of the server's log."""
        return self.log.read_text(errors="replace")[-characters:]

    def processes(self) -> list[int]:
        """Return the ids of the server's processes (the master and its workers)."""
        return process_group(self.process.pid) if self.process else []

    def _wait_for_group_to_end(self) -> None:
        deadline = time.monotonic() + 10
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.05)

    def kill(self) -> int:
        """Kill every process of the server at once with SIGKILL; return how many there were."""
        if self.process is None:
            return 0
        members = self.processes()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._wait_for_group_to_end()
        self.process = None
        return len(members)

    def stop(self) -> None:
        """Stop the server gracefully (SIGTERM to the group), killing it if it lingers."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self._wait_for_group_to_end()
        with contextlib.suppress(ProcessLookupError):
            if self.processes():
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None


@contextmanager
def running_server(
    database_url: str,
    log: Path,
    *,
    workers: int = 1,
    environment: dict[str, str] | None = None,
    arguments: tuple[str, ...] = (),
) -> Iterator[ServerProcess]:
    """Serve the database until the block ends; yield the started server (its base_url)."""
    server = ServerProcess(
        database_url, log, workers=workers, environment=environment, arguments=arguments
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
