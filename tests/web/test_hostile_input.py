"""Hostile strings (XSS, SQL, spreadsheet formulas, bidi overrides, NUL, 1 MB, invalid UTF-8)
through the form, the importer and the API: stored intact or refused with a reason, never a 5xx."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import queries
from app.domain.exports import FIGURE_COLUMNS
from app.domain.figures import FigureStatus
from app.domain.moderation import ModerationAction, check_reason
from app.domain.spreadsheet import neutralise_cell
from app.figure_input import clean_text
from app.models import Submission
from app.operations.importing import (
    ImportFileError,
    load_figure_rows,
    parse_csv_text,
    read_csv_rows,
)
from app.secret_key import token_hash
from reliability.hostile_strings import HOSTILE_STRINGS, INVALID_UTF8, HostileString
from support import csrf_from, expected_form_errors, submission_form

FIGURE_TEXT_FIELDS = ("qualifier", "counted_as", "claimant", "quote", "notes")
SOURCE_TEXT_FIELDS = {"source_publisher": "publisher", "source_title": "title"}
SUBMITTER_FIELDS = ("submitter_name", "submitter_contact")
FREE_TEXT_FIELDS = (*FIGURE_TEXT_FIELDS, *SOURCE_TEXT_FIELDS, *SUBMITTER_FIELDS)
CODED_FIELDS = (
    "area", "metric", "low", "high", "bound", "unit", "currency", "as_of", "period_start", "period_end",
    "claimant_kind", "source_url", "source_published",
)  # fmt: skip
REQUIRED_TEXT = ("claimant", "quote", "source_publisher")
BODY_LIMIT = 64 * 1024
SMALL = [hostile for hostile in HOSTILE_STRINGS if hostile.kind != "huge"]
ROUND_TRIP = [
    hostile
    for hostile in HOSTILE_STRINGS
    if hostile.kind in ("xss", "sql", "formula", "bidi", "unicode", "path")
]


def named(hostile: HostileString) -> str:
    return hostile.name


def post_form(client: TestClient, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    """Post the form as a browser would: the page first, then the fields with its token."""
    token = csrf_from(client.get("/submit").text)
    return client.post("/submit", data={"csrf_token": token, **fields}, follow_redirects=False)


def stored_submission(session: Session, location: str) -> Submission:
    token = location.removeprefix("/submissions/")
    return session.scalars(
        select(Submission).where(Submission.token_hash == token_hash(token))
    ).one()


def refuses(text: str, field: str) -> bool:
    """Return True when the schema's text rules refuse this text in this field."""
    try:
        cleaned = clean_text(text, field)
    except ValueError:
        return True
    return not cleaned and field in REQUIRED_TEXT


def stored_text(submission: Submission, field: str) -> str:
    """Return a free-text field as stored: on the figure, its source or the submission."""
    if field in FIGURE_TEXT_FIELDS:
        return str(getattr(submission.figure, field))
    if field in SOURCE_TEXT_FIELDS:
        return str(getattr(submission.figure.source, SOURCE_TEXT_FIELDS[field]))
    return str(getattr(submission, field))


@pytest.mark.parametrize("hostile", HOSTILE_STRINGS, ids=named)
def test_hostile_text_in_the_free_text_fields_is_stored_intact_or_refused_with_a_reason(
    unlimited_client: TestClient, session: Session, hostile: HostileString
) -> None:
    token = csrf_from(unlimited_client.get("/submit").text)
    source_url = f"https://example.org/hostile/{len(hostile.text)}/{hostile.name.replace(' ', '-')}"
    refused = [field for field in FREE_TEXT_FIELDS if refuses(hostile.text, field)]
    accepted = [field for field in FREE_TEXT_FIELDS if field not in refused]
    form = submission_form(source_url=source_url, **dict.fromkeys(FREE_TEXT_FIELDS, hostile.text))
    response = unlimited_client.post(
        "/submit", data={"csrf_token": token, **form}, follow_redirects=False
    )
    if len(urlencode(form)) > BODY_LIMIT:
        assert response.status_code == 413
        assert "too large" in response.text
        return
    if refused:
        assert response.status_code == 400
        for field in FREE_TEXT_FIELDS:
            assert (f'id="error-{field}"' in response.text) == (field in refused), field
        form = submission_form(source_url=source_url, **dict.fromkeys(accepted, hostile.text))
        response = unlimited_client.post(
            "/submit", data={"csrf_token": token, **form}, follow_redirects=False
        )
    assert response.status_code == 303, response.text[:300]
    submission = stored_submission(session, response.headers["location"])
    for field in accepted:
        assert submission.fields[field] == hostile.text, field
        assert stored_text(submission, field) == hostile.text.strip(), field
    page = unlimited_client.get(response.headers["location"])
    assert page.status_code == 200
    if "<" in hostile.text and "quote" in accepted:
        assert hostile.text.strip() not in page.text


