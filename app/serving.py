"""What `serve` runs: uvicorn's h11 protocol with deadlines, so that a client that opens a
connection and sends its request line, headers or body slowly, or stops sending, cannot hold the
connection open (slowloris); and the public address its permalinks and citations use."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import MutableMapping
from functools import cache
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.settings import load_settings


@cache  # once per server process
def _deadlines() -> tuple[float, float]:
    settings = load_settings()
    return settings.request_header_timeout_seconds, settings.request_body_timeout_seconds


class DeadlineH11Protocol(H11Protocol):
    """h11 with two deadlines per request: its headers must all arrive within the header timeout
    of its first byte (or of the connection), its body within the body timeout of its headers.
    A request past either is answered by closing the connection."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_seconds, self.body_seconds = _deadlines()
        self.deadline: asyncio.TimerHandle | None = None
        self.deadline_for: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(h11.IDLE, self.header_seconds)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        state = self.conn.their_state
        if state is h11.IDLE:
            self._arm(h11.IDLE, self.header_seconds)  # part of a request line or headers
        elif state is h11.SEND_BODY:
            self._arm(h11.SEND_BODY, self.body_seconds)
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._disarm()  # uvicorn's keep-alive timeout takes over the idle connection
        super().on_response_complete()

    def _arm(self, phase: object, seconds: float) -> None:
        if self.deadline is not None and self.deadline_for is phase:
            return  # the deadline runs from the phase's start, not from the latest bytes
        self._disarm()
        self.deadline = self.loop.call_later(seconds, self._expire)
        self.deadline_for = phase

    def _disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
        self.deadline, self.deadline_for = None, None

    def _expire(self) -> None:
        self.deadline, self.deadline_for = None, None
        if not self.transport.is_closing():
            self.transport.close()


PUBLIC_BASE_URL = "PUBLIC_BASE_URL"
EVERY_INTERFACE = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 (names them, binds nothing)


def served_base_url(host: str, port: int) -> str:
    """Return the address of a server started on this host and port: the machine's name when it
    listens on every interface (the best guess there is), an IPv6 address in brackets."""
    if host in EVERY_INTERFACE:
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def adopt_public_base_url(
    environment: MutableMapping[str, str], host: str, port: int
) -> tuple[str, bool]:
    """Return the address permalinks and citations use, and whether PUBLIC_BASE_URL named it.

    An explicit PUBLIC_BASE_URL (behind a proxy, the address readers use) wins; unset, it becomes
    the address served, set in the environment that the server's processes read settings from."""
    explicit = environment.get(PUBLIC_BASE_URL, "").strip()
    chosen = explicit or served_base_url(host, port)
    environment[PUBLIC_BASE_URL] = chosen
    return chosen, bool(explicit)
