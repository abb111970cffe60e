"""The data package and the zip bundle, built from figure records alone: the schema follows the
export's columns, and frictionless validates what the CSV and JSON really hold, hostile text
and the HXL row included."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.domain.bundle import bundle_chunks
from app.domain.datapackage import PackageFacts, data_package, table_schema
from app.domain.dataset import version_date
from app.domain.dates import PartialDate
from app.domain.exports import EXPORT_COLUMNS, EXPORT_SPEC, json_chunks
from app.domain.figures import ClaimantKind
from app.domain.filters import FigureFilter, Side
from app.domain.licence import DATA_LICENCE_SPDX, DATA_LICENCE_URL, licence_fields
from app.domain.records import FigureRecord
from app.domain.spreadsheet import neutralise_cell
from support import hostile_records, reference_csv, unpacked, validated

VERSION = "2026-01-02.abcdef12"
FACTS = PackageFacts("Foreign recruits", "https://dashboard.example", VERSION)
LICENCE = licence_fields("Foreign recruits", VERSION, "https://dashboard.example/")
TABLE_TYPES = {"string", "number", "integer", "boolean"}


def _permalink(figure_id: int) -> str:
    return f"https://dashboard.example/figures/{figure_id}"


def _bundle(records: list[FigureRecord], facts: PackageFacts = FACTS) -> bytes:
    csv_text = reference_csv(records, permalink_for=_permalink, version=VERSION, hxl=facts.hxl)
    json_text = "".join(
        json_chunks(records, permalink_for=_permalink, version=VERSION, licence=LICENCE)
    )
    return b"".join(bundle_chunks(facts, [csv_text.encode()], [json_text.encode()]))


def test_the_schema_has_every_download_column_in_order_typed_and_described() -> None:
    fields = table_schema()["fields"]
    assert [field["name"] for field in fields] == list(EXPORT_COLUMNS)
    for field in fields:
        assert field["type"] in TABLE_TYPES, field
        assert len(field["description"]) > 10, field["name"]
    assert table_schema()["primaryKey"] == ["figure_id"]
    by_name = {field["name"]: field for field in fields}
    assert by_name["low"]["constraints"] == {"minimum": 0}
    assert "enlisted" in by_name["metric"]["constraints"]["enum"]
    assert by_name["claimant_kind"]["constraints"]["enum"] == [kind.value for kind in ClaimantKind]
    assert by_name["official"]["type"] == "boolean"


def test_vocabulary_values_are_written_as_they_are() -> None:
    """An enum lists values as stated; the CSV would neutralise one starting with = + - @."""
    for column in EXPORT_SPEC:
        for name, value in column.constraints:
            if name == "enum":
                assert all(neutralise_cell(item) == item for item in value), column.name


def test_the_package_names_licence_version_slice_and_sources() -> None:
    facts = replace(FACTS, selection="the published figures of area NPL", query="area=NPL")
    package = data_package(facts)
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["version"] == VERSION
    assert package["licenses"] == [
        {
            "name": DATA_LICENCE_SPDX,
            "path": DATA_LICENCE_URL,
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]
    assert package["selection"] == {
        "description": "the published figures of area NPL",
        "query": "area=NPL",
    }
    assert "area NPL" in package["description"]
    assert package["sources"][0]["path"] == "https://dashboard.example/sources"
    assert [resource["path"] for resource in package["resources"]] == [
        "figures.csv",
        "figures.json",
    ]


@pytest.mark.parametrize("hxl", [False, True])
def test_a_bundle_of_hostile_figures_validates(tmp_path: Path, hxl: bool) -> None:
    records = hostile_records()
    package = unpacked(_bundle(records, replace(FACTS, hxl=hxl)), tmp_path)
    assert ("commentRows" in package["resources"][0]["dialect"]) is hxl
    problems, rows = validated(tmp_path / "datapackage.json")
    assert problems == []
    assert rows == {"figures": len(records), "figures-json": len(records)}
    csv_resource = package["resources"][0]
    assert csv_resource["bytes"] == (tmp_path / "figures.csv").stat().st_size
    assert csv_resource["hash"].startswith("sha256:")


def test_a_quote_with_commas_quotes_newlines_and_a_leading_equals_sign_validates(
    tmp_path: Path,
) -> None:
    hostile = replace(
        hostile_records()[2],
        quote="=1+2, \"quoted\", 'single'\r\nnext line, <b>&amp;</b> \u202eevil",
        claimant='-"Claimant", with commas',
        notes="@note\n=another",
    )
    unpacked(_bundle([hostile]), tmp_path)
    assert validated(tmp_path / "datapackage.json") == ([], {"figures": 1, "figures-json": 1})
    csv_text = (tmp_path / "figures.csv").read_text("utf-8")
    assert "'=1+2" in csv_text
    figures = json.loads((tmp_path / "figures.json").read_text("utf-8"))["figures"]
    assert figures[0]["quote"] == hostile.quote


def test_validation_finds_a_cell_outside_its_vocabulary(tmp_path: Path) -> None:
    """The schema's constraints are checked: a unit no metric has makes the package invalid."""
    unpacked(_bundle([replace(hostile_records()[1], unit="bananas")]), tmp_path)
    problems, _rows = validated(tmp_path / "datapackage.json")
    kinds = {(resource, field, kind) for resource, _row, field, kind, _note in problems}
    assert kinds == {
        ("figures", "unit", "constraint-error"),
        ("figures-json", "unit", "constraint-error"),
    }


