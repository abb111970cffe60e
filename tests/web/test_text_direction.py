"""Invisible and text-direction characters: refused in single-line fields (where they can make a
name or a link display as something else), kept in quotes and notes and shown isolated in <bdi>;
numbers and dates read from ASCII digits only."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import FigureStatus
from app.figure_input import parse_number, parse_partial_date
from app.models import Submission
from support import csrf_from, submission_form

OVERRIDE = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
SINGLE_LINE_FIELDS = {
    "claimant": "Ministry \u202egnp.exe",
    "unit": "persons\u200b",
    "source_publisher": "Example\u2067 Post",
    "source_title": "\ufeffReport",
    "source_url": "https://example.org/\u202efdp.exe",
    "submitter_name": "A.\u200d Reader",
    "qualifier": "about\u200e",
    "counted_as": "recruits\u2060",
}


def post(client: TestClient, **changes: str):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/submit").text)
    fields = {"csrf_token": token, **submission_form(**changes)}
    return client.post("/submit", data=fields, follow_redirects=False)


@pytest.mark.parametrize(("field", "text"), SINGLE_LINE_FIELDS.items())
def test_single_line_fields_refuse_invisible_and_direction_characters(
    unlimited_client: TestClient, session: Session, field: str, text: str
) -> None:
    response = post(unlimited_client, **{field: text})
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.text
    assert "invisible or text-direction character (U+" in response.text
    assert session.scalars(select(Submission)).first() is None
    assert text in response.text  # what was typed is given back to be corrected


def test_quotes_and_notes_keep_them_and_pages_isolate_them_in_bdi(
    unlimited_client: TestClient, session: Session
) -> None:
    quote = f"{OVERRIDE}قتل ١٢٣ شخصاً\u200f, the ministry said"
    notes = "\u2067نیپال\u2069 and a zero\u200bwidth space"
    response = post(unlimited_client, quote=quote, notes=notes)
    assert response.status_code == 303, response.text[:400]
    status_page = unlimited_client.get(response.headers["location"]).text
    assert f"<bdi>{quote}</bdi>" in status_page
    submission = session.scalars(select(Submission)).one()
    figure = submission.figure
    assert (figure.quote, figure.notes) == (quote, notes)
    queries.set_figure_status(
        session,
        figure=figure,
        status=FigureStatus.PUBLISHED,
        changed_by="test",
        reason="published for test",
    )
    page = unlimited_client.get(f"/figures/{figure.id}").text
    assert f"<bdi>{quote}</bdi>" in page and f"<bdi>{notes}</bdi>" in page
    assert unlimited_client.get(f"/api/v1/figures/{figure.id}").json()["quote"] == quote


@pytest.mark.parametrize("digits", ["١٢٣", "۱۲۳", "１２３", "१२३", "12٣"])
def test_numbers_are_read_from_ascii_digits_only(
    unlimited_client: TestClient, session: Session, digits: str
) -> None:
    with pytest.raises(ValueError, match="write a number in digits"):
        parse_number(digits)
    response = post(unlimited_client, low=digits, high=digits)
    assert response.status_code == 400 and 'id="error-low"' in response.text
    assert session.scalars(select(Submission)).first() is None


@pytest.mark.parametrize("written", ["٢٠٢٦", "２０２６-01", "2026-٠١-15"])
def test_dates_are_read_from_ascii_digits_only(written: str) -> None:
    with pytest.raises(ValueError, match="YYYY"):
        parse_partial_date(written)
