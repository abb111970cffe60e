"""Security headers on every response (a strict Content-Security-Policy and friends), body-size
limits, and the refusal of addresses no page uses."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _content_security_policy(frame_ancestors: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            # Plotly sets styles on the elements it draws; scripts stay strictly same-origin.
            "style-src 'self' 'unsafe-inline'",
            # Plotly draws a PNG download from the chart's SVG loaded as a blob: image.
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        )
    )


CONTENT_SECURITY_POLICY = _content_security_policy("'none'")

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

# Embeds (app/web/pages/embeds.py) are made to be framed by any site: the same policy but for
# frame-ancestors, and no X-Frame-Options. Every other page refuses to be framed.
FRAMEABLE_PATHS = ("/embed/",)
FRAMEABLE_HEADERS = {
    **{name: value for name, value in SECURITY_HEADERS.items() if name != "X-Frame-Options"},
    "Content-Security-Policy": _content_security_policy("*"),
}

STRICT_TRANSPORT = "max-age=31536000"

# Pages that hold a moderator's view or a submitter's private status: never kept by a cache.
PRIVATE_PATHS = ("/review", "/submissions/", "/login")


class SecurityHeadersMiddleware:
    """Adds SECURITY_HEADERS to every HTTP response, streamed ones included (FRAMEABLE_HEADERS to
    embeds); private pages get `Cache-Control: no-store`; HSTS when the public address is https."""

    def __init__(self, app: ASGIApp, strict_transport: bool = False) -> None:
        self.app = app
        self.strict_transport = strict_transport

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = str(scope["path"]).startswith(PRIVATE_PATHS)
        frameable = str(scope["path"]).startswith(FRAMEABLE_PATHS)
        sent_headers = FRAMEABLE_HEADERS if frameable else SECURITY_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in sent_headers.items():
                    headers.setdefault(name, value)
                if private:
                    headers["Cache-Control"] = "no-store"
                if self.strict_transport:
                    headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Answers 413 to requests whose body is larger than the limit, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(send, self.max_bytes)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await _too_large(send, self.max_bytes)


class _BodyTooLarge(Exception):
    """Raised inside the app when a streamed body passes the limit."""


async def _too_large(send: Send, max_bytes: int) -> None:
    body = f"Request body too large: at most {max_bytes // 1024} KiB.\n".encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *[(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()],
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


NUL_IN_ADDRESS = "The address contains a NUL character (%00), which no address of this site uses."


def refuse_nul_in_address(request: Request) -> None:
    """Refuse (400) an address holding a NUL character, which PostgreSQL cannot compare."""
    if "\x00" in request.scope["path"] or any(
        "\x00" in name or "\x00" in value for name, value in request.query_params.multi_items()
    ):
        raise HTTPException(400, NUL_IN_ADDRESS)
