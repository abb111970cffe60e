"""The CSV download written by the storage's fastest path (PostgreSQL's COPY; the driver's own
tuples on SQLite) is byte for byte the download the plain Python path writes, on the demo data
and on hostile rows."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app import queries
from app.domain.dates import PartialDate
from app.domain.export_rows import csv_chunks_from_rows, row_context
from app.domain.exports import EXPORT_COLUMNS
from app.domain.figures import ClaimantKind
from app.domain.filters import FigureFilter, Side
from app.queries.export_csv import copies_csv, export_cells_query
from stored_hostile import HOSTILE_TEXTS, store_hostile_figures
from support import csv_rows, reference_csv

PREFIX = "https://dashboard.example/figures/"
VERSION = "2026-01-02.abcdef12"
FILTERS = {
    "everything": FigureFilter(),
    "hostile, official, dated": FigureFilter(
        areas=("ZZZ", "NPL"),
        side=Side.OFFICIAL,
        text="hostile.example/",
        as_of_from=PartialDate.parse("2024"),
        as_of_to=PartialDate.parse("2025-11"),
    ),
    "kinds, text with wildcards": FigureFilter(
        claimant_kinds=(ClaimantKind.MEDIA, ClaimantKind.INDEPENDENT), text="%_"
    ),
}


def _written(session: Session, figure_filter: FigureFilter, hxl: bool) -> bytes:
    chunks = queries.csv_download(
        session, figure_filter, permalink_prefix=PREFIX, version=VERSION, hxl=hxl
    )
    return b"".join(chunks)


def _plain(session: Session, figure_filter: FigureFilter, hxl: bool) -> bytes:
    records = queries.stream_published(session, figure_filter)
    text = reference_csv(
        records, permalink_for=lambda figure_id: f"{PREFIX}{figure_id}", version=VERSION, hxl=hxl
    )
    return text.encode("utf-8")


def _python_rows(session: Session, figure_filter: FigureFilter, hxl: bool) -> bytes:
    rows = queries.stream_export_rows(session, figure_filter)
    chunks = csv_chunks_from_rows(rows, permalink_prefix=PREFIX, version=VERSION, hxl=hxl)
    return "".join(chunks).encode("utf-8")


def test_postgresql_writes_the_csv_itself_and_sqlite_does_not(session: Session) -> None:
    assert copies_csv(session) == (session.get_bind().dialect.name == "postgresql")


@pytest.mark.parametrize("hxl", [False, True])
@pytest.mark.parametrize("name", list(FILTERS))
def test_the_fast_path_writes_the_plain_paths_bytes(session: Session, name: str, hxl: bool) -> None:
    ids = store_hostile_figures(session)
    figure_filter = FILTERS[name]
    written = _written(session, figure_filter, hxl)
    assert written == _plain(session, figure_filter, hxl)
    assert written == _python_rows(session, figure_filter, hxl)
    rows = csv_rows(written.decode("utf-8"))[1 if hxl else 0 :]
    assert rows or name == "kinds, text with wildcards"
    if name == "everything":
        assert {int(row["figure_id"]) for row in rows} >= set(ids)
        assert len(rows) > len(ids) + 50  # the demo data too


def test_the_hostile_rows_come_out_neutralised_and_quoted(session: Session) -> None:
    ids = store_hostile_figures(session)
    text = _written(session, FigureFilter(text="hostile.example/"), hxl=False).decode("utf-8")
    rows = {int(row["figure_id"]): row for row in csv_rows(text)}
    assert sorted(rows) == ids
    claimants = [rows[figure_id]["claimant"] for figure_id in ids]
    assert claimants[0] == "'" + HOSTILE_TEXTS[0]
    assert claimants[5] == "''''-three apostrophes" and claimants[6] == "'"
    assert claimants[10] == "line\r\nbreak" and claimants[11] == "\\."
    assert claimants[12] == ""
    assert rows[ids[1]]["area_name"] == "'=Evil land"
    assert rows[ids[12]]["repeats"] == "''=H11" and rows[ids[8]]["repeats"] == f"#{ids[7]}"
    assert "\r\n" in text and "\n\n" not in text
    assert text.count('""') >= text.count('"quoted"')  # quotes inside cells are doubled


def test_every_download_column_has_its_sql_cell() -> None:
    query = export_cells_query(FigureFilter(), row_context(PREFIX, VERSION))
    sql = str(query.compile(dialect=postgresql.dialect()))
    assert len(query.selected_columns) == len(EXPORT_COLUMNS)
    assert sql.startswith("SELECT CAST(figures.id AS VARCHAR)") and "ORDER BY figures.id" in sql
