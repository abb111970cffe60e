"""Moderators' login and logout, and the dependency that guards every moderation route."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.domain.throttles import login_backoff_seconds
from app.models import Moderator
from app.passwords import verify_password
from app.secret_key import keyed_hash, token_hash
from app.web.deps import PrimarySessionDep, app_state
from app.web.http.clients import client_key
from app.web.http.forms import CheckedForm, PostedForm, csrf_token
from app.web.http.sessions import current_sid, rotate_sid
from app.web.templating import render

router = APIRouter()
LOGIN_FAILED = "Wrong username or password."
TOO_MANY_LOGINS = "Too many failed logins. Wait a few minutes and try again."


def current_moderator(request: Request, session: PrimarySessionDep) -> Moderator | None:
    """Return the moderator logged in with this visitor's session, or None."""
    return queries.moderator_for_session(
        session, token_hash=token_hash(current_sid(request)), now=datetime.now(UTC)
    )


def require_moderator(request: Request, session: PrimarySessionDep) -> Moderator:
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


def _account_key(request: Request, username: str) -> str:
    return keyed_hash(app_state(request).secret_key, "account", username)


def _username(form: PostedForm) -> str:
    return form.get("username").strip().lower()[:100]


async def wait_out_backoff(request: Request, form: CheckedForm) -> None:
    """Make a login for an account that many clients failed for wait, holding no thread or lock."""
    settings = app_state(request).settings
    account = _account_key(request, _username(form))

    def recent_failures() -> int:
        with app_state(request).sessions() as session:
            return queries.count_hits(
                session,
                bucket="login-account",
                key_hash=account,
                window_seconds=settings.login_backoff_window_seconds,
                now=datetime.now(UTC),
            )

    delay = login_backoff_seconds(
        await run_in_threadpool(recent_failures),
        settings.login_backoff_after_failures,
        settings.login_backoff_step_seconds,
        settings.login_backoff_most_seconds,
    )
    if delay > 0:
        await asyncio.sleep(delay)


@router.post("/login", dependencies=[Depends(wait_out_backoff)])
def login(request: Request, form: CheckedForm, session: PrimarySessionDep) -> Response:
    """Check a login, throttled per account and client together and per client; a much-attacked
    account's logins wait first. The session id changes on success."""
    settings = app_state(request).settings
    username = _username(form)
    password = form.get("password")[:1024]
    next_path = form.get("next")
    now = datetime.now(UTC)
    window = settings.login_window_seconds
    account = _account_key(request, username)
    client = client_key(request)
    # Each check takes its hit first, in one statement; a login that does not fail gives it back.
    taken = [
        ("login-account-client", keyed_hash(app_state(request).secret_key, account, client)),
        ("login-client", client),
    ]
    counts = [
        queries.take_hit(session, bucket=bucket, key_hash=key, window_seconds=window, now=now)
        for bucket, key in taken
    ]
    moderator = None
    refused = (
        counts[0] > settings.login_failures_per_account
        or counts[1] > settings.login_failures_per_client
    )
    if not refused:
        moderator = (
            queries.moderator_by_username(session, username) if username.isprintable() else None
        )
        password_hash = moderator.password_hash if moderator else None
        if not verify_password(password_hash, password) or not moderator:
            queries.take_hit(
                session,
                bucket="login-account",
                key_hash=account,
                window_seconds=settings.login_backoff_window_seconds,
                now=now,
            )
            return _login_page(request, next_path, username, LOGIN_FAILED, 401)
    for bucket, key in taken:
        queries.give_back_hit(session, bucket=bucket, key_hash=key, window_seconds=window, now=now)
    if moderator is None:
        return _login_page(request, next_path, username, TOO_MANY_LOGINS, 429)
    sid = rotate_sid(request)
    lifetime = timedelta(hours=settings.login_session_hours)
    queries.start_login_session(
        session, moderator=moderator, token_hash=token_hash(sid), now=now, lifetime=lifetime
    )
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
def logout(request: Request, form: CheckedForm, session: PrimarySessionDep) -> Response:
    """End the moderator's session and give the visitor a new session id."""
    queries.revoke_login_session(
        session, token_hash=token_hash(current_sid(request)), now=datetime.now(UTC)
    )
    rotate_sid(request)
    return RedirectResponse("/", status_code=303)
