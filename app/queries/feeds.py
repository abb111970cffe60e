"""The latest revisions that left figures public, for the feeds. Functions flush, never commit."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from app.domain.figure_feed import FEED_ENTRIES, PublicRevision
from app.domain.figures import PUBLIC_STATUSES
from app.domain.records import FigureRecord, record_from_stored
from app.models import Figure, FigureRevision
from app.queries.records import RECORD_COLUMNS, records_query

_REVISION_COLUMNS = (
    FigureRevision.number,
    FigureRevision.changed_at,
    FigureRevision.reason,
    FigureRevision.previous_state,
    FigureRevision.new_state,
)


def latest_public_revisions(
    session: Session,
    *,
    area_code: str | None = None,
    metric_slug: str | None = None,
    leave_out_areas: Collection[str] = (),
    limit: int = FEED_ENTRIES,
) -> list[tuple[PublicRevision, FigureRecord]]:
    """Return the latest `limit` revisions that left a public figure published or retracted
    (its publication, edits, retraction, reinstatement), newest first, each with the figure as
    it stands now; of one area or one metric when asked, leaving some areas out."""
    conditions: list[ColumnElement[bool]] = [
        Figure.status.in_(PUBLIC_STATUSES),
        FigureRevision.new_state["status"].as_string().in_(PUBLIC_STATUSES),
    ]
    if area_code is not None:
        conditions.append(Figure.area_code == area_code)
    if metric_slug is not None:
        conditions.append(Figure.metric_slug == metric_slug)
    if leave_out_areas:
        conditions.append(Figure.area_code.not_in(leave_out_areas))
    query = (
        records_query(*conditions)
        .add_columns(*_REVISION_COLUMNS)
        .join(FigureRevision, FigureRevision.figure_id == Figure.id)
        # Newest first: revisions are appended, so a later one has a larger id (the dataset
        # version counts on it too), and the primary key walked backwards needs no sort.
        .order_by(FigureRevision.id.desc())
        .limit(limit)
    )
    width = len(RECORD_COLUMNS)
    return [_revision_and_record(row, width) for row in session.execute(query)]


def _revision_and_record(row: Any, width: int) -> tuple[PublicRevision, FigureRecord]:
    record = record_from_stored(row[:width])
    number, changed_at, reason, previous_state, new_state = row[width:]
    revision = PublicRevision(record.id, number, changed_at, reason, previous_state, new_state)
    return revision, record
