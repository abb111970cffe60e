"""Request dependencies: one database session per request, committed when the handler returns."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """Yield a session in a transaction, committed after the handler, rolled back on error.

    Requests that may write take the database's write lock when their transaction begins.
    """
    state = request.app.state
    factory = state.sessionmaker if request.method in SAFE_METHODS else state.write_sessionmaker
    with factory() as session, session.begin():
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
