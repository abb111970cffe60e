"""The importer: malformed files, refused rows with their row, column and reason, all-or-nothing,
--partial, --publish with its audit trail, and the progress bar."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import queries
from app.__main__ import _progress_bar, main
from app.db import make_engine
from app.domain.exports import EXPORT_COLUMNS, FIGURE_COLUMNS
from app.domain.figures import FigureStatus
from app.models import AuditEvent, Figure, FigureRevision
from app.operations.importing import (
    ImportFileError,
    load_figure_rows,
    parse_csv_text,
    read_csv_rows,
)

GOOD = {
    "external_ref": "T1",
    "area": "NPL",
    "metric": "killed",
    "counted_as": "",
    "low": "12",
    "high": "12",
    "bound": "exact",
    "qualifier": "",
    "unit": "persons",
    "currency": "",
    "as_of": "2025-11",
    "period_start": "",
    "period_end": "",
    "claimant": "Test claimant",
    "claimant_kind": "media",
    "quote": "twelve were killed",
    "source_url": "https://example.org/import-test",
    "source_publisher": "Example",
    "source_title": "",
    "source_published": "2025",
    "notes": "",
}


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] = FIGURE_COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def load(session: Session, text: str, status: FigureStatus = FigureStatus.PENDING):  # type: ignore[no-untyped-def]
    return load_figure_rows(
        session, parse_csv_text(text), status=status, changed_by="test", reason="test"
    )


# The file as a whole.


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("café".encode("latin-1") + b",x\n", "not UTF-8 (line 1"),
        (b"area,metric\n\xff\xfe\n", "not UTF-8 (line 2"),
        ("area,metric\n".encode("utf-16"), "UTF-16"),
        (b"", "empty"),
        (b"\n", "empty"),
    ],
)
def test_unreadable_files_are_refused_whole(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "figures.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=re.escape(message)):
        read_csv_rows(path)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (",".join(c for c in FIGURE_COLUMNS if c != "quote"), "missing columns: quote"),
        (",".join(FIGURE_COLUMNS) + ",lowww", "unknown columns: 'lowww'"),
        (",".join(FIGURE_COLUMNS) + ",low", "repeated columns: low"),
        (";".join(FIGURE_COLUMNS), "semicolons"),
    ],
)
def test_missing_unknown_or_repeated_columns_refuse_the_file(header: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=re.escape(message)):
        parse_csv_text(header + "\r\n")


def test_a_byte_order_mark_and_the_exports_own_columns_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    exported = {**GOOD, "figure_id": "9", "permalink": "x", "status": "published"}
    text = csv_text([{name: exported.get(name, "") for name in EXPORT_COLUMNS}], EXPORT_COLUMNS)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    rows = list(read_csv_rows(path))
    assert len(rows) == 1 and rows[0].values["quote"] == "twelve were killed"
    assert rows[0].row_number == 2


# Row by row.


def test_every_refused_row_names_its_row_column_and_reason(session: Session) -> None:
    text = csv_text(
        [
            row(external_ref="T1"),
            row(external_ref="T2", low="-5", high="-5"),
            row(external_ref="T3", low="fifteen", high=""),
            row(external_ref="T4", low="1,5", bound="exact"),
            row(external_ref="T5", area="Atlantis"),
            row(external_ref="T6", as_of="2025-13"),
            row(external_ref="T7", quote=""),
            row(external_ref="T8", low="=1+1", high="=1+1"),
            row(external_ref="T9", unit="people"),
        ]
    )
    report = load(session, text)
    refused = {(r.row_number, r.reference, r.column) for r in report.refused}
    assert (3, "T2", "low") in refused
    assert (4, "T3", "low") in refused
    assert (5, "T4", "low") in refused
    assert (6, "T5", "area") in refused
    assert (7, "T6", "as_of") in refused
    assert (8, "T7", "quote") in refused
    assert (9, "T8", "low") in refused
    assert (10, "T9", "unit") in refused
    assert report.added == ["T1"]
    lines = [r.describe() for r in report.refused]
    assert (
        "row 3 (T2), column low: write a number in digits, such as 15000 or 2.5 (no words or signs)"
        in lines
    )
    assert "row 10 (T9), column unit: 'people' is not a unit of killed: use 'persons'" in lines


def test_a_huge_cell_is_refused_with_its_column(session: Session) -> None:
    report = load(session, csv_text([row(notes="x" * 1_000_000), row(external_ref="T2")]))
    assert [(r.row_number, r.column) for r in report.refused] == [(2, "notes")]
    assert "longer than 20,000 characters" in report.refused[0].reason
    assert report.added == ["T2"]


def test_rows_with_missing_or_extra_cells_are_refused(session: Session) -> None:
    good = csv_text([row()])
    header, first = good.splitlines()
    text = "\r\n".join(
        [header, first + ",extra", first.rsplit(",", 2)[0], first.replace("T1", "T9")]
    )
    report = load(session, text + "\r\n")
    assert [(r.row_number, r.column) for r in report.refused] == [(2, "(row)"), (3, "(row)")]
    assert (
        report.refused[0].reason
        == f"the row has {len(FIGURE_COLUMNS) + 1} cells, the header {len(FIGURE_COLUMNS)}"
    )
    assert report.added == ["T9"]


def test_blank_rows_are_skipped_and_row_numbers_stay_the_spreadsheets(session: Session) -> None:
    text = csv_text([row(), {name: "" for name in FIGURE_COLUMNS}, row(external_ref="T2", low="x")])
    report = load(session, text)
    assert [(r.row_number, r.reference) for r in report.refused] == [(4, "T2")]


def test_formula_text_is_kept_verbatim_and_neutralised_text_restored(session: Session) -> None:
    text = csv_text(
        [
            row(
                external_ref="F1", quote='=HYPERLINK("http://evil.example")', claimant="'+44 group"
            ),
            row(external_ref="F2", quote="''=was neutralised twice", claimant="'I Want to Live'"),
        ]
    )
    report = load(session, text)
    assert report.refused == []
    first = queries.figure_by_external_ref(session, "F1")
    second = queries.figure_by_external_ref(session, "F2")
    assert first is not None and second is not None
    assert first.quote == '=HYPERLINK("http://evil.example")'
    assert first.claimant == "+44 group"
    assert second.quote == "'=was neutralised twice"
    assert second.claimant == "'I Want to Live'"


def test_a_row_of_hxl_hashtags_under_the_header_is_skipped(session: Session) -> None:
    text = csv_text([{name: f"#meta+{name}" for name in FIGURE_COLUMNS}, row()])
    report = load(session, text)
    assert report.refused == [] and report.added == ["T1"]


def test_importing_again_leaves_stored_figures_alone(session: Session) -> None:
    text = csv_text([row()])
    assert load(session, text).added == ["T1"]
    again = load(session, text)
    assert again.added == [] and again.unchanged == ["T1"]
    changed = load(session, csv_text([row(low="13", high="13")]))
    assert changed.refused[0].column == "low"


# The command line, on an empty database.


@pytest.fixture
def empty_url(empty_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Return an empty, migrated database that the command line uses."""
    monkeypatch.setenv("DATABASE_URL", empty_database)
    assert main(["migrate"]) == 0
    return empty_database