@pytest.mark.parametrize("hostile", HOSTILE_STRINGS, ids=named)
def test_hostile_text_in_every_coded_field_is_refused_field_by_field(
    unlimited_client: TestClient, session: Session, hostile: HostileString
) -> None:
    form = submission_form(**dict.fromkeys(CODED_FIELDS, hostile.text))
    response = post_form(unlimited_client, form)
    if len(urlencode(form)) > BODY_LIMIT:
        assert response.status_code == 413
        return
    assert response.status_code == 400
    errors = expected_form_errors(session, form)
    assert errors
    for field in errors:
        assert f'id="error-{field}"' in response.text, field


@pytest.mark.parametrize(("name", "encoded"), INVALID_UTF8, ids=[name for name, _ in INVALID_UTF8])
def test_invalid_utf8_in_the_form_is_refused_with_a_reason(
    unlimited_client: TestClient, session: Session, name: str, encoded: bytes
) -> None:
    token = csrf_from(unlimited_client.get("/submit").text)
    valid = urlencode({"csrf_token": token, **submission_form(quote="")}).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    for body in (valid + b"&quote=" + quote(encoded).encode(), valid + b"&quote=" + encoded):
        response = unlimited_client.post(
            "/submit", content=body, headers=headers, follow_redirects=False
        )
        assert response.status_code == 400, name
        assert "not valid UTF-8" in response.text
    assert session.scalars(select(Submission)).first() is None


