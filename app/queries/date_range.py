"""The span of time the published figures cover, for the datasets' temporal coverage."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.comparisons import date_range_of
from app.domain.figures import FigureStatus
from app.models import Figure
from app.queries.summaries import kept_summaries


def published_date_range(
    session: Session, *, area_code: str | None = None
) -> tuple[date, date] | None:
    """Return the first and last day the published figures (of one area, if given) state a date
    for: as of a date or over a period, each date over the whole day, month or year it names.
    None when no published figure states a date.

    Read from the kept summaries (app/queries/summaries.py), which hold each group's span.
    """
    return date_range_of(kept_summaries(session, area_code=area_code).values())


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
