"""Whom the limits count: failed logins by account and client address together (an attacker cannot
lock a moderator out from elsewhere), a slower back-off per account that still lets the right
password in, and IPv6 clients by their /64 network."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import queries
from app.domain.throttles import login_backoff_seconds, rate_limit_address
from app.main import create_app
from app.passwords import hash_password
from app.settings import Settings
from app.web.deps import app_state_of
from servers import TEST_SECRET_KEY
from support import (
    MODERATOR,
    MODERATOR_PASSWORD,
    csrf_from,
    seed_with_moderator,
    submission_form,
    use_test_session,
)

ATTACKER = "198.51.100.7"
MODERATOR_ADDRESS = "203.0.113.5"


def from_address(app: FastAPI, host: str) -> TestClient:
    """Return a client of the app whose requests come from this address."""
    return TestClient(app, client=(host, 40000))


def log_in(client: TestClient, password: str) -> int:
    token = csrf_from(client.get("/login").text)
    fields = {"csrf_token": token, "username": MODERATOR, "password": password, "next": "/review"}
    return client.post("/login", data=fields, follow_redirects=False).status_code


def submit(client: TestClient, number: int) -> int:
    token = csrf_from(client.get("/submit").text)
    fields = {"csrf_token": token, **submission_form(low=str(number), high=str(number))}
    return client.post("/submit", data=fields, follow_redirects=False).status_code


def app_on_test_session(session: Session, database_url: str, **settings: Any) -> FastAPI:
    app = create_app(Settings(database_url=database_url, secret_key=TEST_SECRET_KEY, **settings))
    use_test_session(app, session)
    return app


def test_an_attacker_at_one_address_leaves_a_moderator_at_another_unaffected(
    session: Session, database_url: str
) -> None:
    queries.add_moderator(
        session, username=MODERATOR, password_hash=hash_password(MODERATOR_PASSWORD)
    )
    app = app_on_test_session(session, database_url)
    attacker = from_address(app, ATTACKER)
    assert [log_in(attacker, f"guess {number}") for number in range(5)] == [401] * 5
    assert log_in(attacker, "guess 5") == 429
    assert log_in(attacker, MODERATOR_PASSWORD) == 429  # not even the right password, from here
    moderator = from_address(app, MODERATOR_ADDRESS)
    assert log_in(moderator, MODERATOR_PASSWORD) == 303
    assert moderator.get("/review", follow_redirects=False).status_code == 200


def test_a_right_password_does_not_count_as_a_failure(session: Session, database_url: str) -> None:
    queries.add_moderator(
        session, username=MODERATOR, password_hash=hash_password(MODERATOR_PASSWORD)
    )
    app = app_on_test_session(session, database_url)
    moderator = from_address(app, MODERATOR_ADDRESS)
    for _ in range(3):
        assert [log_in(moderator, "mistyped"), log_in(moderator, MODERATOR_PASSWORD)] == [401, 303]
    assert [log_in(moderator, "mistyped") for _ in range(5)] == [401, 401, 429, 429, 429]


@pytest.fixture
def committed_app(empty_database: str) -> Iterator[Callable[..., FastAPI]]:
    """Yield a factory of apps (given settings) on a fresh seeded database with one moderator,
    whose requests commit as the real server's do."""
    seed_with_moderator(empty_database)
    apps: list[FastAPI] = []

    def build(**settings: Any) -> FastAPI:
        app = create_app(
            Settings(database_url=empty_database, secret_key=TEST_SECRET_KEY, **settings)
        )
        apps.append(app)
        return app

    yield build
    for app in apps:
        app_state_of(app).engine.dispose()


def test_many_addresses_failing_for_one_account_slow_its_logins_but_let_the_right_password_in(
    committed_app: Callable[..., FastAPI],
) -> None:
    step = 1.0
    app = committed_app(login_backoff_after_failures=6, login_backoff_step_seconds=step)
    for number in range(5):
        assert log_in(from_address(app, f"192.0.2.{number + 1}"), "botnet guess") == 401
    assert log_in(from_address(app, MODERATOR_ADDRESS), MODERATOR_PASSWORD) == 303
    assert log_in(from_address(app, "192.0.2.6"), "botnet guess") == 401
    assert log_in(from_address(app, "192.0.2.7"), "botnet guess") == 401
    began = time.monotonic()
    assert log_in(from_address(app, MODERATOR_ADDRESS), MODERATOR_PASSWORD) == 303
    assert time.monotonic() - began >= 2 * step  # seven failures: two steps of back-off


def test_an_ipv6_client_is_counted_by_its_64_network(session: Session, database_url: str) -> None:
    app = app_on_test_session(session, database_url, submissions_per_hour=4)
    same_network = ["2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2:abcd:1234:5678:9abc"]
    statuses = [submit(from_address(app, host), number) for number, host in enumerate(same_network)]
    statuses += [submit(from_address(app, "2001:db8:1:2::beef"), 10 + n) for n in range(2)]
    assert statuses == [303, 303, 303, 303, 429]
    assert submit(from_address(app, "2001:db8:1:3::1"), 20) == 303  # the next /64 is another client


@pytest.mark.parametrize(
    ("host", "counted_as"),
    [
        ("2001:DB8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("192.0.2.1", "192.0.2.1"),
        ("testclient", "testclient"),
    ],
)
def test_rate_limit_addresses(host: str, counted_as: str) -> None:
    assert rate_limit_address(host) == counted_as


@pytest.mark.parametrize(
    ("failures", "seconds"), [(0, 0.0), (19, 0.0), (20, 0.5), (23, 2.0), (10**6, 10.0)]
)
def test_login_backoff_grows_by_steps_up_to_its_most(failures: int, seconds: float) -> None:
    assert login_backoff_seconds(failures, after=20, step=0.5, most=10.0) == seconds
