"""Moderators and their login sessions. Functions flush, never commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from app.models import LoginSession, Moderator


def moderator_by_username(session: Session, username: str) -> Moderator | None:
    """Return the active moderator with this username, or None."""
    query = select(Moderator).where(Moderator.username == username, Moderator.active.is_(True))
    return session.scalars(query).one_or_none()


def add_moderator(session: Session, *, username: str, password_hash: str) -> Moderator:
    """Store a new moderator and return it."""
    moderator = Moderator(username=username, password_hash=password_hash, active=True)
    session.add(moderator)
    session.flush()
    return moderator


def start_login_session(
    session: Session, *, moderator: Moderator, token_hash: str, now: datetime, lifetime: timedelta
) -> LoginSession:
    """Store a new login session for the moderator and return it."""
    login = LoginSession(
        token_hash=token_hash,
        moderator_id=moderator.id,
        created_at=now,
        expires_at=now + lifetime,
        revoked_at=None,
    )
    session.add(login)
    session.flush()
    return login


def moderator_for_session(session: Session, *, token_hash: str, now: datetime) -> Moderator | None:
    """Return the moderator logged in with this session, if it is live (not revoked, not expired)."""
    query = (
        select(LoginSession)
        .options(joinedload(LoginSession.moderator))
        .where(
            LoginSession.token_hash == token_hash,
            LoginSession.revoked_at.is_(None),
            LoginSession.expires_at > now,
        )
    )
    login = session.scalars(query).one_or_none()
    if login is None or not login.moderator.active:
        return None
    return login.moderator


def revoke_login_session(session: Session, *, token_hash: str, now: datetime) -> None:
    """End a login session (logout)."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == token_hash, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
