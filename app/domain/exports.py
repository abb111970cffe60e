"""The columns of the figures export, one figure's values in them, and the CSV cells they become.

The importer reads the core columns (FIGURE_COLUMNS, the seed file's own); the export adds
columns that describe a figure in the database it came from (its id, permalink, labels, status,
the dataset version), which the importer recognises and ignores.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import islice
from typing import Any

from app.domain.records import FigureRecord
from app.domain.spreadsheet import RISKY_FIRST_CHARACTERS, neutralise_cell
from app.domain.vocabulary import CLAIMANT_KINDS

FIGURE_COLUMNS = (
    "external_ref",
    "area",
    "metric",
    "counted_as",
    "low",
    "high",
    "bound",
    "qualifier",
    "unit",
    "currency",
    "as_of",
    "period_start",
    "period_end",
    "claimant",
    "claimant_kind",
    "quote",
    "source_url",
    "source_publisher",
    "source_title",
    "source_published",
    "notes",
)
EXPORT_COLUMNS = (
    "figure_id",
    "external_ref",
    "area",
    "area_name",
    "metric",
    "metric_label",
    "low",
    "high",
    "bound",
    "qualifier",
    "unit",
    "currency",
    "counted_as",
    "as_of",
    "period_start",
    "period_end",
    "claimant",
    "claimant_kind",
    "claimant_kind_label",
    "official",
    "quote",
    "source_id",
    "source_url",
    "source_publisher",
    "source_title",
    "source_published",
    "notes",
    "status",
    "permalink",
    "dataset_version",
)
EXPORT_ONLY_COLUMNS = tuple(name for name in EXPORT_COLUMNS if name not in FIGURE_COLUMNS)
HXL_TAGS = {
    "figure_id": "#meta+id",
    "external_ref": "#meta+ref",
    "area": "#country+code",
    "area_name": "#country+name",
    "metric": "#indicator+code",
    "metric_label": "#indicator+name",
    "low": "#indicator+num+min",
    "high": "#indicator+num+max",
    "bound": "#indicator+bound",
    "qualifier": "#indicator+qualifier",
    "unit": "#indicator+unit",
    "currency": "#currency",
    "counted_as": "#indicator+counted",
    "as_of": "#date+as_of",
    "period_start": "#date+start",
    "period_end": "#date+end",
    "claimant": "#org+claimant+name",
    "claimant_kind": "#org+claimant+type+code",
    "claimant_kind_label": "#org+claimant+type+name",
    "official": "#org+claimant+official",
    "quote": "#description+quote",
    "source_id": "#meta+source+id",
    "source_url": "#meta+source+url",
    "source_publisher": "#meta+source+publisher",
    "source_title": "#meta+source+title",
    "source_published": "#date+source",
    "notes": "#description+notes",
    "status": "#status",
    "permalink": "#meta+url",
    "dataset_version": "#meta+version",
}
KIND_LABELS = {definition.kind: definition.label for definition in CLAIMANT_KINDS}

ExportValue = str | int | bool | None
CHUNK_ROWS = 200
BYTE_ORDER_MARK = "\ufeff"


def decimal_text(value: Decimal | None) -> str | None:
    """Return a stored number as plain exact text (15000, 2.5), never with an exponent."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def export_values(record: FigureRecord, permalink: str, version: str) -> dict[str, ExportValue]:
    """Return a published figure's values under the export's column names, in column order."""
    values: dict[str, ExportValue] = {
        "figure_id": record.id,
        "external_ref": record.external_ref,
        "area": record.area_code,
        "area_name": record.area_name,
        "metric": record.metric_slug,
        "metric_label": record.metric_label,
        "low": decimal_text(record.low),
        "high": decimal_text(record.high),
        "bound": record.bound.value,
        "qualifier": record.qualifier,
        "unit": record.unit,
        "currency": record.currency,
        "counted_as": record.counted_as,
        "as_of": record.as_of.iso() if record.as_of else None,
        "period_start": record.period_start.iso() if record.period_start else None,
        "period_end": record.period_end.iso() if record.period_end else None,
        "claimant": record.claimant,
        "claimant_kind": record.claimant_kind.value,
        "claimant_kind_label": KIND_LABELS[record.claimant_kind],
        "official": record.claimant_kind.is_official,
        "quote": record.quote,
        "source_id": record.source_id,
        "source_url": record.source_url,
        "source_publisher": record.source_publisher,
        "source_title": record.source_title,
        "source_published": record.source_published.iso() if record.source_published else None,
        "notes": record.notes,
        "status": record.status,
        "permalink": permalink,
        "dataset_version": version,
    }
    return values


