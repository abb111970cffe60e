"""What the public revision history shows: it begins at publication (the submission as received
and edits made during review stay with moderators), and a moderator can redact a field of a past
revision, audited, which the public then sees as 'redacted'."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import queries
from app.domain.records import entered_values
from app.models import AuditEvent, Figure, RevisionRedaction, Submission
from app.passwords import hash_password
from support import MODERATOR, MODERATOR_PASSWORD, csrf_from, submission_form

PHONE = "+977 98012 34567"
PRIVATE_NAME = "Ram Bahadur Thapa"
DIRTY_QUOTE = f"321 were killed, says {PRIVATE_NAME} (call {PHONE})"
CLEAN_QUOTE = "321 were killed, a relative says"


@pytest.fixture
def moderator_client(client: TestClient, session: Session) -> TestClient:
    queries.add_moderator(
        session, username=MODERATOR, password_hash=hash_password(MODERATOR_PASSWORD)
    )
    token = csrf_from(client.get("/login").text)
    fields = {"csrf_token": token, "username": MODERATOR, "password": MODERATOR_PASSWORD}
    assert client.post("/login", data=fields, follow_redirects=False).status_code == 303
    return client


def act(client: TestClient, path: str, **fields: str):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/review").text)
    return client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)


def public_texts(client: TestClient, figure_id: int) -> tuple[str, str]:
    page = client.get(f"/figures/{figure_id}")
    api = client.get(f"/api/v1/figures/{figure_id}")
    assert page.status_code == api.status_code == 200
    return page.text, json.dumps(api.json(), ensure_ascii=False)


def test_edits_made_before_approval_stay_out_of_the_public_history(
    moderator_client: TestClient, session: Session
) -> None:
    token = csrf_from(moderator_client.get("/submit").text)
    form = submission_form(quote=DIRTY_QUOTE)
    posted = moderator_client.post("/submit", data={"csrf_token": token, **form})
    assert posted.status_code == 200
    submission = session.scalars(select(Submission)).one()
    cleaned = submission_form(quote=CLEAN_QUOTE, reason="removed a private name and phone")
    response = act(
        moderator_client, f"/review/submissions/{submission.id}/approve", edited="1", **cleaned
    )
    assert response.status_code == 303, response.text[:300]
    figure_id = submission.figure_id
    for text in public_texts(moderator_client, figure_id):
        assert PHONE not in text and PRIVATE_NAME not in text
        assert "edited before approval" not in text
        assert CLEAN_QUOTE in text
    revisions = moderator_client.get(f"/api/v1/figures/{figure_id}").json()["revisions"]
    assert [(r["created"], r["reason"].split(" #")[0], r["changes"]) for r in revisions] == [
        (True, "approved submission", {})
    ]
    moderators_view = moderator_client.get(f"/review/figures/{figure_id}").text
    assert PHONE in moderators_view and "edited before approval" in moderators_view


def edit_quote(client: TestClient, session: Session, figure: Figure, quote: str, why: str) -> None:
    record = queries.record_of(session, figure.id)
    assert record is not None
    values = {**entered_values(record), "quote": quote, "reason": why}
    response = act(client, f"/review/figures/{figure.id}/edit", **values)
    assert response.status_code == 303, response.text[:500]


def test_a_redacted_field_reads_redacted_publicly_and_the_redaction_is_audited(
    moderator_client: TestClient, session: Session
) -> None:
    figure = queries.figure_by_external_ref(session, "E16a")
    assert figure is not None
    original = figure.quote
    edit_quote(moderator_client, session, figure, DIRTY_QUOTE, "added the source's words")
    edit_quote(moderator_client, session, figure, CLEAN_QUOTE, "removed personal details")
    page, api = public_texts(moderator_client, figure.id)
    assert PHONE in page and PHONE in api  # the slip is public until it is redacted
    numbers = [revision.number for revision in queries.revisions_of(session, figure.id)]
    slip = numbers[-2]
    refused = act(moderator_client, f"/review/figures/{figure.id}/redact", revision=str(slip))
    assert refused.status_code == 400 and 'id="error-redact"' in refused.text
    assert session.scalars(select(RevisionRedaction)).first() is None
    response = act(
        moderator_client,
        f"/review/figures/{figure.id}/redact",
        revision=str(slip),
        field="quote",
        reason="a private phone number",
    )
    assert response.status_code == 303, response.text[:500]
    page, api = public_texts(moderator_client, figure.id)
    for text in (page, api):
        assert PHONE not in text and PRIVATE_NAME not in text
    assert page.count('<em class="redacted">redacted</em>') == 2  # after the slip, before the fix
    changes = [r["changes"] for r in json.loads(api)["revisions"] if "quote" in r["changes"]]
    assert changes[-2]["quote"] == {
        "before": original,
        "after": "redacted",
        "redacted": True,
    }
    assert changes[-1]["quote"] == {"before": "redacted", "after": CLEAN_QUOTE, "redacted": True}
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "redact")).one()
    assert (event.actor, event.reason) == (MODERATOR, "a private phone number")
    assert event.after == {"revision": slip, "field": "quote"}
    moderators_view = moderator_client.get(f"/review/figures/{figure.id}").text
    assert PHONE in moderators_view and "a private phone number" in moderators_view
    again = act(
        moderator_client,
        f"/review/figures/{figure.id}/redact",
        revision=str(slip),
        field="quote",
        reason="twice",
    )
    assert again.status_code == 400 and "redacted already" in again.text
    assert 'value="twice"' in again.text  # what was typed is kept