def _count(url: str, model: type) -> int:  # type: ignore[type-arg]
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        engine.dispose()


def _statuses(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(Figure.status).order_by(Figure.id)))
    finally:
        engine.dispose()


def test_all_or_nothing_by_default_and_partial_on_request(
    empty_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(
        csv_text([row(), row(external_ref="T2", low="-1", high="-1"), row(external_ref="T3")]),
        encoding="utf-8",
    )
    assert main(["import", str(path)]) == 1
    output = capsys.readouterr()
    assert "refused row 3 (T2), column low:" in output.err
    assert "nothing imported: 1 of 3 rows refused" in output.out
    assert _count(empty_url, Figure) == 0

    assert main(["import", str(path), "--partial"]) == 0
    assert "2 figures imported as pending" in capsys.readouterr().out
    assert _statuses(empty_url) == ["pending", "pending"]
    assert _count(empty_url, AuditEvent) == 0


def test_publish_records_a_moderation_action_per_figure(
    empty_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(csv_text([row(), row(external_ref="T2")]), encoding="utf-8")
    assert main(["import", str(path), "--publish"]) == 0
    assert "2 figures imported as published" in capsys.readouterr().out
    assert _statuses(empty_url) == ["published", "published"]
    assert _count(empty_url, FigureRevision) == 2
    engine = make_engine(empty_url)
    try:
        with Session(engine) as session:
            events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    finally:
        engine.dispose()
    assert [(e.action, e.object_type, e.actor) for e in events] == [
        ("publish_import", "figure", "import")
    ] * 2
    assert events[0].after is not None and events[0].after["status"] == "published"
    assert "figures.csv" in events[0].reason


def test_unreadable_file_changes_nothing(
    empty_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "figures.csv"
    path.write_bytes(csv_text([row()]).encode("utf-16"))
    assert main(["import", str(path)]) == 2
    assert "UTF-16" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.csv")]) == 2
    assert _count(empty_url, Figure) == 0


def test_progress_bar(capsys: pytest.CaptureFixture[str]) -> None:
    _progress_bar(100, 0.5)
    _progress_bar(101, 0.51)
    _progress_bar(250, 1.0)
    drawn = capsys.readouterr().err
    assert drawn.count("\r") == 2
    assert f"[{'#' * 20}{'.' * 20}]  50% 100 rows" in drawn
    assert "100% 250 rows" in drawn


def test_rows_report_how_far_through_the_file_they_are() -> None:
    rows = list(parse_csv_text(csv_text([row(external_ref=f"T{n}") for n in range(8)])))
    fractions = [r.fraction_read for r in rows]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and fractions[0] < 0.5


def test_a_row_can_name_the_figure_it_repeats_by_reference_or_id(session: Session) -> None:
    first = load(session, csv_text([row()]))
    assert first.added == ["T1"]
    original = session.query(Figure).filter_by(external_ref="T1").one()
    text = csv_text(
        [
            row(external_ref="T2", repeats="T1", source_url="https://example.org/reprint"),
            row(external_ref="T3", repeats=f"#{original.id}", source_url="https://example.org/r3"),
            row(external_ref="T4", repeats="NOPE", source_url="https://example.org/r4"),
        ]
    )
    report = load(session, text)
    assert report.added == ["T2", "T3"]
    assert [(refused.reference, refused.column) for refused in report.refused] == [
        ("T4", "repeats")
    ]
    assert "'NOPE' is not the id or reference of a stored figure" in report.refused[0].reason
    repeats = {
        figure.external_ref: figure.repeats_id
        for figure in session.query(Figure).filter(Figure.external_ref.in_(["T2", "T3"]))
    }
    assert repeats == {"T2": original.id, "T3": original.id}


def test_a_row_can_name_a_row_further_down_the_same_file(session: Session) -> None:
    text = csv_text(
        [
            row(external_ref="R1", repeats="R2", source_url="https://example.org/reprint"),
            row(external_ref="R2", low="16", high="16", source_url="https://example.org/original"),
        ]
    )
    report = load(session, text)
    assert report.refused == [] and sorted(report.added) == ["R1", "R2"]
    reprint = session.query(Figure).filter_by(external_ref="R1").one()
    original = session.query(Figure).filter_by(external_ref="R2").one()
    assert reprint.repeats_id == original.id


def test_rows_restating_a_stored_figure_are_loaded_and_reported(session: Session) -> None:
    """Kazakhstan's 709 entered twice: the same number, claimant kind and period from another
    source is reported (unless the row names what it repeats), and so is an undated one; another
    period restates only the undated row."""
    load(session, csv_text([row(external_ref="K1", as_of="2025")]))
    stored = session.query(Figure).filter_by(external_ref="K1").one()
    text = csv_text(
        [
            row(external_ref="K2", as_of="2025", source_url="https://example.org/k2"),
            row(external_ref="K3", as_of="", source_url="https://example.org/k3"),
            row(external_ref="K4", as_of="2024", source_url="https://example.org/k4"),
            row(external_ref="K5", as_of="2025", repeats="K1", source_url="https://example.org/k5"),
            row(external_ref="K6", as_of="2025", claimant_kind="independent"),
        ]
    )
    report = load(session, text)
    assert report.refused == []
    assert sorted(report.added) == ["K2", "K3", "K4", "K5", "K6"]
    ids = {
        f.external_ref: f.id for f in session.query(Figure).filter(Figure.external_ref.like("K%"))
    }
    restated = {(r.reference, r.figure_reference) for r in report.restated}
    assert restated == {("K2", "K1"), ("K3", "K1"), ("K3", "K2"), ("K4", "K3")}
    assert ids["K1"] == stored.id
    line = next(r for r in report.restated if r.reference == "K2").describe()
    assert line.startswith(f"row 2 (K2) restates figure #{stored.id} (K1): same area, metric")
    assert "repeats column" in line


def test_rows_that_may_identify_a_person_are_loaded_and_flagged(session: Session) -> None:
    text = csv_text(
        [
            row(external_ref="P1", quote="Ramesh Thapa, passport no. PA1234567, was killed."),
            row(
                external_ref="P2",
                notes="Call Sita Sharma on +977 980 123 4567.",
                source_url="https://example.org/p2",
            ),
            row(external_ref="P3", source_url="https://example.org/p3"),
        ]
    )
    report = load(session, text)
    assert sorted(report.added) == ["P1", "P2", "P3"]
    lines = [flagged.describe() for flagged in report.flagged]
    assert len(lines) == 2
    assert lines[0].startswith("row 2 (P1) may identify a person: quote: a name next to a passport")
    assert lines[1].startswith("row 3 (P2) may identify a person: notes: a name next to a phone")
