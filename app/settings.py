"""Configuration from the environment, read when the application is built, never at import."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "dashboard.sqlite3"


class Settings(BaseSettings):
    """Settings for one running instance of the dashboard."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    # A streaming replica of DATABASE_URL that public pages, the API and downloads read from;
    # writes and moderators' own pages use DATABASE_URL. Empty: everything uses DATABASE_URL.
    database_replica_url: str = ""
    # False behind a pooler in transaction mode (PgBouncer): no server-side prepared statements,
    # which belong to one server connection and would be missing on the next (docs/deployment.md).
    database_prepared_statements: bool = True
    secret_key: str = ""
    site_name: str = "Foreign recruits in Russia's army: the estimates"
    public_base_url: str = "http://127.0.0.1:8000"
    # Addresses (or networks, comma-separated) of the reverse proxies in front of the server. Only
    # their X-Forwarded-For and X-Forwarded-Proto are believed: the client's address (which the
    # rate limits count) and whether it came over https. Empty: no proxy, no forwarded headers.
    forwarded_allow_ips: str = ""
    sql_echo: bool = False
    max_body_bytes: int = 64 * 1024
    # A request's headers must arrive within this many seconds of its first byte, its body within
    # the next; a slower client is disconnected (app.serving). Served by `python -m app serve`.
    request_header_timeout_seconds: float = 10.0
    request_body_timeout_seconds: float = 30.0
    # A download whose reader takes no bytes for this long is cut off, freeing its slot (one of
    # app.web.deps.CONCURRENT_EXPORTS).
    export_reader_timeout_seconds: float = 30.0
    submissions_per_hour: int = 10
    # Failed logins for one account from one client (an IPv6 client's /64), and for any accounts
    # from one client, in the last one or two windows: past either, that client gets 429.
    login_failures_per_account: int = 5
    login_failures_per_client: int = 20
    login_window_seconds: int = 15 * 60
    # Past this many failed logins for one account from all clients together in the last one or
    # two back-off windows, each login for it waits a step longer (at most the most) before its
    # password is checked; the right password still gets in.
    login_backoff_after_failures: int = 20
    login_backoff_window_seconds: int = 60 * 60
    login_backoff_step_seconds: float = 0.5
    login_backoff_most_seconds: float = 10.0
    login_session_hours: int = 12
    page_cache_bytes: int = 64 * 1024 * 1024
    page_cache_entries: int = 20_000
    export_cache_dir: str = str(PROJECT_ROOT / "var" / "cache" / "exports")
    # The kept downloads together take at most this much disk; the oldest go first.
    export_cache_max_bytes: int = 2 * 1024 * 1024 * 1024
    # How often each server process looks for a new dataset version whose full downloads it
    # should build ahead (app.web.downloads.built_ahead); 0 builds nothing ahead.
    export_prebuild_seconds: float = 10.0


def load_settings() -> Settings:
    """Return settings read from the environment now."""
    return Settings()
