"""Figure records read straight from labelled columns, as the figure specification lays them out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased

from app.domain.figure_spec import stored_values
from app.domain.records import FIGURE_SPEC, FigureRecord, record_from_stored
from app.figure_input import FigureIn
from app.models import Area, Figure, Metric, Source

REPEATED = aliased(Figure, name="repeated")
TABLES: dict[str, Any] = {
    "figure": Figure,
    "source": Source,
    "area": Area,
    "metric": Metric,
    "repeated": REPEATED,
}


def record_columns() -> tuple[ColumnElement[Any], ...]:
    """Return every stored column of a figure record, labelled by its field, in FIGURE_SPEC's order."""
    columns = []
    for field_spec in FIGURE_SPEC:
        table = TABLES[field_spec.table]
        for column, label in zip(
            field_spec.stored_columns,
            _labels(field_spec.name, field_spec.stored_columns),
            strict=True,
        ):
            columns.append(getattr(table, column).label(label))
    return tuple(columns)


def _labels(name: str, stored: tuple[str, ...]) -> tuple[str, ...]:
    return (name,) if len(stored) == 1 else (name, f"{name}_precision")


RECORD_COLUMNS = record_columns()


def joined(query: Select[Any]) -> Select[Any]:
    """Return the query joined with the tables a figure record reads besides the figure's own."""
    return (
        query.join(Area, Area.code == Figure.area_code)
        .join(Metric, Metric.slug == Figure.metric_slug)
        .join(Source, Source.id == Figure.source_id)
        .outerjoin(REPEATED, REPEATED.id == Figure.repeats_id)
    )


def records_query(*conditions: ColumnElement[bool]) -> Select[Any]:
    """Return the select of figure records meeting the conditions (no order)."""
    return joined(select(*RECORD_COLUMNS)).where(*conditions)


def records_where(session: Session, *conditions: ColumnElement[bool]) -> list[FigureRecord]:
    """Return the records of the figures meeting the conditions, by id."""
    query = records_query(*conditions).order_by(Figure.id)
    return [record_from_stored(row) for row in session.execute(query)]


def record_of(session: Session, figure_id: int) -> FigureRecord | None:
    """Return the record of the figure with this id, whatever its status, or None."""
    found = records_where(session, Figure.id == figure_id)
    return found[0] if found else None


def figure_columns(figure_in: FigureIn) -> dict[str, Any]:
    """Return the figure table's column values that a validated input sets (not source or status)."""
    return _entered_columns(figure_in, "figure")


def source_columns(figure_in: FigureIn) -> dict[str, Any]:
    """Return the source table's column values that a validated input states (its claim)."""
    return _entered_columns(figure_in, "source")


def _entered_columns(figure_in: FigureIn, table: str) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for field_spec in FIGURE_SPEC:
        if field_spec.table != table or not field_spec.entered:
            continue
        value = getattr(figure_in, field_spec.entered)
        stored = stored_values(field_spec.kind, value)
        columns.update(zip(field_spec.stored_columns, stored, strict=True))
    return columns
