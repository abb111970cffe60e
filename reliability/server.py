"""The real server as `python -m app serve --workers N` in its own process group: started,
killed with SIGKILL (master and workers at once), stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2

from app.settings import PROJECT_ROOT

SECRET_KEY = "reliability-suite-fixed-secret-key"  # noqa: S105 (for throwaway databases)
START_SECONDS = 90


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on now."""
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


class Server:
    """One instance of the dashboard on a fixed port, on one database."""

    def __init__(
        self,
        database_url: str,
        port: int,
        workers: int,
        log: Path,
        environment: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.port = port
        self.workers = workers
        self.log = log
        self.extra_environment = environment or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = f"http://127.0.0.1:{port}"

    def environment(self) -> dict[str, str]:
        """Return the server's environment: the database, a fixed key, no submission limit
        (unless the scenario's own settings say otherwise)."""
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            "SUBMISSIONS_PER_HOUR": str(10**9),
            "PUBLIC_BASE_URL": self.base_url,
            **self.extra_environment,
        }

    def start(self) -> float:
        """Start the server and wait until /healthz answers 200; return the seconds it took."""
        began = time.monotonic()
        command = [
            sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(self.port),
            "--workers", str(self.workers),
        ]  # fmt: skip
        with self.log.open("a") as output:
            output.write(f"\n--- start at {time.strftime('%H:%M:%S')}\n")
            output.flush()
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                command,
                cwd=PROJECT_ROOT,
                env=self.environment(),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        while time.monotonic() - began < START_SECONDS:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited; its log is {self.log}")
            if self.healthy():
                return time.monotonic() - began
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"the server did not answer /healthz; its log is {self.log}")

    def healthy(self) -> bool:
        """Return True when /healthz answers 200."""
        try:
            return httpx2.get(f"{self.base_url}/healthz", timeout=2).status_code == 200
        except httpx2.HTTPError:
            return False

    def processes(self) -> list[int]:
        """Return the ids of the server's processes (the master and its workers)."""
        return process_group(self.process.pid) if self.process else []

    def kill(self) -> int:
        """Kill every process of the server at once with SIGKILL; return how many there were."""
        if self.process is None:
            return 0
        members = self.processes()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.05)
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
        deadline = time.monotonic() + 10
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.processes():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None
