"""The `sid` cookie: a random id every visitor gets; CSRF tokens are bound to it and a moderator's
login is stored under its hash. Logging in or out replaces it with a new one."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.secret_key import new_token

COOKIE_NAME = "sid"
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _cookie_value(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:
                return None
            morsel = cookie.get(COOKIE_NAME)
            if morsel is not None and _TOKEN_SHAPE.match(morsel.value):
                return morsel.value
    return None


class SessionCookieMiddleware:
    """Gives a visitor a `sid` cookie (HttpOnly, SameSite=Lax) once a page uses it; Secure when the
    request came over https or the public address is https."""

    def __init__(self, app: ASGIApp, always_secure: bool = False) -> None:
        self.app = app
        self.always_secure = always_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = _cookie_value(scope)
        state = scope.setdefault("state", {})
        state["sid"] = received  # a new visitor's id is drawn when a page first uses it
        state["sid_used"] = False

        async def send_with_cookie(message: Message) -> None:
            changed = state["sid"] != received
            if message["type"] == "http.response.start" and changed and state["sid_used"]:
                https = self.always_secure or scope.get("scheme") == "https"
                secure = "; Secure" if https else ""
                MutableHeaders(scope=message).append(
                    "set-cookie",
                    f"{COOKIE_NAME}={state['sid']}; Path=/; HttpOnly; SameSite=Lax{secure}",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def current_sid(request: Request) -> str:
    """Return this visitor's session id (a new visitor's is sent as a cookie with the response)."""
    if request.state.sid is None:
        request.state.sid = new_token()
    request.state.sid_used = True
    return str(request.state.sid)


def rotate_sid(request: Request) -> str:
    """Give the visitor a new session id (sent as a new cookie with the response); return it."""
    request.state.sid = new_token()
    request.state.sid_used = True
    return str(request.state.sid)
