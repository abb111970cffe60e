"""The span of time the published figures cover, for the datasets' temporal coverage."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.domain.dates import DatePrecision, PartialDate
from app.domain.figures import FigureStatus
from app.models import Figure


def _extremes(
    session: Session,
    value: InstrumentedAttribute[date | None],
    precision: InstrumentedAttribute[str | None],
    where: list[ColumnElement[bool]],
) -> list[tuple[PartialDate, PartialDate]]:
    """Return, for each precision a date column is stated with, its earliest and latest date."""
    query = (
        select(func.min(value), func.max(value), precision)
        .where(*where, value.is_not(None))
        .group_by(precision)
    )
    return [
        (PartialDate(first, DatePrecision(stated)), PartialDate(last, DatePrecision(stated)))
        for first, last, stated in session.execute(query)
        if first is not None and last is not None and stated is not None
    ]


def published_date_range(
    session: Session, *, area_code: str | None = None
) -> tuple[date, date] | None:
    """Return the first and last day the published figures (of one area, if given) state a date
    for: as of a date or over a period, each date over the whole day, month or year it names.
    None when no published figure states a date."""
    where = [Figure.status == FigureStatus.PUBLISHED.value]
    if area_code is not None:
        where.append(Figure.area_code == area_code)
    columns = (
        (Figure.as_of, Figure.as_of_precision),
        (Figure.period_start, Figure.period_start_precision),
        (Figure.period_end, Figure.period_end_precision),
    )
    extremes = [pair for column in columns for pair in _extremes(session, *column, where)]
    if not extremes:
        return None
    return (
        min(first.value for first, _ in extremes),
        max(last.last_day() for _, last in extremes),
    )
