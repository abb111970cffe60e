"""Source records belong to the figures moderators publish: a pending or rejected submission never
creates or changes one; moderators see conflicting publisher claims and edit records, with
revisions and audit events; the sources list by kind and number of figures."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_moderation_pages import act, log_in, submit

from app import queries
from app.domain.records import entered_values
from app.models import AuditEvent, Figure, Source, SourceRevision, Submission
from app.passwords import hash_password
from support import MODERATOR, MODERATOR_PASSWORD, csrf_from, submission_form

NEWS_DIRECTORY = (
    "https://www.newsdirectory3.com/"
    "russias-shadow-army-how-foreign-recruits-fuel-ukraine-war-pose-global-security-risks"
)
NEW_URL = "https://example.org/never-cited-before"


@pytest.fixture
def moderator(session: Session) -> str:
    queries.add_moderator(
        session, username=MODERATOR, password_hash=hash_password(MODERATOR_PASSWORD)
    )
    return MODERATOR


def _latest_submission(session: Session) -> Submission:
    found = session.scalars(select(Submission).order_by(Submission.id.desc())).first()
    assert found is not None
    return found


def _record_state(session: Session, url: str) -> dict[str, object] | None:
    session.expire_all()
    record = queries.accepted_source(session, url)
    return None if record is None else queries.source_state(record)


def test_a_false_publisher_in_a_rejected_submission_leaves_the_public_source_untouched(
    client: TestClient, session: Session, moderator: str
) -> None:
    before = _record_state(session, NEWS_DIRECTORY)
    assert before is not None and before["publisher"] == "News Directory 3"
    version = queries.current_dataset_version(session)
    submit(
        client,
        source_url=NEWS_DIRECTORY,
        source_publisher="Fake Wire Service",
        source_title="A title nobody wrote",
        source_kind="original",
    )
    assert _record_state(session, NEWS_DIRECTORY) == before
    submission = _latest_submission(session)
    log_in(client)
    page = client.get(f"/review/submissions/{submission.id}").text
    assert "Conflicting publishers" in page
    assert "News Directory 3" in page and "Fake Wire Service" in page
    response = act(client, f"/review/submissions/{submission.id}/reject", reason="false publisher")
    assert response.status_code == 303
    assert _record_state(session, NEWS_DIRECTORY) == before
    assert queries.current_dataset_version(session) == version
    record = queries.accepted_source(session, NEWS_DIRECTORY)
    assert record is not None
    public = client.get(f"/sources/{record.id}").text
    assert "Fake Wire Service" not in public and "News Directory 3" in public
    assert "Fake Wire Service" not in client.get("/sources").text
    assert "Fake Wire Service" not in client.get("/api/v1/sources").text


def test_a_rejected_claim_creates_no_record_and_the_honest_one_is_approved_with_the_conflict_shown(
    client: TestClient, session: Session, moderator: str
) -> None:
    submit(client, source_url=NEW_URL, source_publisher="Poisoned Publisher", claimant="First")
    false_submission = _latest_submission(session)
    assert queries.accepted_source(session, NEW_URL) is None
    log_in(client)
    act(client, f"/review/submissions/{false_submission.id}/reject", reason="not the publisher")
    session.expire_all()
    assert queries.accepted_source(session, NEW_URL) is None
    claim = session.get(Source, false_submission.figure.source_id)
    assert claim is not None and not claim.accepted and claim.publisher == "Poisoned Publisher"
    assert client.get(f"/sources/{claim.id}").status_code == 404
    assert client.get(f"/review/sources/{claim.id}").status_code == 404

    submit(client, source_url=NEW_URL, source_publisher="Honest Times", claimant="Second")
    honest = _latest_submission(session)
    page = client.get(f"/review/submissions/{honest.id}").text
    assert "Conflicting publishers" in page
    assert "Poisoned Publisher" in page and "Honest Times" in page
    assert f"submission #{false_submission.id}" in page and "rejected" in page
    assert "No public source record has this address yet" in page
    assert act(client, f"/review/submissions/{honest.id}/approve").status_code == 303
    session.expire_all()
    record = queries.accepted_source(session, NEW_URL)
    assert record is not None and record.publisher == "Honest Times"
    figure = session.get(Figure, honest.figure_id)
    assert figure is not None and figure.source_id == record.id
    assert [revision.number for revision in queries.source_revisions(session, record.id)] == [1]
    assert "Honest Times" in client.get(f"/figures/{figure.id}").text


def test_approving_links_to_the_existing_record_without_changing_it(
    client: TestClient, session: Session, moderator: str
) -> None:
    before = _record_state(session, NEWS_DIRECTORY)
    submit(client, source_url=NEWS_DIRECTORY, source_publisher="Someone Else")
    submission = _latest_submission(session)
    log_in(client)
    page = client.get(f"/review/submissions/{submission.id}").text
    assert "Approving links the figure to that record as it stands" in page
    edited = submission_form(
        source_url=NEWS_DIRECTORY, source_publisher="Edited Publisher", reason="tidied"
    )
    response = act(client, f"/review/submissions/{submission.id}/approve", edited="1", **edited)
    assert response.status_code == 303, response.text
    assert _record_state(session, NEWS_DIRECTORY) == before
    figure = session.get(Figure, submission.figure_id)
    assert figure is not None and figure.status == "published"
    assert figure.source.publisher == "News Directory 3" and figure.source.accepted


def _source_form(client: TestClient, source_id: int, **changes: str) -> dict[str, str]:
    token = csrf_from(client.get(f"/review/sources/{source_id}").text)
    values = {
        "csrf_token": token,
        "publisher": "News Directory 3",
        "title": "Russia's shadow army (reprint of The Cipher Brief)",
        "published": "2026",
        "kind": "reprint",
        "original_publisher": "The Cipher Brief",
        "original_url": "",
        "archive_url": "",
        "text_damaged": "1",
        "reason": "",
    }
    values.update(changes)
    return values


def test_a_moderator_edits_a_source_with_a_revision_and_an_audit_event(
    client: TestClient, session: Session, moderator: str
) -> None:
    record = queries.accepted_source(session, NEWS_DIRECTORY)
    assert record is not None
    figure = queries.figure_by_external_ref(session, "A02")
    assert figure is not None
    version = queries.current_dataset_version(session)
    log_in(client)
    page = client.get(f"/review/sources/{record.id}").text
    assert 'name="csrf_token"' in page and "News Directory 3" in page
    path = f"/review/sources/{record.id}/edit"
    changes = {
        "original_url": "https://www.thecipherbrief.com/russias-foreign-fighter-pipeline",
        "archive_url": "https://web.archive.org/web/2026/https://www.newsdirectory3.com/x",
    }
    refused = client.post(path, data=_source_form(client, record.id, **changes))
    assert refused.status_code == 400 and "give a reason to edit" in refused.text
    forged = client.post(
        path,
        data={**_source_form(client, record.id, **changes), "csrf_token": "x", "reason": "r"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    wrong = client.post(
        path, data=_source_form(client, record.id, original_publisher="", reason="r")
    )
    assert wrong.status_code == 400 and "is required" in wrong.text
    response = client.post(
        path,
        data=_source_form(client, record.id, reason="found the original and an archive", **changes),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    notice = client.get(response.headers["location"]).text
    assert "Saved: every figure citing this source shows the new record." in notice
    session.expire_all()
    record = queries.accepted_source(session, NEWS_DIRECTORY)
    assert record is not None and record.original_url == changes["original_url"]
    revisions = queries.source_revisions(session, record.id)
    assert [revision.number for revision in revisions] == [1, 2]
    assert revisions[-1].changed_by == MODERATOR
    assert revisions[-1].previous_state is not None
    assert revisions[-1].previous_state["original_url"] is None
    assert revisions[-1].new_state["archive_url"] == changes["archive_url"]
    event = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "source")).one()
    assert (event.action, event.actor, event.object_id) == ("edit", MODERATOR, str(record.id))
    assert event.before is not None and event.after is not None
    assert (event.before["archive_url"], event.after["archive_url"]) == (
        None,
        changes["archive_url"],
    )
    assert event.reason == "found the original and an archive"
    assert queries.current_dataset_version(session) != version
    public = client.get(f"/figures/{figure.id}").text
    assert changes["archive_url"] in public
    assert changes["original_url"] in client.get(f"/api/v1/figures/{figure.id}").text
    again = client.post(path, data=_source_form(client, record.id, reason="nothing new", **changes))
    assert again.status_code == 200 and "Nothing changed." in again.text
    assert session.scalar(select(SourceRevision.number).order_by(SourceRevision.id.desc())) == 2


def test_a_published_figure_edit_cannot_change_its_source_record(
    client: TestClient, session: Session, moderator: str
) -> None:
    figure = queries.figure_by_external_ref(session, "A02")
    assert figure is not None
    log_in(client)
    page = client.get(f"/review/figures/{figure.id}").text
    assert f"/review/sources/{figure.source_id}" in page
    values = queries.record_of(session, figure.id)
    assert values is not None
    fields = entered_values(values)
    fields.update(source_publisher="Renamed by a figure edit", reason="trying")
    response = act(client, f"/review/figures/{figure.id}/edit", **fields)
    assert response.status_code == 409
    assert f"/review/sources/{figure.source_id}" in response.text
    session.expire_all()
    assert figure.source.publisher == "News Directory 3"


def test_the_sources_list_filters_by_kind_and_sorts_by_figures(
    client: TestClient, session: Session
) -> None:
    reprints = client.get("/sources?kind=reprint").text
    assert "News Directory 3" in reprints and "Ukrainska Pravda" not in reprints
    assert "reprinted by News Directory 3 from The Cipher Brief" in reprints
    wires = client.get("/sources?kind=wire").text
    assert "Lokmat Times" in wires and "News Directory 3" not in wires
    counts = [source["figure_count"] for source in client.get("/api/v1/sources").json()["sources"]]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    fewest = client.get("/api/v1/sources?sort=fewest").json()["sources"]
    assert [source["figure_count"] for source in fewest] == sorted(counts)
    by_publisher = client.get("/api/v1/sources?sort=publisher").json()["sources"]
    assert [s["publisher"] for s in by_publisher] == sorted(s["publisher"] for s in by_publisher)
    listed = client.get("/api/v1/sources?kind=reprint").json()["sources"]
    assert {s["kind"] for s in listed} == {"reprint"}
    assert "News Directory 3" in {s["publisher"] for s in listed}
    for order, listed_in_order in (("fewest", fewest), ("publisher", by_publisher)):
        page = client.get(f"/sources?sort={order}").text
        shown = [int(found) for found in re.findall(r'<td><a href="/sources/(\d+)">', page)]
        assert shown == [source["id"] for source in listed_in_order]
    assert client.get("/sources?kind=rumour").status_code == 400
    assert client.get("/sources?sort=loudest").status_code == 400
    assert client.get("/api/v1/sources?kind=rumour").status_code == 422
