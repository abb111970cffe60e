"""Moderators' edits of source records: each writes a revision and an audit event. Flush, never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain.moderation import ModerationAction, check_reason
from app.models import Source
from app.queries.audit import record_audit
from app.queries.sources import source_state, write_source_revision
from app.source_input import SourceIn


def source_for_update(session: Session, source_id: int) -> Source | None:
    """Return the accepted source record with this id, locked for this transaction, or None."""
    source = session.get(Source, source_id, with_for_update=True)
    return source if source is not None and source.accepted else None


def edit_source(
    session: Session, *, source: Source, source_in: SourceIn, moderator: str, reason: str
) -> bool:
    """Apply a moderator's edit to a source record; False when it changed nothing.

    Raises ValueError when the reason is missing or too long.
    """
    reason = check_reason(ModerationAction.EDIT, reason)
    before = source_state(source)
    for column, value in source_in.columns().items():
        setattr(source, column, value)
    session.flush()
    after = source_state(source)
    if after == before:
        return False
    write_source_revision(
        session, source=source, previous_state=before, changed_by=moderator, reason=reason
    )
    record_audit(
        session,
        actor=moderator,
        action=ModerationAction.EDIT.value,
        object_type="source",
        object_id=source.id,
        before=before,
        after=after,
        reason=reason,
    )
    return True
