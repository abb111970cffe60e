"""The columns of the figures export, one figure's values in them, and the CSV cells they become.

The importer reads the core columns (FIGURE_COLUMNS, the seed file's own); the export adds
columns that describe a figure in the database it came from (its id, permalink, labels, status,
the dataset version), which the importer recognises and ignores.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.domain.figure_spec import FieldSpec, ValueKind, plain_value
from app.domain.figures import FigureStatus
from app.domain.records import ENTERED_FIELDS, FIGURE_SPEC, FigureRecord
from app.domain.sources import Provenance, SourceKind, provenance_label
from app.domain.spreadsheet import RISKY_FIRST_CHARACTERS, neutralise_cell
from app.domain.vocabulary import ALL_UNITS, CLAIMANT_KINDS, KIND_LABELS, METRICS, REGIONS

ExportValue = str | int | bool | None
CHUNK_ROWS = 200
BYTE_ORDER_MARK = "\ufeff"
_ISO_LENGTHS = {"day": 10, "month": 7, "year": 4}


@dataclass(frozen=True)
class ExportColumn:
    """One column of the downloads: its name, HXL hashtag, how a figure fills it, and what it holds.

    `value` reads a record (with the figure's permalink and the dataset version). `cell` is the
    fast path's Python expression of the CSV cell `value` would become, read from `row`, a row of
    stored values as STORED_OFFSETS lays them out, `numbers`, `prefix` and `version`
    (app.domain.export_rows). `field_type`,
    `description` and `constraints` describe its cells as a Table Schema field does
    (app.domain.datapackage): a type, what a cell means, and the values a cell may take.
    """

    name: str
    hxl: str
    value: Callable[[FigureRecord, str, str], ExportValue]
    cell: str
    field_type: str
    description: str
    constraints: tuple[tuple[str, Any], ...] = ()


def safe_cell(text: str | None) -> str:
    """Return a stored text as a spreadsheet-safe cell (empty for none)."""
    if text is None:
        return ""
    return text if text[:1] not in RISKY_FIRST_CHARACTERS else neutralise_cell(text)


_safe = safe_cell


def _partial_iso(value: Any, precision: str | None) -> str:
    """Return a stored date (ISO text or a date) at its precision, as PartialDate.iso() does."""
    if value is None or precision is None:
        return ""
    text = value if isinstance(value, str) else value.isoformat()
    return text[: _ISO_LENGTHS[precision]]


def _stored_offsets() -> dict[str, int]:
    """Return where each field's first stored value sits in a stored row (FIGURE_SPEC's order)."""
    offsets: dict[str, int] = {}
    position = 0
    for field_spec in FIGURE_SPEC:
        offsets[field_spec.name] = position
        position += len(field_spec.stored_columns)
    return offsets


STORED_OFFSETS = _stored_offsets()


def _field_cell(field_spec: FieldSpec) -> str:
    """Return the fast path's cell expression of a stored field."""
    at = STORED_OFFSETS[field_spec.name]
    if field_spec.kind in (ValueKind.ID, ValueKind.OPTIONAL_ID):
        return f'("" if row[{at}] is None else row[{at}])'
    if field_spec.kind is ValueKind.NUMBER:
        return f'("" if row[{at}] is None else numbers[row[{at}]])'
    if field_spec.kind is ValueKind.PARTIAL_DATE:
        return f"_partial_iso(row[{at}], row[{at + 1}])"
    if field_spec.kind is ValueKind.FLAG:
        return f'("true" if row[{at}] else "false")'
    return f"_safe(row[{at}])"


# The Table Schema type of each kind of value, and the constraints every value of the kind meets.
_FIELD_TYPES = {
    ValueKind.ID: "integer",
    ValueKind.OPTIONAL_ID: "integer",
    ValueKind.NUMBER: "number",
    ValueKind.FLAG: "boolean",
}
PARTIAL_DATE_PATTERN = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
_KIND_CONSTRAINTS: dict[ValueKind, tuple[tuple[str, Any], ...]] = {
    ValueKind.ID: (("required", True), ("minimum", 1)),
    ValueKind.OPTIONAL_ID: (("minimum", 1),),
    ValueKind.NUMBER: (("minimum", 0),),  # the database refuses negative numbers
    ValueKind.PARTIAL_DATE: (("pattern", PARTIAL_DATE_PATTERN),),
    ValueKind.FLAG: (("required", True),),
}
_REGION_CODES = "|".join(region.slug for region in REGIONS)
# The vocabularies of text fields: the values their cells may take.
_VOCABULARIES: dict[str, tuple[tuple[str, Any], ...]] = {
    "area_code": (("required", True), ("pattern", f"([A-Z]{{3}}|{_REGION_CODES})")),
    "metric_slug": (("required", True), ("enum", tuple(metric.slug for metric in METRICS))),
    "unit": (("required", True), ("enum", ALL_UNITS)),
    "currency": (("pattern", "[A-Z]{3}"),),
    "status": (("required", True), ("enum", (FigureStatus.PUBLISHED.value,))),
}


