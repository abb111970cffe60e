"""The public submission form: validation, post-redirect-get, pending until reviewed, raw text kept."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Figure, FigureRevision, Submission
from support import csrf_from, submission_form

REQUIRED = [
    "area",
    "metric",
    "bound",
    "unit",
    "claimant",
    "claimant_kind",
    "quote",
    "source_url",
    "source_publisher",
]


def post(client: TestClient, fields: dict[str, str], **headers: str):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/submit").text)
    return client.post(
        "/submit", data={"csrf_token": token, **fields}, headers=headers, follow_redirects=False
    )


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_valid_submission_redirects_to_a_private_status_page(
    client: TestClient, session: Session
) -> None:
    response = post(client, submission_form())
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/submissions/") and len(location) > len("/submissions/") + 40
    page = client.get(location)
    assert page.status_code == 200
    assert "pending" in page.text and "321 persons" in page.text
    assert "reader@example.org" not in page.text
    submission = session.scalars(select(Submission)).one()
    assert submission.status == "pending"
    assert submission.figure.status == "pending"
    assert submission.submitter_contact == "reader@example.org"
    assert "quote=321+were+killed%2C+the+report+says" in submission.raw_body
    assert submission.fields["claimant"] == "Submitted Claimant"
    assert "csrf_token" not in submission.fields


def test_a_pending_submission_is_not_public(client: TestClient, session: Session) -> None:
    post(client, submission_form())
    figure = session.scalars(select(Figure).where(Figure.claimant == "Submitted Claimant")).one()
    assert client.get(f"/figures/{figure.id}").status_code == 404
    assert "Submitted Claimant" not in client.get("/countries/NPL").text
    assert "Submitted Claimant" not in client.get("/metrics/killed").text
    assert "Submitted Claimant" not in client.get("/").text


@pytest.mark.parametrize("field", REQUIRED)
def test_each_required_field_is_checked_and_the_rest_kept(
    client: TestClient, session: Session, field: str
) -> None:
    before = count(session, Submission)
    response = post(client, submission_form(**{field: ""}))
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.text
    assert 'value="Example Post"' in response.text or field == "source_publisher"
    assert "321 were killed, the report says" in response.text or field == "quote"
    assert count(session, Submission) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"low": "lots"}, "low"),
        ({"high": "-3", "low": "", "bound": "at_most"}, "high"),
        ({"bound": "range"}, "high"),
        ({"bound": "at_least"}, "high"),
        ({"area": "ZZZ"}, "area"),
        ({"metric": "mood"}, "metric"),
        ({"claimant_kind": "oracle"}, "claimant_kind"),
        ({"currency": "ABC"}, "currency"),
        ({"as_of": "January"}, "as_of"),
        ({"period_start": "2025-02", "period_end": "2024"}, "period_end"),
        ({"source_published": "2025-13"}, "source_published"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"source_url": "file:///etc/passwd"}, "source_url"),
        ({"quote": "x" * 5001}, "quote"),
        ({"claimant": "x" * 501}, "claimant"),
        ({"notes": "x" * 5001}, "notes"),
        ({"qualifier": "a\x07b"}, "qualifier"),
        ({"submitter_name": "x" * 201}, "submitter_name"),
        ({"submitter_contact": "x" * 301}, "submitter_contact"),
    ],
)
def test_wrong_values_are_named_beside_their_field(
    client: TestClient, session: Session, changes: dict[str, str], field: str
) -> None:
    response = post(client, submission_form(**changes))
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.text
    assert count(session, Submission) == 0


def test_a_unit_outside_the_metrics_vocabulary_is_refused_with_the_valid_units(
    client: TestClient, session: Session
) -> None:
    form_page = client.get("/submit").text
    assert '<datalist id="unit-choices">' in form_page and '<option value="per month">' in form_page
    assert 'inputmode="decimal"' in form_page and 'list="unit-choices"' in form_page
    response = post(client, submission_form(unit="people"))
    assert response.status_code == 400
    assert "Unit &#39;people&#39; is not a unit of" in response.text
    assert "use &#39;persons&#39;" in response.text
    assert 'name="unit" type="text" value="people"' in response.text
    assert count(session, Submission) == 0


def test_honeypot_refuses_and_keeps_the_text(client: TestClient, session: Session) -> None:
    response = post(client, submission_form(website="http://spam.example"))
    assert response.status_code == 400
    assert "321 were killed, the report says" in response.text
    assert count(session, Submission) == 0


def test_existing_figures_are_shown_for_the_chosen_area_and_metric(client: TestClient) -> None:
    page = client.get("/submit?area=NPL&metric=enlisted")
    assert "Already published for this country and metric" in page.text
    assert "between 14,000 and 15,000 Nepalese" in page.text


def test_unknown_status_tokens_are_404(client: TestClient) -> None:
    assert client.get("/submissions/not-a-token").status_code == 404


def test_submission_writes_a_first_revision(client: TestClient, session: Session) -> None:
    before = count(session, FigureRevision)
    post(client, submission_form())
    assert count(session, FigureRevision) == before + 1


SQL = "'; DROP TABLE figures; --"


def test_sql_shaped_text_is_stored_and_shown_literally(
    client: TestClient, session: Session
) -> None:
    response = post(client, submission_form(claimant=SQL, quote=f"{SQL} 321 killed"))
    assert response.status_code == 303
    figure = session.scalars(select(Figure).where(Figure.claimant == SQL)).one()
    assert figure.quote == f"{SQL} 321 killed"
    assert count(session, Figure) == 256
    assert "&#39;; DROP TABLE figures; --" in client.get(response.headers["location"]).text
