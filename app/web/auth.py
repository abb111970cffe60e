"""Moderators' login and logout, and the dependency that guards every moderation route."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.models import Moderator
from app.passwords import verify_password
from app.secrets import keyed_hash, token_hash
from app.web.deps import SessionDep
from app.web.forms import CheckedForm, csrf_token
from app.web.sessions import current_sid, rotate_sid
from app.web.templating import render

router = APIRouter()
LOGIN_FAILED = "Wrong username or password."
TOO_MANY_LOGINS = "Too many failed logins. Wait a few minutes and try again."


def client_key(request: Request) -> str:
    """Return a keyed hash of the client's address (raw addresses are never stored)."""
    host = request.client.host if request.client else "unknown"
    return keyed_hash(request.app.state.secret_key, "client", host)


def current_moderator(request: Request, session: SessionDep) -> Moderator | None:
    """Return the moderator logged in with this visitor's session, or None."""
    return queries.moderator_for_session(
        session, token_hash(current_sid(request)), datetime.now(UTC)
    )


def require_moderator(request: Request, session: SessionDep) -> Moderator:
    """Return the logged-in moderator; otherwise send pages to /login and refuse actions (403)."""
    moderator = current_moderator(request, session)
    if moderator is not None:
        return moderator
    if request.method in ("GET", "HEAD"):
        raise HTTPException(
            303, "Log in first.", headers={"Location": f"/login?next={request.url.path}"}
        )
    raise HTTPException(403, "Log in as a moderator first.")


ModeratorDep = Annotated[Moderator, Depends(require_moderator)]


def _safe_next(target: str) -> str:
    return target if target.startswith("/review") and "//" not in target else "/review"


def _login_page(
    request: Request, next_path: str, username: str, error: str, status: int
) -> Response:
    context = {
        "csrf_token": csrf_token(request),
        "next": _safe_next(next_path),
        "username": username,
        "error": error,
    }
    return render(request, "login.html", context, status_code=status)


@router.get("/login", name="login")
def login_form(request: Request, next: str = "/review") -> Response:
    """The moderators' login form."""
    return _login_page(request, next, "", "", 200)


@router.post("/login")
def login(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Check a login, throttled per account and per client; the session id changes on success."""
    settings = request.app.state.settings
    username = form.get("username").strip().lower()[:100]
    password = form.get("password")[:1024]
    next_path = form.get("next")
    now = datetime.now(UTC)
    window = settings.login_window_seconds
    account = keyed_hash(request.app.state.secret_key, "account", username)
    client = client_key(request)
    if (
        queries.count_hits(session, "login-account", account, window, now)
        >= settings.login_failures_per_account
        or queries.count_hits(session, "login-client", client, window, now)
        >= settings.login_failures_per_client
    ):
        return _login_page(request, next_path, username, TOO_MANY_LOGINS, 429)
    moderator = queries.moderator_by_username(session, username) if username.isprintable() else None
    if (
        not verify_password(moderator.password_hash if moderator else None, password)
        or not moderator
    ):
        queries.add_hit(session, "login-account", account, window, now)
        queries.add_hit(session, "login-client", client, window, now)
        return _login_page(request, next_path, username, LOGIN_FAILED, 401)
    sid = rotate_sid(request)
    lifetime = timedelta(hours=settings.login_session_hours)
    queries.start_login_session(session, moderator, token_hash(sid), now, lifetime)
    queries.record_audit(
        session,
        actor=moderator.username,
        action="login",
        object_type="moderator",
        object_id=moderator.id,
        before=None,
        after=None,
    )
    return RedirectResponse(_safe_next(next_path), status_code=303)


@router.post("/logout")
def logout(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """End the moderator's session and give the visitor a new session id."""
    queries.revoke_login_session(session, token_hash(current_sid(request)), datetime.now(UTC))
    rotate_sid(request)
    return RedirectResponse("/", status_code=303)
