"""What an attacker would try on the forms: forged posts, oversized bodies, floods, races."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import queries
from app.db import make_engine, transaction
from app.main import create_app
from app.migrate import upgrade
from app.models import AuditEvent, Figure, FigureRevision, Submission
from app.operations.seeding import seed_demo
from app.passwords import hash_password
from app.settings import Settings
from support import MODERATOR, MODERATOR_PASSWORD, csrf_from, submission_form


def submissions(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Submission)) or 0)


@pytest.mark.parametrize(
    ("token", "headers"),
    [
        (None, {}),
        ("forged-token", {}),
        ("VALID", {"origin": "https://evil.example"}),
        ("VALID", {"origin": "null"}),
        ("VALID", {"sec-fetch-site": "cross-site"}),
        ("VALID", {"sec-fetch-site": "same-site"}),
    ],
)
def test_forged_submissions_are_refused_and_not_stored(
    client: TestClient, session: Session, token: str | None, headers: dict[str, str]
) -> None:
    valid = csrf_from(client.get("/submit").text)
    data = submission_form()
    if token is not None:
        data["csrf_token"] = valid if token == "VALID" else token
    response = client.post("/submit", data=data, headers=headers, follow_redirects=False)
    assert response.status_code == 403
    assert "321 were killed, the report says" in response.text  # what was typed is kept
    assert submissions(session) == 0


def test_a_token_from_another_session_is_refused(client: TestClient, session: Session) -> None:
    token = csrf_from(client.get("/submit").text)
    client.cookies.clear()
    response = client.post(
        "/submit", data={"csrf_token": token, **submission_form()}, follow_redirects=False
    )
    assert response.status_code == 403
    assert submissions(session) == 0


@pytest.mark.parametrize("path", ["/login", "/logout"])
def test_forged_login_and_logout_are_refused(client: TestClient, path: str) -> None:
    client.get("/login")
    response = client.post(path, data={"username": "x", "password": "y"}, follow_redirects=False)
    assert response.status_code == 403


def test_same_origin_posts_pass(client: TestClient, session: Session) -> None:
    token = csrf_from(client.get("/submit").text)
    response = client.post(
        "/submit",
        data={"csrf_token": token, **submission_form()},
        headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert submissions(session) == 1


def test_bodies_over_64_kib_are_answered_413(client: TestClient, session: Session) -> None:
    token = csrf_from(client.get("/submit").text)
    data = {"csrf_token": token, **submission_form(notes="x" * 70_000)}
    response = client.post("/submit", data=data, follow_redirects=False)
    assert response.status_code == 413
    assert "too large" in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert submissions(session) == 0


def test_streamed_bodies_over_the_limit_are_answered_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"a" * 8192

    response = client.post(
        "/submit",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 413


def test_other_encodings_are_refused(client: TestClient) -> None:
    token = csrf_from(client.get("/submit").text)
    response = client.post(
        "/submit",
        content=f"csrf_token={token}&quote=%FF%FE".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    json_body = client.post("/submit", json={"quote": "x"}, follow_redirects=False)
    assert json_body.status_code == 415


def test_submissions_are_rate_limited_per_client_with_a_clear_page(
    client: TestClient, session: Session
) -> None:
    for number in range(10):
        token = csrf_from(client.get("/submit").text)
        data = {"csrf_token": token, **submission_form(low=str(number), high=str(number))}
        assert client.post("/submit", data=data, follow_redirects=False).status_code == 303
    token = csrf_from(client.get("/submit").text)
    refused = client.post(
        "/submit", data={"csrf_token": token, **submission_form()}, follow_redirects=False
    )
    assert refused.status_code == 429
    assert "the most we accept from one address" in refused.text
    assert "321 were killed, the report says" in refused.text
    assert submissions(session) == 10


@pytest.fixture
def concurrent_app(empty_database: str) -> Iterator[tuple[str, int]]:
    """Yield a fresh database (seeded, one moderator, one pending submission) and that submission's id."""
    upgrade(empty_database)
    engine = make_engine(empty_database)
    with transaction(engine) as session:
        seed_demo(session)
        queries.add_moderator(
            session, username=MODERATOR, password_hash=hash_password(MODERATOR_PASSWORD)
        )
    app = create_app(Settings(database_url=empty_database, secret_key="test-secret-key"))
    with TestClient(app) as public:
        token = csrf_from(public.get("/submit").text)
        public.post("/submit", data={"csrf_token": token, **submission_form()})
    with transaction(engine) as session:
        submission_id = session.scalars(select(Submission.id)).one()
    engine.dispose()
    yield empty_database, submission_id


def test_two_concurrent_approvals_publish_one_figure(concurrent_app: tuple[str, int]) -> None:
    database_url, submission_id = concurrent_app
    app = create_app(Settings(database_url=database_url, secret_key="test-secret-key"))
    moderators = [TestClient(app), TestClient(app)]
    tokens = []
    for moderator in moderators:
        token = csrf_from(moderator.get("/login").text)
        moderator.post(
            "/login",
            data={"csrf_token": token, "username": MODERATOR, "password": MODERATOR_PASSWORD},
        )
        tokens.append(csrf_from(moderator.get("/review").text))
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def approve(moderator: TestClient, token: str) -> None:
        barrier.wait()
        response = moderator.post(
            f"/review/submissions/{submission_id}/approve",
            data={"csrf_token": token},
            follow_redirects=False,
        )
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=approve, args=pair) for pair in zip(moderators, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [303, 409]
    engine = make_engine(database_url)
    with transaction(engine) as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None and submission.status == "approved"
        figure = session.get(Figure, submission.figure_id)
        assert figure is not None and figure.status == "published"
        revisions = session.scalars(
            select(FigureRevision.reason).where(FigureRevision.figure_id == figure.id)
        ).all()
        assert sum(reason.startswith("approved") for reason in revisions) == 1
        approvals = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "approve")
        )
        assert approvals == 1
    engine.dispose()


def test_pages_without_forms_set_no_cookie(client: TestClient) -> None:
    assert "set-cookie" not in client.get("/countries/NPL").headers
    assert "set-cookie" not in client.get("/healthz").headers
    assert "sid=" in client.get("/submit").headers["set-cookie"]