def _field_constraints(field_spec: FieldSpec) -> tuple[tuple[str, Any], ...]:
    """Return the values a stored field's cells may take: by its kind, choices and vocabulary."""
    if field_spec.choices is not None:
        return (("required", True), ("enum", tuple(choice.value for choice in field_spec.choices)))
    return _KIND_CONSTRAINTS.get(field_spec.kind, ()) + _VOCABULARIES.get(field_spec.name, ())


def _field_column(field_spec: FieldSpec) -> ExportColumn:
    assert field_spec.export is not None and field_spec.hxl is not None
    name, kind = field_spec.name, field_spec.kind
    return ExportColumn(
        field_spec.export,
        field_spec.hxl,
        lambda record, _permalink, _version: plain_value(kind, getattr(record, name)),
        _field_cell(field_spec),
        _FIELD_TYPES.get(kind, "string"),
        field_spec.description,
        _field_constraints(field_spec),
    )


def kind_cells() -> dict[str, tuple[str, str]]:
    """Return, per stored claimant kind, its label and official flag as CSV cells."""
    return {
        definition.kind.value: (
            _safe(definition.label),
            "true" if definition.kind.is_official else "false",
        )
        for definition in CLAIMANT_KINDS
    }


_MARKER = "\x00"  # cannot be in a stored text


def provenance_templates() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Return, per source kind, its provenance in words as templates: text, a value's name
    ('publisher' or 'original'), text, and so on; without and with damage, then both again for
    a copy that names no original.

    The words are provenance_label's own, written with markers in place of the values: the
    database writes them from these (app.queries.export_csv).
    """
    publisher, original = f"{_MARKER}publisher{_MARKER}", f"{_MARKER}original{_MARKER}"
    return {
        kind.value: tuple(
            tuple(
                provenance_label(Provenance(publisher, kind, named, None, damaged)).split(_MARKER)
            )
            for named in (original, None)
            for damaged in (False, True)
        )
        for kind in SourceKind
    }


@lru_cache(maxsize=4096)
def _provenance_cell(
    kind: str, publisher: str, original_publisher: str | None, damaged: bool
) -> str:
    """Return a stored source's provenance in words as a CSV cell."""
    provenance = Provenance(publisher, SourceKind(kind), original_publisher, None, bool(damaged))
    return _safe(provenance_label(provenance))


_KIND_CELLS = kind_cells()
_PROVENANCE_AT = (
    ", ".join(
        f"row[{STORED_OFFSETS[name]}]"
        for name in ("source_kind", "source_publisher", "source_original_publisher")
    )
    + f", bool(row[{STORED_OFFSETS['source_text_damaged']}])"
)
_KIND_AT = STORED_OFFSETS["claimant_kind"]
_ID_AT = STORED_OFFSETS["id"]
_REPEATS_AT, _REPEATS_REF_AT = STORED_OFFSETS["repeats_id"], STORED_OFFSETS["repeats_ref"]


def _repeated_reference(figure_id: int | None, reference: str | None) -> str | None:
    """Return how a download names the figure another repeats: its external reference, which
    survives an import into another database, else #id."""
    if figure_id is None:
        return None
    return reference or f"#{figure_id}"


