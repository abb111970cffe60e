"""Reading figure CSV files and loading their rows through FigureIn, reporting every refused row.

A figures CSV has the columns of the export (FIGURE_COLUMNS are read; the export's other columns,
which describe the database it came from, are recognised and ignored). Cells the export
neutralised for spreadsheets get their one apostrophe taken off again, and a row of HXL hashtags
under the header is skipped, so an export imports back as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app import queries
from app.domain.exports import EXPORT_COLUMNS, FIGURE_COLUMNS, is_hxl_row
from app.domain.figures import FigureStatus
from app.domain.privacy import PrivacyWarning, privacy_warnings
from app.domain.spreadsheet import restore_cell
from app.figure_input import FigureIn, field_errors
from app.models import Figure

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
KNOWN_COLUMNS = frozenset(EXPORT_COLUMNS)
MAX_CELL_CHARACTERS = 20_000
FIELD_SIZE_LIMIT = 2**31 - 1
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class CsvLayout:
    """The columns a kind of CSV file must have and may have, and how to name them in errors."""

    required: frozenset[str]
    known: frozenset[str]
    listed: tuple[str, ...]
    described_as: str


FIGURES_CSV = CsvLayout(
    REQUIRED_COLUMNS, KNOWN_COLUMNS, tuple(FIGURE_COLUMNS), "the columns are those of the export"
)


class ImportFileError(ValueError):
    """A file that cannot be read as a figures CSV at all (encoding, header, broken CSV)."""


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


@dataclass(frozen=True)
class CsvRow:
    """One data row: its row number as a spreadsheet shows it (the header is row 1) and its cells."""

    row_number: int
    values: dict[str, str]
    problem: str | None = None
    fraction_read: float = 1.0


@dataclass(frozen=True)
class RestatedRow:
    """A row loaded although it restates a stored figure: a reprint or a second entry of one
    claim, which a `repeats` link would make one voice."""

    row_number: int
    reference: str
    figure_id: int
    figure_reference: str | None

    def describe(self) -> str:
        """Return one line for a report: row 13 (A12) restates figure #40 (E29a): ..."""
        reference = f" ({self.reference})" if self.reference else ""
        theirs = f" ({self.figure_reference})" if self.figure_reference else ""
        return (
            f"row {self.row_number}{reference} restates figure #{self.figure_id}{theirs}: same "
            "area, metric, number, claimant kind and date; if it is the same claim, name that "
            "figure in its repeats column"
        )


@dataclass(frozen=True)
class FlaggedRow:
    """A row loaded whose quote or notes may identify a person, for a moderator to check."""

    row_number: int
    reference: str
    warning: PrivacyWarning

    def describe(self) -> str:
        """Return one line for a report: row 7 (X1) may name a person: quote: a name next to ..."""
        reference = f" ({self.reference})" if self.reference else ""
        return f"row {self.row_number}{reference} may identify a person: {self.warning.describe()}"


@dataclass
class ImportReport:
    """What a load did: references added, references already stored unchanged, rows refused,
    rows loaded that restate a stored figure, and rows whose text may identify a person."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[RefusedRow] = field(default_factory=list)
    restated: list[RestatedRow] = field(default_factory=list)
    flagged: list[FlaggedRow] = field(default_factory=list)
    rows_read: int = 0


def read_csv_rows(path: Path, layout: CsvLayout = FIGURES_CSV) -> Iterator[CsvRow]:
    """Return a CSV file's data rows, read as they are used; raise ImportFileError for a bad file."""
    data = path.read_bytes()
    if data.startswith(UTF16_MARKS):
        raise ImportFileError(
            "the file is UTF-16 (a spreadsheet's 'Unicode text'); save it as 'CSV UTF-8'"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            f"the file is not UTF-8 (line {line}, byte {error.start} cannot be read);"
            " save it as 'CSV UTF-8'"
        ) from None
    return parse_csv_text(text, layout)


def _checked_header(header: list[str], layout: CsvLayout) -> list[str]:
    """Return the column names, raising ImportFileError when some are missing, unknown or repeated."""
    names = [name.strip() for name in header]
    if len(names) == 1 and ";" in names[0]:
        raise ImportFileError("the columns are separated by semicolons; save the file with commas")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ImportFileError("repeated columns: " + ", ".join(repeated))
    missing = sorted(layout.required - set(names))
    if missing:
        raise ImportFileError("missing columns: " + ", ".join(missing))
    unknown = [name for name in names if name not in layout.known]
    if unknown:
        raise ImportFileError(
            "unknown columns: "
            + ", ".join(repr(name[:40]) for name in unknown[:10])
            + f" ({layout.described_as}: "
            + ", ".join(layout.listed)
            + ")"
        )
    return names


