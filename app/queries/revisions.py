"""Append-only revisions of figures, source records and exchange rates: one way to write the next
one and to read them in order. Functions flush, never commit."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ExchangeRateRevision, FigureRevision, SourceRevision

RevisionT = TypeVar("RevisionT", FigureRevision, SourceRevision, ExchangeRateRevision)


def append_revision(
    session: Session,
    revision_type: type[RevisionT],
    *,
    owner: str,
    of: Any,
    previous_state: dict[str, Any] | None,
    new_state: dict[str, Any],
    changed_by: str,
    reason: str,
) -> RevisionT:
    """Append the next revision of `of` (the row its `owner` relationship names): its state
    before and after the change, who made it and why."""
    owner_id = getattr(revision_type, f"{owner}_id")
    last = session.scalar(select(func.max(revision_type.number)).where(owner_id == of.id))
    revision = revision_type(
        number=int(last or 0) + 1,
        changed_by=changed_by,
        reason=reason,
        previous_state=previous_state,
        new_state=new_state,
        **{owner: of},
    )
    session.add(revision)
    session.flush()
    return revision


def revisions_in_order(
    session: Session, revision_type: type[RevisionT], *, owner: str, owner_id: int
) -> list[RevisionT]:
    """Return the revisions of one row, oldest first."""
    column = getattr(revision_type, f"{owner}_id")
    query = select(revision_type).where(column == owner_id).order_by(revision_type.number)
    return list(session.scalars(query))
