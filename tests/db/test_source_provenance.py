"""A source's provenance (kind, original, archive, damage) on figure pages, citations, the API,
the downloads, the importer and the form; the demo data's reprint of The Cipher Brief."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import FigureStatus
from app.models import Figure, Submission
from app.operations.importing import load_figure_rows, read_csv_rows
from support import add_figure, csrf_from, csv_rows, see_test_session, submission_form

CIPHER_BRIEF = (
    "reprinted by News Directory 3 from The Cipher Brief; numbers or words missing in this copy"
)


def _seeded(session: Session, reference: str) -> Figure:
    figure = queries.figure_by_external_ref(session, reference)
    assert figure is not None
    return figure


def test_the_demo_data_records_the_cipher_brief_reprint(session: Session) -> None:
    source = _seeded(session, "A02").source
    assert source.accepted
    assert (source.publisher, source.kind, source.original_publisher) == (
        "News Directory 3",
        "reprint",
        "The Cipher Brief",
    )
    assert source.text_damaged
    assert _seeded(session, "E53").source.kind == "unknown"


def test_the_figure_page_and_its_citation_say_where_the_text_comes_from(
    client: TestClient, session: Session
) -> None:
    page = client.get(f"/figures/{_seeded(session, 'A02').id}").text
    assert f'<dd class="source-provenance">{CIPHER_BRIEF}' in page
    citation = page.split('class="citation"', 1)[1].split("</textarea>", 1)[0]
    assert f"({CIPHER_BRIEF})" in citation


def test_the_api_shows_the_provenance_of_a_figure_and_a_source(
    client: TestClient, session: Session
) -> None:
    figure = _seeded(session, "A02")
    body = client.get(f"/api/v1/figures/{figure.id}").json()
    assert {key: body["source"][key] for key in ("kind", "original_publisher", "text_damaged")} == {
        "kind": "reprint",
        "original_publisher": "The Cipher Brief",
        "text_damaged": True,
    }
    assert body["source"]["kind_label"] == "reprint or aggregator"
    assert body["source"]["provenance"] == CIPHER_BRIEF
    assert CIPHER_BRIEF in body["citation"]
    source = client.get(f"/api/v1/sources/{figure.source_id}").json()
    assert (source["kind"], source["provenance"]) == ("reprint", CIPHER_BRIEF)
    listed = {item["id"]: item for item in client.get("/api/v1/sources").json()["sources"]}
    assert listed[figure.source_id]["text_damaged"] is True


def test_the_downloads_carry_the_provenance_columns(client: TestClient, session: Session) -> None:
    see_test_session(client, session)
    figure = add_figure(
        session,
        FigureStatus.PUBLISHED,
        source_url="https://wire.example/story",
        source_publisher="The Island",
        source_kind="wire",
        source_original_publisher="AFP",
        source_original_url="https://afp.example/story",
        source_archive_url="https://web.archive.org/web/2024/https://wire.example/story",
    )
    rows = {row["figure_id"]: row for row in csv_rows(client.get("/export/figures.csv").text)}
    row = rows[str(figure.id)]
    assert {
        key: row[key]
        for key in (
            "source_kind",
            "source_original_publisher",
            "source_original_url",
            "source_archive_url",
            "source_text_damaged",
            "source_provenance",
        )
    } == {
        "source_kind": "wire",
        "source_original_publisher": "AFP",
        "source_original_url": "https://afp.example/story",
        "source_archive_url": "https://web.archive.org/web/2024/https://wire.example/story",
        "source_text_damaged": "false",
        "source_provenance": "wire copy of AFP, as published by The Island",
    }
    reprint = rows[str(_seeded(session, "A02").id)]
    assert (reprint["source_text_damaged"], reprint["source_provenance"]) == ("true", CIPHER_BRIEF)
    figures = {
        item["figure_id"]: item
        for item in json.loads(client.get("/export/figures.json").text)["figures"]
    }
    assert figures[_seeded(session, "A02").id]["source_text_damaged"] is True
    assert figures[figure.id]["source_kind"] == "wire"
    assert figures[figure.id]["source_provenance"] == "wire copy of AFP, as published by The Island"


def _import(session: Session, path: Path, header: str, row: str):  # type: ignore[no-untyped-def]
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    return load_figure_rows(
        session,
        read_csv_rows(path),
        status=FigureStatus.PUBLISHED,
        changed_by="import",
        reason="test",
    )


HEADER = (
    "external_ref,area,metric,low,high,bound,unit,claimant,claimant_kind,quote,source_url,"
    "source_publisher,source_kind,source_original_publisher,source_archive_url,source_text_damaged"
)


def test_the_importer_reads_the_provenance_columns(session: Session, tmp_path: Path) -> None:
    row = (
        "P1,NPL,killed,5,5,exact,persons,Someone,media,five died,https://copy.example/a,"
        "Copy Site,reprint,Original Times,https://archive.example/a,yes"
    )
    report = _import(session, tmp_path / "ok.csv", HEADER, row)
    assert report.added == ["P1"] and not report.refused
    source = _seeded(session, "P1").source
    assert (source.kind, source.original_publisher, source.archive_url, source.text_damaged) == (
        "reprint",
        "Original Times",
        "https://archive.example/a",
        True,
    )


def test_the_importer_refuses_a_reprint_without_its_original_and_bad_flags(
    session: Session, tmp_path: Path
) -> None:
    row = "P2,NPL,killed,5,5,exact,persons,Someone,media,five died,https://copy.example/b,Copy,reprint,,,"
    report = _import(session, tmp_path / "a.csv", HEADER, row)
    assert [(r.column, r.reason[:11]) for r in report.refused] == [
        ("source_original_publisher", "is required")
    ]
    row = "P3,NPL,killed,5,5,exact,persons,Someone,media,five died,https://copy.example/c,Copy,rumour,,,perhaps"
    report = _import(session, tmp_path / "b.csv", HEADER, row)
    assert {r.column for r in report.refused} == {"source_kind", "source_text_damaged"}


def test_a_submission_states_its_source_provenance(client: TestClient, session: Session) -> None:
    token = csrf_from(client.get("/submit").text)
    fields = submission_form(
        source_kind="reprint",
        source_original_publisher="The Cipher Brief",
        source_archive_url="https://archive.example/x",
        source_text_damaged="1",
    )
    response = client.post("/submit", data={"csrf_token": token, **fields}, follow_redirects=False)
    assert response.status_code == 303, response.text
    submission = session.query(Submission).order_by(Submission.id.desc()).first()
    assert submission is not None
    claim = submission.figure.source
    assert not claim.accepted
    assert (claim.kind, claim.original_publisher, claim.text_damaged) == (
        "reprint",
        "The Cipher Brief",
        True,
    )
    refused = client.post(
        "/submit",
        data={"csrf_token": token, **submission_form(source_kind="wire")},
        follow_redirects=False,
    )
    assert refused.status_code == 400
    assert "Original publisher is required" in refused.text