def csv_cell(value: ExportValue) -> str:
    """Return one value as a spreadsheet-safe CSV cell: empty for none, true/false, neutralised text."""
    if isinstance(value, str):
        return neutralise_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return str(value)


def csv_cells(values: dict[str, ExportValue]) -> list[str]:
    """Return a figure's export values (in column order) as CSV cells."""
    return [
        (value if value[:1] not in RISKY_FIRST_CHARACTERS else neutralise_cell(value))
        if isinstance(value, str)
        else csv_cell(value)
        for value in values.values()
    ]


def hxl_row() -> list[str]:
    """Return the row of HXL hashtags that goes under the header when asked for."""
    return [HXL_TAGS[name] for name in EXPORT_COLUMNS]


def is_hxl_row(cells: list[str]) -> bool:
    """Return True when a row is a row of HXL hashtags (every non-empty cell starts with #)."""
    filled = [cell.strip() for cell in cells if cell.strip()]
    return bool(filled) and all(cell.startswith("#") and len(cell) > 1 for cell in filled)


def csv_chunks(
    records: Iterable[FigureRecord],
    *,
    permalink_for: Callable[[int], str],
    version: str,
    hxl: bool = False,
) -> Iterator[str]:
    """Yield the CSV export a few hundred rows at a time: a byte-order mark, header, rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BYTE_ORDER_MARK)
    writer.writerow(EXPORT_COLUMNS)
    if hxl:
        writer.writerow(hxl_row())
    for count, record in enumerate(records, start=1):
        writer.writerow(csv_cells(export_values(record, permalink_for(record.id), version)))
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(
    records: Iterable[FigureRecord], *, permalink_for: Callable[[int], str], version: str
) -> Iterator[str]:
    """Yield the JSON export a few hundred figures at a time: version, figures, then their count."""
    parts = ['{"dataset_version": ' + json.dumps(version) + ', "figures": [']
    count = 0
    for count, record in enumerate(records, start=1):
        values = export_values(record, permalink_for(record.id), version)
        parts.append(("\n" if count == 1 else ",\n") + json.dumps(values, ensure_ascii=False))
        if count % CHUNK_ROWS == 0:
            yield "".join(parts)
            parts = []
    parts.append(("\n" if count else "") + '], "figure_count": ' + str(count) + "}\n")
    yield "".join(parts)


# The fast path of the CSV download: rows of plain column values, in this order, straight from
# one query (no records built), written in chunks of about CHUNK_BYTES. Same bytes as csv_chunks.
EXPORT_ROW_FIELDS = (
    "id",
    "external_ref",
    "area_code",
    "area_name",
    "metric_slug",
    "metric_label",
    "low",
    "high",
    "bound",
    "qualifier",
    "unit",
    "currency",
    "counted_as",
    "as_of",
    "as_of_precision",
    "period_start",
    "period_start_precision",
    "period_end",
    "period_end_precision",
    "claimant",
    "claimant_kind",
    "quote",
    "source_id",
    "source_url",
    "source_publisher",
    "source_title",
    "source_published",
    "source_published_precision",
    "notes",
    "status",
)
CHUNK_BYTES = 64 * 1024
WRITE_BATCH_ROWS = 128  # rows written at once: chunks end at the first batch past CHUNK_BYTES
_ISO_LENGTHS = {"day": 10, "month": 7, "year": 4}
_MEMO_LIMIT = 200_000


def _safe(text: str | None) -> str:
    """Return a stored text as a spreadsheet-safe cell (empty for none)."""
    if text is None:
        return ""
    return text if text[:1] not in RISKY_FIRST_CHARACTERS else neutralise_cell(text)


def _partial_iso(value: Any, precision: str | None) -> str:
    """Return a stored date (ISO text or a date) at its precision, as PartialDate.iso() does."""
    if value is None or precision is None:
        return ""
    text = value if isinstance(value, str) else value.isoformat()
    return text[: _ISO_LENGTHS[precision]]


class _DecimalTexts(dict[Any, str]):
    """Stored numbers (canonical text or Decimal) as the export writes them, remembered."""

    def __missing__(self, value: Any) -> str:
        text = decimal_text(Decimal(str(value)).normalize() + Decimal(0)) or ""
        if len(self) < _MEMO_LIMIT:
            self[value] = text
        return text


def csv_row_cells(
    row: tuple[Any, ...], permalink_prefix: str, version: str, numbers: dict[Any, str]
) -> list[Any]:
    """Return the CSV cells of one row of EXPORT_ROW_FIELDS (the cells csv_cells would return)."""
    (
        figure_id,
        external_ref,
        area_code,
        area_name,
        metric_slug,
        metric_label,
        low,
        high,
        bound,
        qualifier,
        unit,
        currency,
        counted_as,
        as_of,
        as_of_precision,
        period_start,
        period_start_precision,
        period_end,
        period_end_precision,
        claimant,
        claimant_kind,
        quote,
        source_id,
        source_url,
        source_publisher,
        source_title,
        source_published,
        source_published_precision,
        notes,
        status,
    ) = row
    kind = _KINDS[claimant_kind]
    return [
        figure_id,
        _safe(external_ref),
        _safe(area_code),
        _safe(area_name),
        _safe(metric_slug),
        _safe(metric_label),
        "" if low is None else numbers[low],
        "" if high is None else numbers[high],
        _safe(bound),
        _safe(qualifier),
        _safe(unit),
        _safe(currency),
        _safe(counted_as),
        _partial_iso(as_of, as_of_precision),
        _partial_iso(period_start, period_start_precision),
        _partial_iso(period_end, period_end_precision),
        _safe(claimant),
        kind[0],
        kind[1],
        kind[2],
        _safe(quote),
        source_id,
        _safe(source_url),
        _safe(source_publisher),
        _safe(source_title),
        _partial_iso(source_published, source_published_precision),
        _safe(notes),
        _safe(status),
        f"{permalink_prefix}{figure_id}",
        version,
    ]


_KINDS = {
    definition.kind.value: (
        _safe(definition.kind.value),
        _safe(definition.label),
        "true" if definition.kind.is_official else "false",
    )
    for definition in CLAIMANT_KINDS
}


def csv_chunks_from_rows(
    rows: Iterable[tuple[Any, ...]],
    *,
    permalink_prefix: str,
    version: str,
    hxl: bool = False,
) -> Iterator[str]:
    """Yield the CSV export of rows of EXPORT_ROW_FIELDS in chunks of about CHUNK_BYTES.

    The bytes are those of csv_chunks for the same figures; the permalink of a figure is
    permalink_prefix followed by its id.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BYTE_ORDER_MARK)
    writer.writerow(EXPORT_COLUMNS)
    if hxl:
        writer.writerow(hxl_row())
    numbers = _DecimalTexts()
    safe_version = _safe(version)
    remaining = iter(rows)
    while batch := list(islice(remaining, WRITE_BATCH_ROWS)):
        writer.writerows(
            [csv_row_cells(row, permalink_prefix, safe_version, numbers) for row in batch]
        )
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
