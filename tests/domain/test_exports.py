"""Export rows, spreadsheet safety, HXL, the dataset version and the figure filters: pure functions."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.domain.dataset import DatasetState, dataset_version
from app.domain.dates import PartialDate
from app.domain.exports import (
    CHUNK_ROWS,
    EXPORT_COLUMNS,
    EXPORT_ONLY_COLUMNS,
    FIGURE_COLUMNS,
    HXL_TAGS,
    export_values,
    hxl_row,
    is_hxl_row,
    json_chunks,
)
from app.domain.figure_spec import decimal_text
from app.domain.figures import Bound, ClaimantKind
from app.domain.filters import FigureFilter, Side
from app.domain.licence import licence_fields
from app.domain.spreadsheet import neutralise_cell, restore_cell
from support import record, reference_csv


def permalink_for(figure_id: int) -> str:
    return f"https://example.org/figures/{figure_id}"


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+15,000 recruited", "'+15,000 recruited"),
        ("-200", "'-200"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("'=already quoted", "''=already quoted"),
        ("''-two", "'''-two"),
        ("'I Want to Live' project", "'I Want to Live' project"),
        ("'", "'"),
        ("", ""),
        ("plain text", "plain text"),
        ("a = b", "a = b"),
        ("Кремль", "Кремль"),
    ],
)
def test_formula_cells_get_one_apostrophe_and_lose_it_again(text: str, cell: str) -> None:
    assert neutralise_cell(text) == cell
    assert restore_cell(cell) == text


@pytest.mark.parametrize(
    "text",
    ["=", "'", "''", "'''=", "=+-@", "-", "'a", "a'", "@", "'\t", "x=1", "''plain", "'-'", "==="],
)
def test_neutralising_is_undone_exactly_for_any_text(text: str) -> None:
    neutralised = neutralise_cell(text)
    assert neutralised[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert restore_cell(neutralised) == text


def test_export_columns_contain_every_importer_column() -> None:
    assert set(FIGURE_COLUMNS) <= set(EXPORT_COLUMNS)
    assert set(EXPORT_ONLY_COLUMNS) == set(EXPORT_COLUMNS) - set(FIGURE_COLUMNS)
    assert len(set(EXPORT_COLUMNS)) == len(EXPORT_COLUMNS)
    assert set(HXL_TAGS) == set(EXPORT_COLUMNS)
    assert all(tag.startswith("#") for tag in hxl_row())


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("15000"), "15000"),
        (Decimal("1.5E+4"), "15000"),
        (Decimal("2.50"), "2.5"),
        (Decimal("0.000001"), "0.000001"),
        (Decimal("0"), "0"),
        (Decimal("0.000"), "0"),
        (None, None),
    ],
)
def test_numbers_are_written_exactly_without_exponents(
    value: Decimal | None, text: str | None
) -> None:
    assert decimal_text(value) == text


def test_export_values_keep_partial_dates_and_labels() -> None:
    figure = replace(
        record(7, "14000", "15000", Bound.RANGE, ClaimantKind.OFFICIAL_ORIGIN, "2025-11"),
        period_start=PartialDate.parse("2024"),
        external_ref="E18a",
    )
    values = export_values(figure, permalink_for(7), "2026-01-02.abcdef12")
    assert list(values) == list(EXPORT_COLUMNS)
    assert values["as_of"] == "2025-11"
    assert values["period_start"] == "2024"
    assert values["period_end"] is None
    assert values["source_published"] == "2026"
    assert (values["low"], values["high"], values["bound"]) == ("14000", "15000", "range")
    assert values["claimant_kind_label"] == "Home-country officials"
    assert values["official"] is True
    assert values["permalink"] == "https://example.org/figures/7"
    assert values["dataset_version"] == "2026-01-02.abcdef12"


def test_csv_export_starts_with_a_byte_order_mark_header_and_optional_hxl_row() -> None:
    records = [record(1, "5", "5"), record(2, "7", None, Bound.AT_LEAST)]
    text = reference_csv(records, permalink_for=permalink_for, version="v", hxl=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows[0] == list(EXPORT_COLUMNS)
    assert rows[1] == hxl_row() and is_hxl_row(rows[1])
    assert [row[0] for row in rows[2:]] == ["1", "2"]
    assert text.count("\r\n") == 4
    plain = reference_csv(records, permalink_for=permalink_for, version="v")
    assert len(list(csv.reader(io.StringIO(plain, newline="")))) == 3


@pytest.mark.parametrize("count", [0, 1, CHUNK_ROWS, CHUNK_ROWS + 1])
def test_json_export_is_one_valid_document_whatever_the_count(count: int) -> None:
    records = [replace(record(n, "3", "3"), quote='«цитата» "quoted"\n') for n in range(count)]
    licence = licence_fields('The "site" </script>', "2026-01-01.x", "https://example.org/")
    chunks = list(
        json_chunks(records, permalink_for=permalink_for, version="2026-01-01.x", licence=licence)
    )
    document = json.loads("".join(chunks))
    assert document["dataset_version"] == "2026-01-01.x"
    assert document["licence"] == licence
    assert document["licence"]["spdx"] == "CC-BY-4.0"
    assert document["licence"]["attribution"] == (
        'Source: The "site" </script>, dataset version 2026-01-01.x, CC BY 4.0, https://example.org/'
    )
    assert document["figure_count"] == count
    assert [figure["figure_id"] for figure in document["figures"]] == list(range(count))
    if count:
        assert document["figures"][0]["quote"] == '«цитата» "quoted"\n'
        assert list(document["figures"][0]) == list(EXPORT_COLUMNS)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["#meta+id", "#country+code", ""], True),
        (["#meta+id", "NPL"], False),
        (["", ""], False),
        (["#"], False),
    ],
)
def test_hxl_rows_are_recognised(cells: list[str], expected: bool) -> None:
    assert is_hxl_row(cells) is expected


STATE = DatasetState(
    last_revision_id=58,
    last_revision_at=datetime(2026, 5, 3, 10, 0, tzinfo=UTC),
    last_event_id=1,
    last_rate_revision_id=0,
)


def test_dataset_version_names_the_last_change_and_a_hash() -> None:
    version = dataset_version(STATE)
    assert version.startswith("2026-05-03.")
    assert len(version.split(".")[1]) == 8
    assert dataset_version(STATE) == version
    assert dataset_version(replace(STATE, last_revision_at=None)).startswith("empty.")


@pytest.mark.parametrize(
    "change",
    [
        {"last_revision_id": 59},
        {"last_event_id": 2},
        {"last_rate_revision_id": 1},
        {"last_source_revision_id": 3},
        {"last_redaction_id": 1},
    ],
)
def test_dataset_version_changes_with_any_public_change(change: dict[str, int]) -> None:
    assert dataset_version(replace(STATE, **change)) != dataset_version(STATE)  # type: ignore[arg-type]


def test_a_redaction_and_a_source_revision_of_one_number_are_two_versions() -> None:
    source = replace(STATE, last_source_revision_id=3)
    assert dataset_version(replace(STATE, last_redaction_id=3)) != dataset_version(source)


def test_filter_kinds_and_side() -> None:
    assert FigureFilter().wanted_kinds == ()
    official = FigureFilter(side=Side.OFFICIAL).wanted_kinds
    assert official and all(kind.is_official for kind in official)
    independent = FigureFilter(side=Side.INDEPENDENT).wanted_kinds
    assert ClaimantKind.INDEPENDENT in independent and ClaimantKind.MEDIA in independent
    mixed = FigureFilter(
        claimant_kinds=(ClaimantKind.MEDIA, ClaimantKind.OFFICIAL_RUSSIA), side=Side.OFFICIAL
    )
    assert mixed.wanted_kinds == (ClaimantKind.OFFICIAL_RUSSIA,)
    contradiction = FigureFilter(claimant_kinds=(ClaimantKind.MEDIA,), side=Side.OFFICIAL)
    assert contradiction.selects_nothing
    assert not FigureFilter().selects_nothing


def test_filter_dates_cover_whole_partial_dates() -> None:
    wanted = FigureFilter(
        as_of_from=PartialDate.parse("2024"), as_of_to=PartialDate.parse("2025-02")
    )
    assert wanted.first_day == date(2024, 1, 1)
    assert wanted.last_day == date(2025, 2, 28)
    assert FigureFilter().first_day is None and FigureFilter().last_day is None


def test_filter_names_its_file() -> None:
    assert FigureFilter().slug() == "all"
    assert FigureFilter(areas=("NPL",), metrics=("enlisted",)).slug() == "NPL-enlisted"
