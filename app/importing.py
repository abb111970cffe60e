"""Reading figure CSV files and loading their rows through FigureIn, reporting every refused row."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import FigureStatus
from app.schemas import FigureIn, field_errors

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
REQUIRED_COLUMNS = frozenset(
    {
        "area",
        "metric",
        "low",
        "high",
        "bound",
        "unit",
        "claimant",
        "claimant_kind",
        "quote",
        "source_url",
        "source_publisher",
    }
)
MAX_CELL_CHARACTERS = 20_000


class ImportFileError(ValueError):
    """A file that cannot be read as a figures CSV at all (encoding, header)."""


@dataclass(frozen=True)
class RefusedRow:
    """A row that was not loaded: where it is, which column is wrong, and why."""

    row_number: int
    reference: str
    column: str
    reason: str

    def describe(self) -> str:
        """Return one line for a report: row 5 (E11a), column low: must not be negative."""
        reference = f" ({self.reference})" if self.reference else ""
        return f"row {self.row_number}{reference}, column {self.column}: {self.reason}"


@dataclass
class ImportReport:
    """What a load did: references added, references already stored unchanged, rows refused."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[RefusedRow] = field(default_factory=list)


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Return a CSV file's rows as dicts; raise ImportFileError when its encoding or header is wrong."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"the file is not UTF-8 (byte {error.start} cannot be read); save it as UTF-8 CSV"
        ) from None
    return parse_csv_text(text)


def parse_csv_text(text: str) -> list[dict[str, str]]:
    """Return the rows of figures CSV text; raise ImportFileError for a missing or unknown column."""
    csv.field_size_limit(10 * MAX_CELL_CHARACTERS)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = sorted(REQUIRED_COLUMNS - set(header))
    if missing:
        raise ImportFileError("missing columns: " + ", ".join(missing))
    try:
        return [
            {key: value or "" for key, value in row.items() if key is not None} for row in reader
        ]
    except csv.Error as error:
        raise ImportFileError(f"line {reader.line_num}: {error}") from None


def validate_row(
    row: dict[str, str], row_number: int, context: dict[str, set[str]]
) -> FigureIn | list[RefusedRow]:
    """Return the row as a FigureIn, or every reason it is refused."""
    reference = row.get("external_ref", "")[:100]
    too_long = [name for name, value in row.items() if len(value) > MAX_CELL_CHARACTERS]
    if too_long:
        return [
            RefusedRow(
                row_number, reference, name, f"cell longer than {MAX_CELL_CHARACTERS:,} characters"
            )
            for name in too_long
        ]
    values = {name: row.get(name, "") for name in FIGURE_COLUMNS}
    try:
        return FigureIn.model_validate(values, context=context)
    except ValidationError as error:
        return [
            RefusedRow(row_number, reference, column, reason)
            for column, reason in field_errors(error).items()
        ]


def load_figure_rows(
    session: Session,
    rows: Iterable[dict[str, str]],
    *,
    status: FigureStatus,
    changed_by: str,
    reason: str,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate and store rows; rows already stored (same external_ref) are left as they are."""
    report = ImportReport()
    context = queries.validation_context(session)
    for index, row in enumerate(rows):
        row_number = index + 2
        checked = validate_row(row, row_number, context)
        if progress is not None:
            progress(index + 1)
        if isinstance(checked, list):
            report.refused.extend(checked)
            continue
        existing = (
            queries.figure_by_external_ref(session, checked.external_ref)
            if checked.external_ref
            else None
        )
        if existing is not None:
            changed = queries.differs_from(existing, checked)
            if changed:
                report.refused.append(
                    RefusedRow(
                        row_number,
                        checked.external_ref or "",
                        changed[0],
                        "a figure with this external_ref is stored with other values ("
                        + ", ".join(changed)
                        + "); change it through moderation, not by import",
                    )
                )
            else:
                report.unchanged.append(checked.external_ref or "")
            continue
        queries.add_figure(session, checked, status=status, changed_by=changed_by, reason=reason)
        report.added.append(checked.external_ref or f"row {row_number}")
    return report
