"""Everything a route may depend on: the application's typed state, and the database sessions
(one per request, committed when the handler returns; a snapshot for downloads)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.settings import Settings
from app.web.downloads.kept_files import SNAPSHOT_FLAG

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates

    from app.web.http.static_files import StaticAsset
    from app.web.pages.page_cache import BodyCache, PageReads

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CONCURRENT_EXPORTS = 4  # downloads served at once; others wait for a slot


@dataclass(frozen=True)
class AppState:
    """What a running application holds: its settings, database, templates and kept pages."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]
    templates: Jinja2Templates
    static_assets: dict[str, StaticAsset]
    body_cache: BodyCache
    page_reads: PageReads
    secret_key: bytes


def set_app_state(app: FastAPI, state: AppState) -> None:
    """Attach the state to the application (done once, at start-up)."""
    app.state.dashboard = state


def app_state_of(app: FastAPI) -> AppState:
    """Return the state of the application."""
    state: AppState = app.state.dashboard
    return state


def app_state(request: Request) -> AppState:
    """Return the state of the application serving this request."""
    return app_state_of(request.app)


def get_session(request: Request) -> Iterator[Session]:
    """Yield a session in a transaction, committed after the handler, rolled back on error.

    Requests that may write take the database's write lock when their transaction begins.
    """
    state = app_state(request)
    factory = state.sessions if request.method in SAFE_METHODS else state.write_sessions
    with factory() as session, session.begin():
        yield session


@contextmanager
def snapshot_session(engine: Engine) -> Iterator[Session]:
    """Yield a read-only session that sees one snapshot of the data until it closes."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    with Session(engine, expire_on_commit=False, info={SNAPSHOT_FLAG: True}) as session:
        yield session


def get_snapshot_session(request: Request) -> Iterator[Session]:
    """Yield a read-only session on one snapshot, closed after the response has been sent."""
    with snapshot_session(app_state(request).engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SnapshotSessionDep = Annotated[
    Session,
    Depends(get_snapshot_session, scope="request", max_concurrency=CONCURRENT_EXPORTS),
]
