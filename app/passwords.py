"""Moderators' passwords, hashed with argon2id."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# Verified against when a username is unknown, so both answers take the same time.
_UNKNOWN_USER_HASH = _HASHER.hash("no such moderator: this hash never matches a login")
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password, refusing short ones."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return True when the password matches; spends the same effort when there is no hash."""
    try:
        return _HASHER.verify(password_hash or _UNKNOWN_USER_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
