"""The audit trail: append-only records of moderation actions. Functions flush, never commit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str = "",
) -> AuditEvent:
    """Append one audit event and return it."""
    event = AuditEvent(
        at=datetime.now(UTC),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        reason=reason,
    )
    session.add(event)
    session.flush()
    return event


def audit_events_for(
    session: Session, *, object_type: str, object_id: str | int
) -> list[AuditEvent]:
    """Return the audit events of one object, oldest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
        .order_by(AuditEvent.id)
    )
    return list(session.scalars(query))
