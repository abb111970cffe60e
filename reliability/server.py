"""The real server as `python -m app serve --workers N` in its own process group (harness.server),
with the suite's settings: a fixed key, no submission limit, its own address as the public one."""

from __future__ import annotations

from pathlib import Path

from harness.server import ServerProcess, free_port, is_healthy, process_group

__all__ = ["SECRET_KEY", "Server", "free_port", "process_group"]

SECRET_KEY = "reliability-suite-fixed-secret-key"  # noqa: S105 (for throwaway databases)


class Server(ServerProcess):
    """One instance of the dashboard on a fixed port, on one database."""

    def __init__(
        self,
        database_url: str,
        port: int,
        workers: int,
        log: Path,
        environment: dict[str, str] | None = None,
    ) -> None:
        super().__init__(database_url, log, port=port, workers=workers, environment=environment)

    def environment(self) -> dict[str, str]:
        """Return the server's environment: the database, a fixed key, no submission limit
        (unless the scenario's own settings say otherwise)."""
        return {
            **super().environment(),
            "SECRET_KEY": SECRET_KEY,
            "SUBMISSIONS_PER_HOUR": str(10**9),
            "PUBLIC_BASE_URL": self.base_url,
            **self.extra_environment,
        }

    def healthy(self) -> bool:
        """Return True when /healthz answers 200."""
        return is_healthy(self.base_url)
