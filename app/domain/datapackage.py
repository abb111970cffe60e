"""The Frictionless Data Package (v2) describing a download of the published figures.

The Table Schema is derived from the export's columns (app.domain.exports.EXPORT_SPEC): each
column's type, description and constraints are declared there, once. The package names the
licence, the dataset version, the slice of figures it holds (the download's filters) and, in a
bundle, the CSV's size and SHA-256 so a validator can check them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.exports import EXPORT_SPEC, ExportColumn
from app.domain.licence import DATA_LICENCE_SPDX, DATA_LICENCE_TITLE, DATA_LICENCE_URL

PROFILES = "https://datapackage.org/profiles/2.0"
DATA_PACKAGE_PROFILE = f"{PROFILES}/datapackage.json"
DATA_RESOURCE_PROFILE = f"{PROFILES}/dataresource.json"
TABLE_SCHEMA_PROFILE = f"{PROFILES}/tableschema.json"
TABLE_DIALECT_PROFILE = f"{PROFILES}/tabledialect.json"
CSV_FILE = "figures.csv"
JSON_FILE = "figures.json"
PRIMARY_KEY = "figure_id"
NEUTRALISED_CELLS = (
    "Text a spreadsheet would run as a formula (a cell starting with = + - @, a tab or a carriage"
    " return, possibly after apostrophes) carries one more apostrophe in front in the CSV; take"
    " one off to read the text as stated. The JSON file holds the text as stated."
)
HXL_ROW = "The second row holds HXL hashtags (https://hxlstandard.org), not a figure."


@dataclass(frozen=True)
class FileFacts:
    """A file's size in bytes and its SHA-256 (hex), as a package states them."""

    size: int
    sha256: str


@dataclass(frozen=True)
class PackageFacts:
    """What a data package says of its slice: whose dataset, which version, which figures.

    `selection` is the download's filters in words ('' for every published figure), `query`
    the query string that asked for them ('' for none), `hxl` whether the CSV has the hashtags row.
    """

    title: str
    homepage: str
    version: str
    selection: str = ""
    query: str = ""
    hxl: bool = False

    @property
    def name(self) -> str:
        """Return the package's name: lower-case letters, digits, dots and hyphens."""
        kept = "".join(c if c.isascii() and c.isalnum() else "-" for c in self.version.lower())
        return f"foreign-recruits-figures-{kept}".strip("-")

    @property
    def attribution(self) -> str:
        """Return the line to credit the dataset with, as the licence asks."""
        return (
            f"{self.title}, dataset version {self.version}, {self.homepage} ({DATA_LICENCE_SPDX})"
        )


def schema_field(column: ExportColumn) -> dict[str, Any]:
    """Return a download column as a Table Schema field: name, type, description, constraints."""
    field: dict[str, Any] = {
        "name": column.name,
        "type": column.field_type,
        "description": column.description,
    }
    if column.constraints:
        field["constraints"] = {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in column.constraints
        }
    return field


def table_schema() -> dict[str, Any]:
    """Return the Table Schema of the downloads: every column of EXPORT_SPEC, keyed by figure id."""
    return {
        "$schema": TABLE_SCHEMA_PROFILE,
        "fields": [schema_field(column) for column in EXPORT_SPEC],
        "missingValues": [""],
        "primaryKey": [PRIMARY_KEY],
    }


def csv_dialect(*, hxl: bool) -> dict[str, Any]:
    """Return the CSV's Table Dialect: a header row, and the hashtags row as a comment row."""
    dialect: dict[str, Any] = {
        "$schema": TABLE_DIALECT_PROFILE,
        "header": True,
        "delimiter": ",",
        "quoteChar": '"',
        "doubleQuote": True,
    }
    if hxl:
        dialect["commentRows"] = [2]
    return dialect


def _measured(resource: dict[str, Any], facts: FileFacts | None) -> dict[str, Any]:
    if facts is not None:
        resource["bytes"] = facts.size
        resource["hash"] = f"sha256:{facts.sha256}"
    return resource


def _resources(
    facts: PackageFacts,
    paths: tuple[str, str],
    files: Mapping[str, FileFacts],
) -> list[dict[str, Any]]:
    csv_path, json_path = paths
    csv_notes = f"{NEUTRALISED_CELLS} {HXL_ROW}" if facts.hxl else NEUTRALISED_CELLS
    csv_resource = {
        "$schema": DATA_RESOURCE_PROFILE,
        "name": "figures",
        "title": "Published figures (CSV)",
        "description": f"One row per published figure, with its source. {csv_notes}",
        "path": csv_path,
        "type": "table",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": csv_dialect(hxl=facts.hxl),
        "schema": table_schema(),
    }
    json_resource = {
        "$schema": DATA_RESOURCE_PROFILE,
        "name": "figures-json",
        "title": "Published figures (JSON)",
        "description": (
            "The same figures as one JSON object: dataset_version, figures (one object per"
            " figure, under the CSV's column names; numbers as exact decimal text) and"
            " figure_count."
        ),
        "path": json_path,
        "type": "table",
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
        "dialect": {
            "$schema": TABLE_DIALECT_PROFILE,
            "property": "figures",
            "itemType": "object",
            # The same, as frictionless-py (5.x) reads a JSON table's dialect.
            "json": {"property": "figures", "keyed": True},
        },
        "schema": table_schema(),
    }
    # Only the CSV is measured: validators read a JSON table through a parser, not its bytes.
    return [_measured(csv_resource, files.get(CSV_FILE)), json_resource]


def data_package(
    facts: PackageFacts,
    *,
    paths: tuple[str, str] = (CSV_FILE, JSON_FILE),
    files: Mapping[str, FileFacts] | None = None,
) -> dict[str, Any]:
    """Return the data package of a slice: its CSV and JSON at `paths`, measured by `files`."""
    selection = facts.selection or "every published figure"
    homepage = facts.homepage.rstrip("/")
    return {
        "$schema": DATA_PACKAGE_PROFILE,
        "name": facts.name,
        "title": facts.title,
        "description": (
            "Sourced estimates about foreign nationals recruited into Russia's armed forces:"
            " each figure is a claim by someone, with who claims it, when, the source and the"
            f" sentence it came from. This package holds {selection}."
        ),
        "version": facts.version,
        "homepage": homepage + "/",
        "keywords": ["Russia", "Ukraine", "war", "foreign fighters", "recruitment", "estimates"],
        "licenses": [
            {"name": DATA_LICENCE_SPDX, "path": DATA_LICENCE_URL, "title": DATA_LICENCE_TITLE}
        ],
        "sources": [
            {
                "title": (
                    f"{facts.title}: the sources the figures cite (each row names its own in"
                    " source_url, source_publisher and source_title)"
                ),
                "path": f"{homepage}/sources",
            }
        ],
        "selection": {"description": selection, "query": facts.query},
        "attribution": facts.attribution,
        "resources": _resources(facts, paths, files or {}),
    }