def parse_csv_text(text: str, layout: CsvLayout = FIGURES_CSV) -> Iterator[CsvRow]:
    """Return the data rows of CSV text (figures unless another layout is given); raise
    ImportFileError for a bad header now, and for broken CSV when the rows are read."""
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    characters_read = 0

    def lines() -> Iterator[str]:
        nonlocal characters_read
        for line in io.StringIO(text, newline=""):
            characters_read += len(line)
            yield line

    reader = csv.reader(lines())
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ImportFileError(f"line {reader.line_num}: {error}") from None
    if not header:
        raise ImportFileError("the file is empty: it needs a header row with the column names")
    names = _checked_header(header, layout)
    return _data_rows(reader, names, lambda: characters_read / max(len(text), 1))


def _data_rows(
    reader: Iterator[list[str]], names: list[str], fraction_read: Callable[[], float]
) -> Iterator[CsvRow]:
    row_number = 1
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as error:
            raise ImportFileError(f"row {row_number + 1}: {error}") from None
        if cells is None:
            return
        row_number += 1
        if row_number == 2 and is_hxl_row(cells):
            continue
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: restore_cell(cell) for name, cell in zip(names, cells, strict=False)}
        problem = None
        if len(cells) != len(names):
            problem = f"the row has {len(cells)} cells, the header {len(names)}"
        yield CsvRow(row_number, values, problem, fraction_read())


def too_long_cells(row: dict[str, str], row_number: int) -> list[RefusedRow]:
    """Return a refusal for every cell of a row too long to be read."""
    reference = row.get("external_ref", "")[:100]
    return [
        RefusedRow(
            row_number, reference, name, f"cell longer than {MAX_CELL_CHARACTERS:,} characters"
        )
        for name, value in row.items()
        if len(value) > MAX_CELL_CHARACTERS
    ]


def validate_row(
    row: dict[str, str], row_number: int, context: dict[str, set[str]]
) -> FigureIn | list[RefusedRow]:
    """Return the row as a FigureIn, or every reason it is refused."""
    reference = row.get("external_ref", "")[:100]
    too_long = too_long_cells(row, row_number)
    if too_long:
        return too_long
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
    rows: Iterable[CsvRow],
    *,
    status: FigureStatus,
    changed_by: str,
    reason: str,
    progress: Callable[[int, float], None] | None = None,
    on_added: Callable[[Figure], None] | None = None,
) -> ImportReport:
    """Validate and store rows; rows already stored (same external_ref) are left as they are.

    Rows that name the figure they repeat are loaded after the others, so that they can name a
    row further down the same file. A new row that restates a stored figure without naming it
    is loaded and reported. `progress` hears of every row read (rows so far, fraction of the
    file); `on_added` of every figure stored.
    """
    loader = _RowLoader(
        session, queries.validation_context(session), status, changed_by, reason, on_added
    )
    deferred: list[CsvRow] = []
    for row in rows:
        loader.report.rows_read += 1
        if progress is not None:
            progress(loader.report.rows_read, row.fraction_read)
        if row.problem is None and row.values.get("repeats", "").strip():
            deferred.append(row)
        else:
            loader.load(row)
    for row in deferred:
        loader.load(row)
    loader.report.refused.sort(key=lambda refused: refused.row_number)
    return loader.report


@dataclass
class _RowLoader:
    """Validates and stores rows one at a time, adding what happened to its report."""

    session: Session
    context: dict[str, Any]
    status: FigureStatus
    changed_by: str
    reason: str
    on_added: Callable[[Figure], None] | None
    report: ImportReport = field(default_factory=ImportReport)

    def load(self, row: CsvRow) -> None:
        """Validate and store one row: refused, already stored, or added (and maybe restated)."""
        report = self.report
        reference = row.values.get("external_ref", "")[:100]
        if row.problem is not None:
            report.refused.append(RefusedRow(row.row_number, reference, "(row)", row.problem))
            return
        checked = validate_row(row.values, row.row_number, self.context)
        if isinstance(checked, list):
            report.refused.extend(checked)
            return
        existing = (
            queries.figure_by_external_ref(self.session, checked.external_ref)
            if checked.external_ref
            else None
        )
        if existing is not None:
            changed = queries.differs_from(existing, checked)
            if changed:
                report.refused.append(
                    RefusedRow(
                        row.row_number,
                        checked.external_ref or "",
                        changed[0],
                        "a figure with this external_ref is stored with other values ("
                        + ", ".join(changed)
                        + "); change it through moderation, not by import",
                    )
                )
            else:
                report.unchanged.append(checked.external_ref or "")
            return
        report.flagged.extend(
            FlaggedRow(row.row_number, reference, warning)
            for warning in privacy_warnings({"quote": checked.quote, "notes": checked.notes})
        )
        if checked.repeats is None:
            report.restated.extend(
                RestatedRow(row.row_number, reference, found.id, found.external_ref)
                for found in queries.restated_figures(self.session, checked)
            )
        figure = queries.add_figure(
            self.session,
            checked,
            status=self.status,
            changed_by=self.changed_by,
            reason=self.reason,
        )
        if self.on_added is not None:
            self.on_added(figure)
        report.added.append(checked.external_ref or f"row {row.row_number}")
