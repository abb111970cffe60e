"""The span of time the published figures cover, for the datasets' temporal coverage."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.dates import DatePrecision, PartialDate
from app.domain.figures import FigureStatus
from app.models import Figure


def published_date_range(
    session: Session, *, area_code: str | None = None
) -> tuple[date, date] | None:
    """Return the first and last day the published figures (of one area, if given) state a date
    for: as of a date or over a period, each date over the whole day, month or year it names.
    None when no published figure states a date.

    One pass over the figures: the earliest dates need no precision (a partial date is stored
    as its first day); the latest are grouped by the precision that says where their span ends.
    """
    query = select(
        func.min(Figure.as_of),
        func.min(Figure.period_start),
        func.max(Figure.as_of),
        Figure.as_of_precision,
        func.max(Figure.period_end),
        Figure.period_end_precision,
    ).where(Figure.status == FigureStatus.PUBLISHED.value)
    if area_code is not None:
        query = query.where(Figure.area_code == area_code)
    query = query.group_by(Figure.as_of_precision, Figure.period_end_precision)
    firsts: list[date] = []
    lasts: list[date] = []
    for (
        first_as_of,
        first_start,
        last_as_of,
        as_of_precision,
        last_end,
        end_precision,
    ) in session.execute(query):
        firsts += [day for day in (first_as_of, first_start) if day is not None]
        for last, precision in ((last_as_of, as_of_precision), (last_end, end_precision)):
            if last is not None and precision is not None:
                lasts.append(PartialDate(last, DatePrecision(precision)).last_day())
    if not firsts or not lasts:
        return None
    return min(firsts), max(lasts)


def published_as_of_span(session: Session) -> tuple[date, date] | None:
    """Return the first and last as-of date stored for the published figures (as stored: a
    partial date's first day), or None when none states one."""
    query = select(func.min(Figure.as_of), func.max(Figure.as_of)).where(
        Figure.status == FigureStatus.PUBLISHED.value
    )
    first, last = session.execute(query).one()
    if first is None or last is None:
        return None
    return first, last
