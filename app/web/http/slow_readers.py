"""Slow readers: a download whose reader stops taking bytes is cut off, so that a few readers
that never read cannot keep the download slots (app.web.deps.CONCURRENT_EXPORTS) forever."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ReaderTooSlow(Exception):
    """Raised inside the app when a response could not be sent within the reader timeout."""


class ReaderTimeoutMiddleware:
    """Cuts off a response under `prefix` when one of its parts waits longer than `seconds` for
    the reader to take the bytes before it; the connection is closed and the request ends."""

    def __init__(self, app: ASGIApp, prefix: str, seconds: float) -> None:
        self.app = app
        self.prefix = prefix
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(self.prefix):
            await self.app(scope, receive, send)
            return

        async def timed_send(message: Message) -> None:
            try:
                await asyncio.wait_for(send(message), self.seconds)
            except TimeoutError:
                raise ReaderTooSlow from None

        try:
            await self.app(scope, receive, timed_send)
        except ReaderTooSlow:
            return  # the server closes a connection whose response was left unfinished
