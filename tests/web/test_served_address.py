"""Which address permalinks and citations use: the real server (`python -m app serve`) on a port
of its own, without PUBLIC_BASE_URL and with it; and the choice itself."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import httpx2
import pytest
from sqlalchemy.orm import Session

from app import queries
from app.serving import adopt_public_base_url, served_base_url
from servers import running_server


def _published_figure_id(session: Session) -> int:
    [record] = queries.published_records(session, area_code="NPL", metric_slug="enlisted")[:1]
    return record.id


def _cited_permalink(base_url: str, figure_id: int) -> str:
    page = httpx2.get(f"{base_url}/figures/{figure_id}", timeout=10).text
    found = re.search(r'Permalink: <a class="permalink" href="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_without_public_base_url_permalinks_carry_the_host_and_port_served(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    figure_id = _published_figure_id(session)
    log = tmp_path / "server.log"
    with running_server(database_url, log, environment={"PUBLIC_BASE_URL": ""}) as base_url:
        port = int(base_url.rsplit(":", 1)[1])
        assert port != 8000
        assert _cited_permalink(base_url, figure_id) == f"{base_url}/figures/{figure_id}"
        citation = httpx2.get(f"{base_url}/figures/{figure_id}/cite.ris", timeout=10).text
        assert f"UR  - {base_url}/figures/{figure_id}\r\n" in citation
        index = httpx2.get(f"{base_url}/api/v1", timeout=10).json()
        assert index["licence"]["attribution"].endswith(f", CC BY 4.0, {base_url}/")
    assert f"permalinks and citations use {base_url} (the address served" in log.read_text()


def test_an_explicit_public_base_url_wins(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    figure_id = _published_figure_id(session)
    log = tmp_path / "server.log"
    public = "http://recruits.example:8443"
    with running_server(database_url, log, environment={"PUBLIC_BASE_URL": public}) as base_url:
        assert _cited_permalink(base_url, figure_id) == f"{public}/figures/{figure_id}"
    assert f"permalinks and citations use {public} (PUBLIC_BASE_URL)" in log.read_text()


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8080, "http://127.0.0.1:8080"),
        ("localhost", 9000, "http://localhost:9000"),
        ("::1", 8000, "http://[::1]:8000"),
        ("0.0.0.0", 8080, f"http://{socket.gethostname()}:8080"),
        ("::", 8080, f"http://{socket.gethostname()}:8080"),
    ],
)
def test_the_address_served(host: str, port: int, expected: str) -> None:
    assert served_base_url(host, port) == expected


def test_the_choice_is_set_for_the_server_s_processes() -> None:
    unset: dict[str, str] = {"PUBLIC_BASE_URL": "  "}
    assert adopt_public_base_url(unset, "127.0.0.1", 8123) == ("http://127.0.0.1:8123", False)
    assert unset["PUBLIC_BASE_URL"] == "http://127.0.0.1:8123"
    behind_proxy = {"PUBLIC_BASE_URL": "https://recruits.example"}
    assert adopt_public_base_url(behind_proxy, "127.0.0.1", 8123) == (
        "https://recruits.example",
        True,
    )
    assert behind_proxy["PUBLIC_BASE_URL"] == "https://recruits.example"
