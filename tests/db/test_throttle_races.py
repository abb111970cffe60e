"""The submission and login limits hold under 20 truly concurrent requests to the real server
(two worker processes): counting and recording a hit is one atomic statement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import func, select

from app.db import make_engine, transaction
from app.models import Submission
from reliability.traffic import post_all_at_once
from servers import TEST_SECRET_KEY, running_server
from support import MODERATOR, seed_with_moderator, submission_form

CONCURRENT = 20
LIMIT = 5


@pytest.fixture
def limited_server(empty_database: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Yield a real server's URL (two workers, 5 submissions an hour) and its database's URL."""
    seed_with_moderator(empty_database)
    environment = {
        "SECRET_KEY": TEST_SECRET_KEY,
        "SUBMISSIONS_PER_HOUR": str(LIMIT),
        "LOGIN_FAILURES_PER_ACCOUNT": str(LIMIT),
    }
    with running_server(
        empty_database, tmp_path / "server.log", workers=2, environment=environment
    ) as base_url:
        yield base_url, empty_database


def all_at_once(base_url: str, path: str, fields: Callable[[int], dict[str, str]]) -> Counter[int]:
    """Load the form in CONCURRENT sessions, then post them all at the same moment; count statuses."""
    clients = [httpx2.Client(base_url=base_url, timeout=60) for _ in range(CONCURRENT)]
    statuses = post_all_at_once(clients, path, fields, base_url)
    for client in clients:
        client.close()
    return statuses


def test_twenty_concurrent_submissions_store_exactly_the_limit(
    limited_server: tuple[str, str],
) -> None:
    base_url, database_url = limited_server
    statuses = all_at_once(
        base_url,
        "/submit",
        lambda number: submission_form(low=str(number + 1), high=str(number + 1)),
    )
    assert statuses == Counter({303: LIMIT, 429: CONCURRENT - LIMIT})
    engine = make_engine(database_url)
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == LIMIT
    engine.dispose()


def test_twenty_concurrent_wrong_passwords_get_exactly_the_limit_checked(
    limited_server: tuple[str, str],
) -> None:
    base_url, _database_url = limited_server
    statuses = all_at_once(
        base_url,
        "/login",
        lambda number: {"username": MODERATOR, "password": f"wrong guess {number}"},
    )
    assert statuses == Counter({401: LIMIT, 429: CONCURRENT - LIMIT})
