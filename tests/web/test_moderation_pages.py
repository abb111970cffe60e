"""Moderation: login, the review queue, approve, reject, edit, retract, revisions and the audit trail."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import queries
from app.models import AuditEvent, Figure, Submission
from app.passwords import hash_password
from support import MODERATOR, MODERATOR_PASSWORD, csrf_from, submission_form

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def moderator(session: Session) -> str:
    queries.add_moderator(
        session, username=MODERATOR, password_hash=hash_password(MODERATOR_PASSWORD)
    )
    return MODERATOR


def log_in(client: TestClient, username: str = MODERATOR, password: str = MODERATOR_PASSWORD):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": password, "next": "/review"},
        follow_redirects=False,
    )


def submit(client: TestClient, **changes: str) -> str:
    """Send a public submission and return its status page's address."""
    token = csrf_from(client.get("/submit").text)
    response = client.post(
        "/submit", data={"csrf_token": token, **submission_form(**changes)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def pending(session: Session) -> Submission:
    return session.scalars(select(Submission).where(Submission.status == "pending")).one()


def act(client: TestClient, path: str, **fields: str):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/review").text)
    return client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)


def test_login_changes_the_session_id_and_sets_safe_cookies(
    client: TestClient, moderator: str
) -> None:
    client.get("/login")
    before = client.cookies.get("sid")
    response = log_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/review"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # served over plain http in the tests
    assert client.cookies.get("sid") != before
    assert client.get("/review").status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: TestClient, moderator: str
) -> None:
    wrong = log_in(client, password="not the password at all")
    unknown = log_in(client, username="nobody-here")
    assert wrong.status_code == unknown.status_code == 401
    message = "Wrong username or password."
    assert message in wrong.text and message in unknown.text
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_logins_are_throttled_per_account(client: TestClient, moderator: str) -> None:
    for _ in range(5):
        assert log_in(client, password="wrong password here").status_code == 401
    throttled = log_in(client)
    assert throttled.status_code == 429
    assert "Too many failed logins" in throttled.text
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_logins_are_throttled_per_client_across_accounts(
    client: TestClient, moderator: str
) -> None:
    for number in range(20):
        assert (
            log_in(client, username=f"guess{number}", password="wrong password").status_code == 401
        )
    assert log_in(client).status_code == 429


def test_logout_revokes_the_session(client: TestClient, moderator: str) -> None:
    log_in(client)
    old_sid = client.cookies.get("sid")
    token = csrf_from(client.get("/review").text)
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert client.get("/review", follow_redirects=False).status_code == 303
    client.cookies.set("sid", old_sid or "")
    assert client.get("/review", follow_redirects=False).status_code == 303


def _all_routes(routes: list[Any], prefix: str = "") -> list[tuple[str, APIRoute]]:
    """Return every API route with its full path, inside included routers too."""
    found: list[tuple[str, APIRoute]] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found += _all_routes(included.routes, prefix + route.include_context.prefix)
        elif isinstance(route, APIRoute):
            found.append((prefix + route.path, route))
    return found


def _moderation_routes(client: TestClient) -> list[tuple[str, APIRoute]]:
    app = client.app
    routes = [(path, r) for path, r in _all_routes(app.routes) if path.startswith("/review")]  # type: ignore[attr-defined]
    documented = {p for p in app.openapi()["paths"] if p.startswith("/review")}  # type: ignore[attr-defined]
    assert documented <= {path for path, _ in routes}
    return routes


def test_every_moderation_route_refuses_visitors(client: TestClient, session: Session) -> None:
    submit(client)
    submission = pending(session)
    routes = _moderation_routes(client)
    assert len(routes) >= 7
    for template, route in routes:
        path = re.sub(r"\{submission_id\}", str(submission.id), template)
        path = re.sub(r"\{figure_id\}", str(submission.figure_id), path)
        for method in route.methods:
            if method == "GET":
                response = client.get(path, follow_redirects=False)
                assert response.status_code == 303, path
                assert response.headers["location"].startswith("/login")
            else:
                token = csrf_from(client.get("/submit").text)
                response = client.request(
                    method, path, data={"csrf_token": token, "reason": "x"}, follow_redirects=False
                )
                assert response.status_code == 403, (method, path)
    assert pending(session).figure.status == "pending"


def test_the_queue_shows_pending_submissions_oldest_first_with_duplicates(
    client: TestClient, session: Session, moderator: str
) -> None:
    submit(client, claimant="First")
    submit(client, claimant="Second")
    log_in(client)
    page = client.get("/review").text
    assert page.index("First") < page.index("Second")
    assert page.count("Possible duplicate") == 2
    assert "104 persons" in page  # the published killed figures beside them


def test_the_queue_and_the_submission_warn_of_text_that_may_identify_a_person(
    client: TestClient, session: Session, moderator: str
) -> None:
    submit(client, quote="His mother Sita Sharma can be reached on +977 980 123 4567.")
    submit(client, claimant="Another", source_url="https://example.org/clean")
    submission = session.scalars(select(Submission).order_by(Submission.id)).first()
    assert submission is not None
    log_in(client)
    queue = client.get("/review").text
    assert queue.count("Personal data?") == 1
    assert "quote: a name next to a phone number" in queue
    page = client.get(f"/review/submissions/{submission.id}").text
    assert "Personal data?" in page and "edit, then approve" in page


