"""Slow clients against the real server: a request whose headers or body stop coming is cut off
(slowloris), and downloads whose readers stop reading give their slot back."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx2
import pytest

from app.db import make_engine
from app.migrate import upgrade
from app.operations.synthetic import seed_synthetic
from app.web.deps import CONCURRENT_EXPORTS
from servers import TEST_SECRET_KEY, running_server

DEADLINE = 1.5  # seconds, the server's header and body timeouts here
SLOW_READER_SECONDS = 2.0


@pytest.fixture
def strict_server(empty_database: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a real server with short header and body timeouts."""
    upgrade(empty_database)
    environment = {
        "SECRET_KEY": TEST_SECRET_KEY,
        "REQUEST_HEADER_TIMEOUT_SECONDS": str(DEADLINE),
        "REQUEST_BODY_TIMEOUT_SECONDS": str(DEADLINE),
    }
    with running_server(empty_database, tmp_path / "server.log", environment=environment) as url:
        yield url


def connect(base_url: str, receive_buffer: int | None = None) -> socket.socket:
    address = urlsplit(base_url)
    connection = socket.socket()
    if receive_buffer is not None:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    connection.connect((address.hostname or "127.0.0.1", address.port or 80))
    return connection


def seconds_until_closed(connection: socket.socket, trickle: bytes = b"") -> float:
    """Send the trickle a byte every 0.2 s, reading meanwhile; return when the server closed
    the connection (at most 10 s: past that the server held it)."""
    began = time.monotonic()
    connection.settimeout(0.2)
    remaining = list(trickle)
    while time.monotonic() - began < 10:
        if remaining:
            try:
                connection.send(bytes([remaining.pop(0)]))
            except OSError:
                break
        try:
            if connection.recv(65536) == b"":
                break
        except TimeoutError:
            continue
        except OSError:
            break
    connection.close()
    return time.monotonic() - began


@pytest.mark.parametrize(
    ("opening", "trickle"),
    [
        (b"", b""),  # connects and sends nothing
        (b"GET /submit HTTP/1.1\r\nHost: x\r\n", b""),  # headers begun, never ended
        (b"GET /submit HTTP/1.1\r\n", b"X-Slow: " + b"a" * 100),  # a header byte at a time
        (
            b"POST /submit HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
            b"\r\nContent-Length: 5000\r\n\r\narea=NPL",
            b"",
        ),  # a body that stops coming
    ],
    ids=["silent", "unfinished headers", "trickled headers", "unfinished body"],
)
def test_a_request_that_stops_coming_is_cut_off(
    strict_server: str, opening: bytes, trickle: bytes
) -> None:
    connection = connect(strict_server)
    connection.sendall(opening)
    assert seconds_until_closed(connection, trickle) < DEADLINE + 3
    assert httpx2.get(f"{strict_server}/healthz", timeout=5).status_code == 200


@pytest.fixture
def big_export_server(empty_database: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a real server on 20,000 figures whose downloads wait 2 s for a reader."""
    upgrade(empty_database)
    engine = make_engine(empty_database)
    seed_synthetic(engine, 20_000, seed=1)
    engine.dispose()
    environment = {
        "SECRET_KEY": TEST_SECRET_KEY,
        "EXPORT_READER_TIMEOUT_SECONDS": str(SLOW_READER_SECONDS),
        "EXPORT_CACHE_DIR": str(tmp_path / "exports"),
    }
    with running_server(empty_database, tmp_path / "server.log", environment=environment) as url:
        yield url


def test_readers_that_stop_reading_give_the_download_slots_back(big_export_server: str) -> None:
    stalled = []
    for _ in range(CONCURRENT_EXPORTS):
        connection = connect(big_export_server, receive_buffer=4096)
        connection.sendall(b"GET /export/figures.json HTTP/1.1\r\nHost: x\r\n\r\n")
        stalled.append(connection)
    time.sleep(0.5)
    try:
        download = httpx2.get(f"{big_export_server}/export/figures.json", timeout=30)
        assert download.status_code == 200
        assert len(download.content) > 8_000_000  # more than the stalled sockets could buffer
        assert download.json()["figures"]
    finally:
        for connection in stalled:
            connection.close()
