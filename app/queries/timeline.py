"""Timeline events of an area. Functions flush, never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.domain.dates import PartialDate
from app.models import (
    Source,
    TimelineEvent,
)


def timeline_for(session: Session, area_code: str) -> list[TimelineEvent]:
    """Return an area's dated events, oldest first, with their sources."""
    query = (
        select(TimelineEvent)
        .options(joinedload(TimelineEvent.source))
        .where(TimelineEvent.area_code == area_code)
        .order_by(TimelineEvent.happened_on, TimelineEvent.id)
    )
    return list(session.scalars(query))


def timeline_area_codes(session: Session) -> set[str]:
    """Return the codes of the areas that have a timeline event."""
    return set(session.scalars(select(TimelineEvent.area_code).distinct()))


def event_by_external_ref(session: Session, reference: str) -> TimelineEvent | None:
    """Return the timeline event carrying this external reference, or None."""
    query = select(TimelineEvent).where(TimelineEvent.external_ref == reference)
    return session.scalars(query).one_or_none()


def add_event(
    session: Session,
    *,
    area_code: str,
    happened_on: PartialDate,
    title: str,
    description: str,
    source: Source,
    external_ref: str | None,
) -> TimelineEvent:
    """Store a timeline event and return it."""
    event = TimelineEvent(
        area_code=area_code,
        happened_on=happened_on.value,
        date_precision=happened_on.precision.value,
        title=title,
        description=description,
        source=source,
        external_ref=external_ref,
    )
    session.add(event)
    session.flush()
    return event