def test_validation_finds_a_file_changed_after_packing(tmp_path: Path) -> None:
    unpacked(_bundle(hostile_records()), tmp_path)
    csv_path = tmp_path / "figures.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b"Example", b"Exampel"))
    problems, _rows = validated(tmp_path / "datapackage.json")
    assert {kind for _resource, _row, _field, kind, _note in problems} == {"hash-count"}


def test_readme_and_licence_say_what_the_data_is_and_how_to_cite_it(tmp_path: Path) -> None:
    facts = replace(
        FACTS, selection="the published figures of metric killed", query="metric=killed"
    )
    unpacked(_bundle(hostile_records(), facts), tmp_path)
    readme = (tmp_path / "README.md").read_text("utf-8")
    licence = (tmp_path / "LICENSE.txt").read_text("utf-8")
    attribution = f"Foreign recruits, dataset version {VERSION}, https://dashboard.example"
    for text in (readme, licence):
        assert attribution in text and DATA_LICENCE_URL in text
    assert "metric killed" in readme and "`metric=killed`" in readme
    assert "## How to cite" in readme and "| `quote` | string |" in readme
    assert "Attribution" in licence


def test_bundle_files_are_dated_by_the_dataset_version(tmp_path: Path) -> None:
    assert version_date(VERSION) == date(2026, 1, 2)
    assert version_date("empty.1234abcd") is None
    assert version_date("2026-13-40.1234abcd") is None
    with zipfile.ZipFile(io.BytesIO(_bundle(hostile_records()))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 2, 0, 0, 0)}
    empty = replace(FACTS, version="empty.1234abcd")
    with zipfile.ZipFile(io.BytesIO(_bundle([], empty))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_filters_in_words() -> None:
    assert FigureFilter().words() == ""
    words = FigureFilter(
        areas=("NPL", "IND"),
        metrics=("killed",),
        claimant_kinds=(ClaimantKind.MEDIA,),
        side=Side.INDEPENDENT,
        as_of_from=PartialDate.parse("2024"),
        as_of_to=PartialDate.parse("2025-06"),
        text="Gurkha",
        source_id=4,
    ).words()
    assert words == (
        "the published figures of area NPL, IND; metric killed; claimant kind media;"
        " independent side; as of 2024 or later; as of 2025-06 or earlier; text 'Gurkha';"
        " source #4"
    )