# Columns whose cells are not the field's stored value as it is.
_REPLACED = {
    "repeats_id": ExportColumn(
        "repeats",
        "#meta+repeats",
        lambda record, _permalink, _version: _repeated_reference(
            record.repeats_id, record.repeats_ref
        ),
        f'_safe(_repeated_reference(row[{_REPEATS_AT}], row[{_REPEATS_REF_AT}]) or "")',
        "string",
        "the figure this one repeats (no new voice): its external reference, else # and its id",
    ),
}
# Columns computed from other fields, and where they go: after the field named, or at the end.
_DERIVED_AFTER: dict[str, tuple[ExportColumn, ...]] = {
    "claimant_kind": (
        ExportColumn(
            "claimant_kind_label",
            "#org+claimant+type+name",
            lambda record, _permalink, _version: KIND_LABELS[record.claimant_kind],
            f"_KIND_CELLS[row[{_KIND_AT}]][0]",
            "string",
            "the claimant kind's name",
            (("required", True), ("enum", tuple(KIND_LABELS.values()))),
        ),
        ExportColumn(
            "official",
            "#org+claimant+official",
            lambda record, _permalink, _version: record.claimant_kind.is_official,
            f"_KIND_CELLS[row[{_KIND_AT}]][1]",
            "boolean",
            "true for governments' figures (the official_* claimant kinds)",
            (("required", True),),
        ),
    ),
    "source_text_damaged": (
        ExportColumn(
            "source_provenance",
            "#meta+source+provenance",
            lambda record, _permalink, _version: record.provenance_label,
            f"_provenance_cell({_PROVENANCE_AT})",
            "string",
            "the source's provenance in words (empty when there is nothing to say)",
        ),
    ),
}
_AT_THE_END = (
    ExportColumn(
        "permalink",
        "#meta+url",
        lambda _record, permalink, _version: permalink,
        f"prefix + str(row[{_ID_AT}])",
        "string",
        "the figure's permanent address, to cite",
        (("required", True),),
    ),
    ExportColumn(
        "dataset_version",
        "#meta+version",
        lambda _record, _permalink, version: version,
        "version",
        "string",
        "the dataset version this download was made from (it changes whenever public data does)",
        (("required", True),),
    ),
)


def _export_spec() -> tuple[ExportColumn, ...]:
    columns: list[ExportColumn] = []
    for field_spec in FIGURE_SPEC:
        if field_spec.name in _REPLACED:
            columns.append(_REPLACED[field_spec.name])
        elif field_spec.export is not None:
            columns.append(_field_column(field_spec))
        columns.extend(_DERIVED_AFTER.get(field_spec.name, ()))
    return (*columns, *_AT_THE_END)


EXPORT_SPEC = _export_spec()
EXPORT_COLUMNS = tuple(column.name for column in EXPORT_SPEC)
FIGURE_COLUMNS = ENTERED_FIELDS
EXPORT_ONLY_COLUMNS = tuple(name for name in EXPORT_COLUMNS if name not in FIGURE_COLUMNS)
HXL_TAGS = {column.name: column.hxl for column in EXPORT_SPEC}


def export_values(record: FigureRecord, permalink: str, version: str) -> dict[str, ExportValue]:
    """Return a published figure's values under the export's column names, in column order."""
    return {column.name: column.value(record, permalink, version) for column in EXPORT_SPEC}


def hxl_row() -> list[str]:
    """Return the row of HXL hashtags that goes under the header when asked for."""
    return [HXL_TAGS[name] for name in EXPORT_COLUMNS]


def is_hxl_row(cells: list[str]) -> bool:
    """Return True when a row is a row of HXL hashtags (every non-empty cell starts with #)."""
    filled = [cell.strip() for cell in cells if cell.strip()]
    return bool(filled) and all(cell.startswith("#") and len(cell) > 1 for cell in filled)


def json_chunks(
    records: Iterable[FigureRecord],
    *,
    permalink_for: Callable[[int], str],
    version: str,
    licence: Mapping[str, str],
) -> Iterator[str]:
    """Yield the JSON export a few hundred figures at a time: version, licence (app.domain.licence's
    fields), figures, then their count."""
    head = json.dumps({"dataset_version": version, "licence": licence}, ensure_ascii=False)
    parts = [head.removesuffix("}") + ', "figures": [']
    count = 0
    for count, record in enumerate(records, start=1):
        values = export_values(record, permalink_for(record.id), version)
        parts.append(("\n" if count == 1 else ",\n") + json.dumps(values, ensure_ascii=False))
        if count % CHUNK_ROWS == 0:
            yield "".join(parts)
            parts = []
    parts.append(("\n" if count else "") + '], "figure_count": ' + str(count) + "}\n")
    yield "".join(parts)
