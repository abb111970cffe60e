"""The secret key that signs CSRF tokens and hashes client addresses."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from app.settings import PROJECT_ROOT, Settings

SECRET_FILE = PROJECT_ROOT / "var" / "secret_key"


def resolve_secret_key(settings: Settings, path: Path = SECRET_FILE) -> bytes:
    """Return SECRET_KEY, or a key kept in ./var/secret_key (created once, shared by all workers)."""
    if settings.secret_key:
        return settings.secret_key.encode()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip().encode()


def keyed_hash(key: bytes, purpose: str, value: str) -> str:
    """Return a hex HMAC of the value for one purpose (CSRF token, client key, ...)."""
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """Return the SHA-256 of a random token, as stored in place of the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """Return a new unguessable token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)
