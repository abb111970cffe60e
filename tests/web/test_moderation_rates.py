"""The moderators' exchange-rate pages: login and CSRF, add, edit with a revision and an audit
event, refused forms that keep what was typed, 'nothing changed', escaped output."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_moderation_pages import log_in

from app import queries
from app.models import ExchangeRate
from app.passwords import hash_password
from support import MODERATOR, MODERATOR_PASSWORD, csrf_from, rate_fields, rate_in


@pytest.fixture
def moderator(session: Session) -> str:
    queries.add_moderator(
        session, username=MODERATOR, password_hash=hash_password(MODERATOR_PASSWORD)
    )
    return MODERATOR


def _post(client: TestClient, path: str, **fields: str):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/review/rates").text)
    return client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)


def _add(client: TestClient, **changes: str) -> int:
    response = _post(client, "/review/rates/add", **rate_fields(**changes))
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/review/rates/(\d+)\?done=rate_add", response.headers["location"])
    assert match is not None
    assert "Added: the rate is stored with its first revision." in (
        client.get(response.headers["location"]).text
    )
    return int(match.group(1))


def test_the_pages_need_a_login(client: TestClient, session: Session, moderator: str) -> None:
    rate = queries.add_rate(session, rate_in(), changed_by="seed", reason="for the test")
    for path in ("/review/rates", f"/review/rates/{rate.id}"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
    token = csrf_from(client.get("/login").text)
    for path in ("/review/rates/add", f"/review/rates/{rate.id}/edit"):
        refused = client.post(path, data={"csrf_token": token, **rate_fields(reason="x")})
        assert refused.status_code == 403


def test_a_form_without_the_csrf_token_is_refused(
    client: TestClient, session: Session, moderator: str
) -> None:
    log_in(client)
    before = len(queries.list_rates(session))
    response = client.post("/review/rates/add", data=rate_fields(), follow_redirects=False)
    assert response.status_code == 403
    forged = client.post(
        "/review/rates/add",
        data={"csrf_token": "forged", **rate_fields()},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert len(queries.list_rates(session)) == before


def test_a_moderator_adds_a_rate_and_the_dataset_version_changes(
    client: TestClient, session: Session, moderator: str
) -> None:
    log_in(client)
    page = client.get("/review/rates").text
    assert '<meta name="robots" content="noindex">' in page
    assert 'href="/review/rates"' in client.get("/review").text
    version = queries.current_dataset_version(session)
    rate_id = _add(client, quote="<b>1 shilling</b> = $0.0077", external_ref="K1")
    assert queries.current_dataset_version(session) != version
    listing = client.get("/review/rates").text
    assert "&lt;b&gt;1 shilling&lt;/b&gt;" in listing and "<b>1 shilling" not in listing
    assert f'href="/review/rates/{rate_id}"' in listing
    assert "0.0077" in listing and "https://example.org/kes-rate" in listing
    rate_page = client.get(f"/review/rates/{rate_id}").text
    assert "created" in rate_page and MODERATOR in rate_page


def test_a_refused_add_says_what_is_wrong_and_keeps_what_was_typed(
    client: TestClient, session: Session, moderator: str
) -> None:
    log_in(client)
    before = len(queries.list_rates(session))
    response = _post(
        client,
        "/review/rates/add",
        **rate_fields(currency="USD", usd_per_unit="-2", quote="typed “words” here"),
    )
    assert response.status_code == 400
    assert "must not be USD" in response.text
    assert "must be more than 0" in response.text or "digits" in response.text
    assert 'value="-2"' in response.text
    assert "typed “words” here" in response.text
    assert len(queries.list_rates(session)) == before


def test_an_edit_writes_a_revision_and_an_audit_event(
    client: TestClient, session: Session, moderator: str
) -> None:
    log_in(client)
    rate_id = _add(client)
    version = queries.current_dataset_version(session)
    edited = _post(
        client,
        f"/review/rates/{rate_id}/edit",
        **rate_fields(usd_per_unit="0.0078", reason="the article says 0.0078"),
    )
    assert edited.status_code == 303, edited.text
    assert edited.headers["location"] == f"/review/rates/{rate_id}?done=rate_edit"
    notice = client.get(edited.headers["location"]).text
    assert "Saved: the previous state of the rate is kept as a revision." in notice
    assert queries.current_dataset_version(session) != version
    revisions = queries.rate_revisions(session, rate_id)
    assert [revision.number for revision in revisions] == [1, 2]
    assert (revisions[1].previous_state or {})["usd_per_unit"] == "0.0077"
    assert revisions[1].new_state["usd_per_unit"] == "0.0078"
    events = queries.audit_events_for(session, object_type="exchange_rate", object_id=rate_id)
    assert [(event.action, event.actor) for event in events] == [
        ("add", MODERATOR),
        ("edit", MODERATOR),
    ]
    page = client.get(f"/review/rates/{rate_id}").text
    assert "usd_per_unit: 0.0077 → 0.0078" in page
    assert "the article says 0.0078" in page


def test_an_edit_without_a_reason_or_with_wrong_values_is_refused_keeping_what_was_typed(
    client: TestClient, session: Session, moderator: str
) -> None:
    log_in(client)
    rate_id = _add(client)
    no_reason = _post(client, f"/review/rates/{rate_id}/edit", **rate_fields(quote="new words"))
    assert no_reason.status_code == 400
    assert "give a reason" in no_reason.text and "new words" in no_reason.text
    wrong = _post(
        client, f"/review/rates/{rate_id}/edit", **rate_fields(as_of="2025", reason="date")
    )
    assert wrong.status_code == 400
    assert "a month at least" in wrong.text and 'value="2025"' in wrong.text
    other_publisher = _post(
        client,
        f"/review/rates/{rate_id}/edit",
        **rate_fields(source_publisher="Renamed Post", reason="publisher"),
    )
    assert other_publisher.status_code == 400
    assert "/review/sources/" in other_publisher.text
    assert len(queries.rate_revisions(session, rate_id)) == 1


def test_an_edit_that_changes_nothing_says_so(
    client: TestClient, session: Session, moderator: str
) -> None:
    log_in(client)
    rate_id = _add(client)
    version = queries.current_dataset_version(session)
    response = _post(
        client, f"/review/rates/{rate_id}/edit", **rate_fields(reason="checked it again")
    )
    assert response.status_code == 200
    assert "Nothing changed." in response.text
    assert queries.current_dataset_version(session) == version
    assert len(queries.rate_revisions(session, rate_id)) == 1


def test_an_unknown_rate_is_not_found(client: TestClient, moderator: str) -> None:
    log_in(client)
    for path in ("/review/rates/999999", "/review/rates/abc", "/review/rates/99999999999999"):
        assert client.get(path).status_code == 404


def test_a_rate_moved_to_another_source_address_creates_its_record(
    client: TestClient, session: Session, moderator: str
) -> None:
    log_in(client)
    rate_id = _add(client)
    response = _post(
        client,
        f"/review/rates/{rate_id}/edit",
        **rate_fields(
            source_url="https://example.org/the-original",
            source_publisher="Original Post",
            reason="the original article",
        ),
    )
    assert response.status_code == 303, response.text
    rate = session.scalars(select(ExchangeRate).where(ExchangeRate.id == rate_id)).one()
    assert rate.source.url == "https://example.org/the-original"
    assert rate.source.publisher == "Original Post"
