"""Revision histories for moderators and the public, and redactions of past revisions' fields.
Functions flush, never commit."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.moderation import ModerationAction, check_reason
from app.domain.revision_history import (
    RevisionView,
    moderator_history,
    public_history,
    redactable_fields,
)
from app.models import Figure, FigureRevision, RevisionRedaction
from app.queries.audit import record_audit
from app.queries.figures import revisions_of


def _redactions_by_number(session: Session, figure_id: int) -> dict[int, set[str]]:
    query = (
        select(FigureRevision.number, RevisionRedaction.field)
        .join(RevisionRedaction, RevisionRedaction.revision_id == FigureRevision.id)
        .where(FigureRevision.figure_id == figure_id)
    )
    redacted: dict[int, set[str]] = defaultdict(set)
    for number, field in session.execute(query):
        redacted[number].add(field)
    return redacted


def public_revisions(session: Session, figure_id: int) -> list[RevisionView]:
    """Return a figure's public history: from its first publication on, redactions applied."""
    return public_history(
        revisions_of(session, figure_id), _redactions_by_number(session, figure_id)
    )


def moderator_revisions(session: Session, figure_id: int) -> list[RevisionView]:
    """Return a figure's every revision with every value, each marked with its redacted fields."""
    return moderator_history(
        revisions_of(session, figure_id), _redactions_by_number(session, figure_id)
    )


def redact_revision_field(
    session: Session, *, figure: Figure, number: int, field: str, moderator: str, reason: str
) -> None:
    """Withhold a field of one of the figure's revisions from the public history, with an audit
    event saying who, when and why. Raises ValueError for a missing reason, an unknown revision
    or field, or a field redacted already."""
    reason = check_reason(ModerationAction.REDACT, reason)
    revision = session.scalars(
        select(FigureRevision).where(
            FigureRevision.figure_id == figure.id, FigureRevision.number == number
        )
    ).one_or_none()
    if revision is None:
        raise ValueError(f"figure #{figure.id} has no revision {number}")
    if field not in redactable_fields(revision):
        raise ValueError(f"revision {number} has no field '{field[:40]}'")
    if field in _redactions_by_number(session, figure.id).get(number, set()):
        raise ValueError(f"'{field}' of revision {number} is redacted already")
    now = datetime.now(UTC)
    session.add(
        RevisionRedaction(
            revision_id=revision.id,
            field=field,
            redacted_at=now,
            redacted_by=moderator,
            reason=reason,
        )
    )
    record_audit(
        session,
        actor=moderator,
        action=ModerationAction.REDACT.value,
        object_type="figure",
        object_id=figure.id,
        before=None,
        after={"revision": number, "field": field},
        reason=reason,
    )