def test_approve_publishes_and_audits(client: TestClient, session: Session, moderator: str) -> None:
    submit(client)
    submission = pending(session)
    log_in(client)
    response = act(client, f"/review/submissions/{submission.id}/approve", reason="checked")
    assert response.status_code == 303
    location = f"/review?done=approve&figure={submission.figure_id}"
    assert response.headers["location"] == location
    assert f"Approved: figure #{submission.figure_id} is published." in client.get(location).text
    session.expire_all()
    figure = session.get(Figure, submission.figure_id)
    assert figure is not None and figure.status == "published"
    assert submission.status == "approved" and submission.decided_by == MODERATOR
    assert [r.number for r in figure.revisions] == [1, 2]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "approve")).one()
    assert event.actor == MODERATOR and event.object_id == str(submission.id)
    assert event.before is not None and event.before["status"] == "pending"
    assert event.after is not None and event.after["status"] == "published"
    assert f'data-figure-id="{figure.id}"' in client.get("/countries/NPL").text
    history = client.get(f"/figures/{figure.id}").text
    assert "approved submission" in history
    second = act(client, f"/review/submissions/{submission.id}/approve")
    assert second.status_code == 409


def test_reject_keeps_everything_and_says_why(
    client: TestClient, session: Session, moderator: str
) -> None:
    status_page = submit(client)
    submission = pending(session)
    log_in(client)
    assert act(client, f"/review/submissions/{submission.id}/reject").status_code == 409
    response = act(client, f"/review/submissions/{submission.id}/reject", reason="no such article")
    assert response.status_code == 303
    notice = client.get(response.headers["location"]).text
    assert f"Rejected: figure #{submission.figure_id} stays stored, never public." in notice
    session.expire_all()
    stored = session.get(Submission, submission.id)
    assert stored is not None and stored.status == "rejected"
    assert stored.figure.status == "rejected"
    assert client.get(f"/figures/{stored.figure_id}").status_code == 404
    assert "quote=321+were+killed" in stored.raw_body
    status = client.get(status_page).text
    assert "rejected" in status and "no such article" in status
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "reject")).one()


def test_edit_then_approve_writes_both_revisions(
    client: TestClient, session: Session, moderator: str
) -> None:
    submit(client)
    submission = pending(session)
    log_in(client)
    edited = submission_form(low="320", high="320", reason="typo in the number")
    response = act(client, f"/review/submissions/{submission.id}/approve", edited="1", **edited)
    assert response.status_code == 303, response.text
    session.expire_all()
    figure = session.get(Figure, submission.figure_id)
    assert figure is not None and figure.status == "published"
    assert str(figure.low) == "320"
    reasons = [revision.reason for revision in figure.revisions]
    assert reasons[1].startswith("edited before approval") and reasons[2].startswith("approved")
    assert figure.revisions[1].previous_state is not None
    assert figure.revisions[1].previous_state["low"] == "321"


def test_invalid_edits_are_shown_and_nothing_is_decided(
    client: TestClient, session: Session, moderator: str
) -> None:
    submit(client)
    submission = pending(session)
    log_in(client)
    bad = submission_form(low="many")
    response = act(client, f"/review/submissions/{submission.id}/approve", edited="1", **bad)
    assert response.status_code == 400 and 'id="error-low"' in response.text
    assert 'value="many"' in response.text
    session.expire_all()
    assert pending(session).id == submission.id


def test_edit_and_retract_a_published_figure(
    client: TestClient, session: Session, moderator: str
) -> None:
    figure = queries.figure_by_external_ref(session, "E16a")
    assert figure is not None
    log_in(client)
    page = client.get(f"/review/figures/{figure.id}")
    assert page.status_code == 200
    fields = dict(re.findall(r'name="(\w+)" type="\w+" value="([^"]*)"', page.text))
    assert fields["claimant"].startswith("Russian government")
    no_reason = act(client, f"/review/figures/{figure.id}/retract")
    assert no_reason.status_code == 400
    response = act(client, f"/review/figures/{figure.id}/retract", reason="single small outlet")
    assert response.status_code == 303
    assert response.headers["location"] == f"/review/figures/{figure.id}?done=retract"
    assert (
        "Retracted: the figure is no longer shown" in client.get(response.headers["location"]).text
    )
    assert "Retracted:" not in client.get(f"/review/figures/{figure.id}").text
    session.expire_all()
    assert figure.status == "retracted"
    public = client.get(f"/figures/{figure.id}")
    assert public.status_code == 410 and "has been retracted" in public.text
    assert "single small outlet" in public.text
    assert f'data-figure-id="{figure.id}"' not in client.get("/countries/NPL").text
    reinstated = act(client, f"/review/figures/{figure.id}/reinstate", reason="confirmed")
    assert reinstated.status_code == 303
    notice = client.get(reinstated.headers["location"]).text
    assert (
        '<p class="flash" role="status" id="notice">Reinstated: the figure is published again.'
        in (notice)
    )
    session.expire_all()
    assert figure.status == "published"
    actions = [
        e.action
        for e in queries.audit_events_for(session, object_type="figure", object_id=figure.id)
    ]
    assert actions == ["retract", "reinstate"]


def test_hostile_text_is_escaped_on_the_review_pages(
    client: TestClient, session: Session, moderator: str
) -> None:
    submit(
        client,
        claimant=HOSTILE,
        quote=HOSTILE,
        notes=HOSTILE,
        counted_as=HOSTILE,
        submitter_name=HOSTILE,
    )
    submission = pending(session)
    log_in(client)
    for path in (
        "/review",
        f"/review/submissions/{submission.id}",
        f"/review/figures/{submission.figure_id}",
    ):
        text = client.get(path).text
        assert HOSTILE not in text, path
        assert "&lt;script&gt;" in text, path
    act(client, f"/review/submissions/{submission.id}/approve")
    for path in (f"/figures/{submission.figure_id}", "/countries/NPL"):
        text = client.get(path).text
        assert HOSTILE not in text and "&lt;script&gt;" in text, path
