"""Who a request comes from, as the rate limits know it: a keyed hash, never the raw address."""

from __future__ import annotations

from fastapi import Request

from app.domain.throttles import rate_limit_address
from app.secret_key import keyed_hash
from app.web.deps import app_state


def client_key(request: Request) -> str:
    """Return a keyed hash of the client's address (an IPv6 address's /64); never stored raw."""
    host = request.client.host if request.client else "unknown"
    return keyed_hash(app_state(request).secret_key, "client", rate_limit_address(host))
