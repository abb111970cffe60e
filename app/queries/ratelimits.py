"""Rate-limit counters per fixed window, kept in the database so every server worker shares them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import RateLimitWindow


def _window_start(now: datetime, window_seconds: int) -> int:
    return int(now.timestamp()) // window_seconds * window_seconds


def count_hits(
    session: Session, bucket: str, key_hash: str, window_seconds: int, now: datetime
) -> int:
    """Return the key's hits in the current and the previous window (so no limit resets abruptly)."""
    current = _window_start(now, window_seconds)
    query = select(func.sum(RateLimitWindow.hits)).where(
        RateLimitWindow.bucket == bucket,
        RateLimitWindow.key_hash == key_hash,
        RateLimitWindow.window_start.in_([current - window_seconds, current]),
    )
    return int(session.scalar(query) or 0)


def add_hit(
    session: Session, bucket: str, key_hash: str, window_seconds: int, now: datetime
) -> int:
    """Count one more hit for the key in the bucket's current window; return the new count."""
    values = {
        "bucket": bucket,
        "key_hash": key_hash,
        "window_start": _window_start(now, window_seconds),
        "hits": 1,
    }
    insert = postgres_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    upsert = (
        insert(RateLimitWindow)
        .values(**values)
        .on_conflict_do_update(
            index_elements=["bucket", "key_hash", "window_start"],
            set_={"hits": RateLimitWindow.hits + 1},
        )
    )
    return int(session.execute(upsert.returning(RateLimitWindow.hits)).scalar_one())
