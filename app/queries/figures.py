"""Figures: reading them as records, storing them with their first revision. Functions flush, never commit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.figures import PUBLIC_STATUSES, FigureStatus
from app.domain.records import FigureRecord
from app.figure_input import FigureIn
from app.models import (
    Figure,
    FigureRevision,
)
from app.queries.records import figure_columns, records_where
from app.queries.revisions import append_revision, revisions_in_order
from app.queries.sources import (
    SourceRecordDiffers,
    accept_figure_source,
    claim_for_edit,
    claimed_source,
    record_differs,
    source_for,
)
from app.queries.summaries import group_of, refresh_summaries


def public_record(session: Session, figure_id: int) -> FigureRecord | None:
    """Return a figure anyone may see (published or retracted), or None."""
    found = records_where(session, Figure.id == figure_id, Figure.status.in_(PUBLIC_STATUSES))
    return found[0] if found else None


def revisions_of(session: Session, figure_id: int) -> list[FigureRevision]:
    """Return a figure's revisions, oldest first."""
    return revisions_in_order(session, FigureRevision, owner="figure", owner_id=figure_id)


def count_figures(session: Session) -> int:
    """Return the number of figures stored, whatever their status."""
    return int(session.scalar(select(func.count()).select_from(Figure)) or 0)


def figure_state(figure: Figure) -> dict[str, Any]:
    """Return every field of a figure as JSON-ready values (what a revision keeps)."""
    state: dict[str, Any] = {}
    for column in Figure.__table__.columns:
        value = getattr(figure, column.key)
        if isinstance(value, date):
            value = value.isoformat()
        elif value is not None and not isinstance(value, str | int | bool):
            value = str(value)
        state[column.key] = value
    return state


def differs_from(figure: Figure, figure_in: FigureIn) -> list[str]:
    """Return the names of the fields where a stored figure differs from an input."""
    changed = [
        name for name, value in figure_columns(figure_in).items() if getattr(figure, name) != value
    ]
    if figure.source.url != figure_in.source_url:
        changed.append("source_url")
    return changed


def add_figure(
    session: Session, figure_in: FigureIn, *, status: FigureStatus, changed_by: str, reason: str
) -> Figure:
    """Store a validated figure with its first revision; return it.

    A published figure cites its URL's source record (created from its fields if new); any other
    cites its own claim about its source, which changes no record.
    """
    if status is FigureStatus.PUBLISHED:
        source = source_for(session, figure_in, changed_by=changed_by, reason=reason)
    else:
        source = claimed_source(session, figure_in)
    figure = Figure(**figure_columns(figure_in), source=source, status=status.value)
    session.add(figure)
    session.flush()
    session.refresh(figure)
    _write_revision(session, figure, None, changed_by=changed_by, reason=reason)
    if status is FigureStatus.PUBLISHED:
        refresh_summaries(session, [group_of(figure)])
    return figure


def _write_revision(
    session: Session,
    figure: Figure,
    previous_state: dict[str, Any] | None,
    *,
    changed_by: str,
    reason: str,
) -> FigureRevision:
    """Append the figure's next revision: its state before and after the change."""
    return append_revision(
        session,
        FigureRevision,
        owner="figure",
        of=figure,
        previous_state=previous_state,
        new_state=figure_state(figure),
        changed_by=changed_by,
        reason=reason,
    )


def figure_for_update(session: Session, figure_id: int) -> Figure | None:
    """Return the figure locked for this transaction (PostgreSQL row lock; SQLite locks at BEGIN)."""
    query = select(Figure).where(Figure.id == figure_id).with_for_update()
    return session.scalars(query).one_or_none()


def edit_figure(
    session: Session, *, figure: Figure, figure_in: FigureIn, changed_by: str, reason: str
) -> FigureRevision | None:
    """Apply an edited input to a figure (keeping its status and reference); None if nothing changed.

    A pending or rejected figure's source claim takes the edit; a public figure cites its URL's
    source record, which only a source edit changes (SourceRecordDiffers when the input states
    it otherwise).
    """
    previous = figure_state(figure)
    group_before = group_of(figure)
    columns = figure_columns(figure_in)
    columns.pop("external_ref")
    if figure.status in (FigureStatus.PENDING.value, FigureStatus.REJECTED.value):
        source = claim_for_edit(session, current=figure.source, figure_in=figure_in)
    else:
        source = source_for(session, figure_in, changed_by=changed_by, reason=reason)
        differing = record_differs(source, figure_in)
        if differing:
            raise SourceRecordDiffers(source.id, differing)
    for name, value in columns.items():
        setattr(figure, name, value)
    figure.source = source
    session.flush()
    if figure_state(figure) == previous:
        return None
    figure.updated_at = datetime.now(UTC)
    session.flush()
    revision = _write_revision(session, figure, previous, changed_by=changed_by, reason=reason)
    if figure.status == FigureStatus.PUBLISHED.value:
        refresh_summaries(session, [group_before, group_of(figure)])
    return revision


def set_figure_status(
    session: Session, *, figure: Figure, status: FigureStatus, changed_by: str, reason: str
) -> FigureRevision:
    """Move a figure to a status (publish, reject, retract) with a revision saying who and why."""
    previous = figure_state(figure)
    if status is FigureStatus.PUBLISHED:
        accept_figure_source(session, figure, changed_by=changed_by, reason=reason)
    published = FigureStatus.PUBLISHED.value
    was_published = figure.status == published
    figure.status = status.value
    figure.updated_at = datetime.now(UTC)
    session.flush()
    revision = _write_revision(session, figure, previous, changed_by=changed_by, reason=reason)
    if was_published or figure.status == published:
        refresh_summaries(session, [group_of(figure)])
    return revision


def figures_like(
    session: Session,
    *,
    area_code: str,
    metric_slug: str,
    statuses: tuple[FigureStatus, ...],
    exclude_id: int | None = None,
) -> list[FigureRecord]:
    """Return the figures of one area and metric in these statuses (for reviewers and submitters)."""
    conditions = [
        Figure.area_code == area_code,
        Figure.metric_slug == metric_slug,
        Figure.status.in_([status.value for status in statuses]),
    ]
    if exclude_id is not None:
        conditions.append(Figure.id != exclude_id)
    return records_where(session, *conditions)


def figure_by_external_ref(session: Session, reference: str) -> Figure | None:
    """Return the figure carrying this external reference, or None."""
    return session.scalars(select(Figure).where(Figure.external_ref == reference)).one_or_none()
