"""Loading exchange-rate CSV files through RateIn, reporting every refused row.

A rates CSV has the columns RATE_COLUMNS (currency, usd_per_unit, as_of, quote, source_url and
source_publisher required). A row that restates a stored rate (same currency, date and source
address, same number, precision and quote) is already stored; one that states such a rate
otherwise is refused: a stored rate changes only through a moderator's edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app import queries
from app.figure_input import field_errors
from app.operations.importing import CsvLayout, CsvRow, RefusedRow, too_long_cells
from app.rate_input import RATE_COLUMNS, REQUIRED_RATE_COLUMNS, RateIn

RATES_CSV = CsvLayout(
    REQUIRED_RATE_COLUMNS, frozenset(RATE_COLUMNS), RATE_COLUMNS, "the columns of a rates file"
)


@dataclass
class RateImportReport:
    """What a load of rates did: rows added, rows already stored, rows refused."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[RefusedRow] = field(default_factory=list)
    rows_read: int = 0


def validate_rate_row(row: CsvRow) -> RateIn | list[RefusedRow]:
    """Return the row as a RateIn, or every reason it is refused."""
    reference = row.values.get("external_ref", "")[:100]
    if row.problem is not None:
        return [RefusedRow(row.row_number, reference, "(row)", row.problem)]
    too_long = too_long_cells(row.values, row.row_number)
    if too_long:
        return too_long
    try:
        return RateIn.model_validate({name: row.values.get(name, "") for name in RATE_COLUMNS})
    except ValidationError as error:
        return [
            RefusedRow(row.row_number, reference, column, reason)
            for column, reason in field_errors(error).items()
        ]


def load_rate_rows(
    session: Session, rows: Iterable[CsvRow], *, changed_by: str, reason: str
) -> RateImportReport:
    """Validate and store rows in order; the caller rolls back when any is refused."""
    report = RateImportReport()
    for row in rows:
        report.rows_read += 1
        checked = validate_rate_row(row)
        if isinstance(checked, list):
            report.refused.extend(checked)
            continue
        label = checked.external_ref or f"row {row.row_number}"
        reference = checked.external_ref or ""
        stored = queries.stored_rate(session, checked)
        if stored is not None:
            differing = queries.rate_differs(stored, checked)
            if differing:
                report.refused.append(
                    RefusedRow(
                        row.row_number,
                        reference,
                        differing[0],
                        f"rate #{stored.id} of this currency, date and source is stored with"
                        f" other values ({', '.join(differing)}); change it on"
                        f" /review/rates/{stored.id}, not by import",
                    )
                )
            else:
                report.unchanged.append(label)
            continue
        try:
            queries.add_rate(session, checked, changed_by=changed_by, reason=reason)
        except queries.RateProblem as problem:
            report.refused.append(
                RefusedRow(row.row_number, reference, problem.field, problem.message)
            )
            continue
        report.added.append(label)
    return report