def test_a_raw_nul_byte_in_the_body_is_refused_with_a_reason(
    unlimited_client: TestClient, session: Session
) -> None:
    token = csrf_from(unlimited_client.get("/submit").text)
    body = urlencode({"csrf_token": token, **submission_form()}) + "&comment=a\x00b"
    response = unlimited_client.post(
        "/submit",
        content=body.encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "could not be read" in response.text
    assert session.scalars(select(Submission)).first() is None


@pytest.mark.parametrize("hostile", ROUND_TRIP, ids=named)
def test_hostile_text_comes_back_intact_in_the_api_and_escaped_in_pages(
    unlimited_client: TestClient, session: Session, hostile: HostileString
) -> None:
    response = post_form(unlimited_client, submission_form(quote=hostile.text, claimant="X"))
    assert response.status_code == 303
    figure = stored_submission(session, response.headers["location"]).figure
    queries.set_figure_status(
        session,
        figure=figure,
        status=FigureStatus.PUBLISHED,
        changed_by="test",
        reason="published for test",
    )
    answer = unlimited_client.get(f"/api/v1/figures/{figure.id}")
    assert answer.status_code == 200
    assert answer.json()["quote"] == hostile.text.strip()
    pages = [f"/figures/{figure.id}"] + (["/countries/NPL"] if hostile.kind == "xss" else [])
    for path in pages:
        page = unlimited_client.get(path)
        assert page.status_code == 200
        assert str(escape(hostile.text.strip())) in page.text, path
        if "<" in hostile.text:
            assert hostile.text.strip() not in page.text, path


API_QUERY_PARAMETERS = (
    "area", "metric", "claimant_kind", "side", "as_of_from", "as_of_to", "q", "source", "limit",
    "offset",
)  # fmt: skip
API_PATHS = (
    "/api/v1/areas/{}",
    "/api/v1/areas/NPL/metrics/{}",
    "/api/v1/metrics/{}",
    "/api/v1/figures/{}",
    "/api/v1/sources/{}",
    "/countries/{}",
    "/metrics/{}",
    "/figures/{}",
)


@pytest.mark.parametrize("hostile", SMALL, ids=named)
def test_hostile_text_in_api_filters_and_addresses_is_answered_without_a_server_error(
    client: TestClient, hostile: HostileString
) -> None:
    requests = [
        f"/api/v1/figures?{urlencode({name: hostile.text})}" for name in API_QUERY_PARAMETERS
    ]
    requests += [f"/export/figures.csv?{urlencode({'q': hostile.text})}"]
    requests += [path.format(quote(hostile.text, safe="")) for path in API_PATHS]
    for address in requests:
        response = client.get(address)
        assert response.status_code in (200, 400, 404, 422), (address, response.status_code)
        if response.status_code != 200:
            assert response.text.strip(), address
        if address.startswith("/api/") and response.status_code in (400, 422):
            assert response.json()["detail"], address


def _csv_text(row: dict[str, str]) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(FIGURE_COLUMNS)
    writer.writerow([neutralise_cell(row.get(column, "")) for column in FIGURE_COLUMNS])
    return output.getvalue()


IMPORT_TEXT_COLUMNS = ("claimant", "quote", "notes", "qualifier", "counted_as")


@pytest.mark.parametrize("hostile", HOSTILE_STRINGS, ids=named)
def test_hostile_text_through_the_importer_is_stored_intact_or_refused_with_a_reason(
    session: Session, hostile: HostileString
) -> None:
    for column in IMPORT_TEXT_COLUMNS:
        reference = f"hostile-{column}"
        row = {**submission_form(), "external_ref": reference, column: hostile.text}
        try:
            rows = list(parse_csv_text(_csv_text(row)))
        except ImportFileError as error:
            assert str(error), column
            continue
        report = load_figure_rows(
            session, rows, status=FigureStatus.PENDING, changed_by="test", reason="test"
        )
        if report.refused:
            assert report.added == []
            assert all(refused.column and refused.reason for refused in report.refused)
            assert column in {refused.column for refused in report.refused}, report.refused
            assert refuses(hostile.text, column) or len(hostile.text) > 20_000
            continue
        assert report.added == [reference], column
        figure = queries.figure_by_external_ref(session, reference)
        assert figure is not None
        assert getattr(figure, column) == hostile.text.strip(), column


@pytest.mark.parametrize(("name", "encoded"), INVALID_UTF8, ids=[name for name, _ in INVALID_UTF8])
def test_an_import_file_with_invalid_utf8_is_refused_with_the_line(
    tmp_path: Path, name: str, encoded: bytes
) -> None:
    path = tmp_path / "figures.csv"
    text = _csv_text({**submission_form(), "quote": "QUOTE"})
    path.write_bytes(text.encode().replace(b"QUOTE", encoded))
    with pytest.raises(ImportFileError) as refused:
        list(read_csv_rows(path))
    message = str(refused.value)
    assert "UTF" in message, name


@pytest.mark.parametrize(
    "address",
    [
        "/countries/NPL%00",
        "/metrics/killed%00",
        "/submit?area=NPL%00&metric=killed",
        "/api/v1/areas/%00",
        "/api/v1/figures?q=a%00b",
        "/api/v1/figures?area%00=NPL",
    ],
)
def test_a_nul_anywhere_in_an_address_is_refused_with_a_reason(
    client: TestClient, address: str
) -> None:
    response = client.get(address)
    assert response.status_code == 400
    assert "NUL character" in response.text


def test_a_nul_in_a_login_name_is_an_ordinary_failed_login(client: TestClient) -> None:
    token = csrf_from(client.get("/login").text)
    form = {"csrf_token": token, "username": "reviewer\x00", "password": "whatever it is"}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 401


@pytest.mark.parametrize("reason", ["duplicate\x00", "see \x1b[31mthis"])
def test_a_moderation_reason_with_control_characters_is_refused(reason: str) -> None:
    with pytest.raises(ValueError, match="control character"):
        check_reason(ModerationAction.REJECT, reason)


@pytest.mark.parametrize(
    "number", ["9" * 30, "0.0000001", "1234567890123456", "12345678901.123456"]
)
def test_numbers_a_database_would_round_or_overflow_are_refused_in_the_form(
    unlimited_client: TestClient, session: Session, number: str
) -> None:
    response = post_form(unlimited_client, submission_form(low=number, high=number))
    assert response.status_code == 400
    assert 'id="error-low"' in response.text
    assert session.scalars(select(Submission)).first() is None
