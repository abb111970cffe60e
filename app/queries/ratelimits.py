"""Rate-limit counters per fixed window, kept in the database so every server worker shares them.

A request takes its hit and learns the key's count in one statement (an upsert that returns the
new count), so concurrent requests cannot all read the same count before any of them records.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import RateLimitWindow


def _window_start(now: datetime, window_seconds: int) -> int:
    return int(now.timestamp()) // window_seconds * window_seconds


def _of_key(bucket: str, key_hash: str) -> ColumnElement[bool]:
    return and_(RateLimitWindow.bucket == bucket, RateLimitWindow.key_hash == key_hash)


def count_hits(
    session: Session, *, bucket: str, key_hash: str, window_seconds: int, now: datetime
) -> int:
    """Return the key's hits in the current and the previous window (so no limit resets abruptly)."""
    current = _window_start(now, window_seconds)
    query = select(func.sum(RateLimitWindow.hits)).where(
        _of_key(bucket, key_hash),
        RateLimitWindow.window_start.in_([current - window_seconds, current]),
    )
    return int(session.scalar(query) or 0)


def take_hit(
    session: Session, *, bucket: str, key_hash: str, window_seconds: int, now: datetime
) -> int:
    """Count one more hit for the key and return its hits in this and the previous window, this one
    included; one statement, whose row lock makes concurrent hits of one key wait their turn."""
    current = _window_start(now, window_seconds)
    previous = (
        select(func.coalesce(func.sum(RateLimitWindow.hits), 0))
        .where(_of_key(bucket, key_hash), RateLimitWindow.window_start == current - window_seconds)
        .scalar_subquery()
    )
    insert = postgres_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    upsert = (
        insert(RateLimitWindow)
        .values(bucket=bucket, key_hash=key_hash, window_start=current, hits=1)
        .on_conflict_do_update(
            index_elements=["bucket", "key_hash", "window_start"],
            set_={"hits": RateLimitWindow.hits + 1},
        )
    )
    return int(session.execute(upsert.returning(RateLimitWindow.hits + previous)).scalar_one())


def give_back_hit(
    session: Session, *, bucket: str, key_hash: str, window_seconds: int, now: datetime
) -> None:
    """Take back a hit taken in this window (a request that turned out not to count)."""
    session.execute(
        update(RateLimitWindow)
        .where(
            _of_key(bucket, key_hash),
            RateLimitWindow.window_start == _window_start(now, window_seconds),
            RateLimitWindow.hits > 0,
        )
        .values(hits=RateLimitWindow.hits - 1)
    )
