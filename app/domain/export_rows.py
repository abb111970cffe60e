"""The CSV download's fast row path: stored rows straight to CSV text, the cells export_values
would give the same figures, without building a record per figure."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any

from app.domain import exports
from app.domain.exports import BYTE_ORDER_MARK, EXPORT_COLUMNS, EXPORT_SPEC, hxl_row, safe_cell
from app.domain.figure_spec import decimal_text

CHUNK_BYTES = 64 * 1024
WRITE_BATCH_ROWS = 128  # rows written as one text: about 64 KiB of CSV
_MEMO_LIMIT = 200_000


@dataclass(frozen=True)
class RowContext:
    """What the fast row path needs besides a row: the permalink prefix, the version, numbers seen."""

    permalink_prefix: str
    version: str
    numbers: dict[Any, str]


class _DecimalTexts(dict[Any, str]):
    """Stored numbers (canonical text or Decimal) as the export writes them, remembered."""

    def __missing__(self, value: Any) -> str:
        text = decimal_text(Decimal(str(value)).normalize() + Decimal(0)) or ""
        if len(self) < _MEMO_LIMIT:
            self[value] = text
        return text


def _rows_cells_function() -> Callable[[Iterable[Sequence[Any]], RowContext], list[list[Any]]]:
    """Return the function turning stored rows into their CSV cells, compiled from EXPORT_SPEC.

    One list display of every column's cell expression per row: a CSV download of a million
    figures runs through it, and a call per cell would cost a quarter of its speed. The
    expressions are this module's constants, never input.
    """
    cells = ", ".join(column.cell for column in EXPORT_SPEC)
    source = (
        "def rows_cells(rows, context):\n"
        "    numbers, prefix, version = context.numbers, context.permalink_prefix, context.version\n"
        f"    return [[{cells}] for row in rows]\n"
    )
    names = ("_safe", "_partial_iso", "_repeated_reference", "_KIND_CELLS", "_provenance_cell")
    namespace: dict[str, Any] = {name: getattr(exports, name) for name in names}
    exec(compile(source, "<export row cells>", "exec"), namespace)  # noqa: S102
    function: Callable[[Iterable[Sequence[Any]], RowContext], list[list[Any]]]
    function = namespace["rows_cells"]
    return function


rows_cells = _rows_cells_function()


def csv_head(*, hxl: bool = False) -> str:
    """Return what a CSV download starts with: the byte-order mark, the header, the HXL row if asked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BYTE_ORDER_MARK)
    writer.writerow(EXPORT_COLUMNS)
    if hxl:
        writer.writerow(hxl_row())
    return buffer.getvalue()


def row_context(permalink_prefix: str, version: str) -> RowContext:
    """Return what writing one download's rows needs: the permalink prefix, its version's cell."""
    return RowContext(permalink_prefix, safe_cell(version), _DecimalTexts())


def csv_row_batches(
    batches: Iterable[Sequence[Sequence[Any]]], context: RowContext
) -> Iterator[str]:
    """Yield the CSV rows of batches of stored rows (STORED_OFFSETS' layout), a text per batch.

    The cells are those export_values gives the same figures, written by csv.writer; a figure's
    permalink is the context's prefix followed by its id.
    """
    for batch in batches:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows_cells(batch, context))
        yield buffer.getvalue()


def csv_chunks_from_rows(
    rows: Iterable[Sequence[Any]],
    *,
    permalink_prefix: str,
    version: str,
    hxl: bool = False,
) -> Iterator[str]:
    """Yield the CSV export of stored rows (STORED_OFFSETS' layout): the head, then a text per
    WRITE_BATCH_ROWS rows."""
    yield csv_head(hxl=hxl)
    remaining = iter(rows)
    batches = iter(lambda: list(islice(remaining, WRITE_BATCH_ROWS)), [])
    yield from csv_row_batches(batches, row_context(permalink_prefix, version))
