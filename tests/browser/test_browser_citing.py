"""Citing in a real browser, on a server with a database of its own (fresh_server) started without
PUBLIC_BASE_URL on a port of its own: the permalink carries that port, the JSON-LD data blocks are
read by the browser without a Content-Security-Policy violation (the page fixture fails on any),
a hostile quote stays inside its block, and a citation downloads under its file name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import bibtexparser
import pytest
from playwright.sync_api import Dialog, Page, expect

from app import queries
from app.db import make_engine, transaction
from app.domain.figures import FigureStatus
from support import figure_input

if TYPE_CHECKING:
    from conftest import FreshServer

HOSTILE_QUOTE = 'about 200 </script><script>alert(1)</script>\n<!-- & "quoted" </SCRIPT >'
HOSTILE_TITLE = 'Braces {x}} 100% & "quoted" </script> عدد المجندين'
JSON_LD = "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
RUNNING_SCRIPTS = (
    "Array.from(document.scripts).filter(s => !s.src && "
    "!['application/json', 'application/ld+json'].includes(s.type)).length"
)


@pytest.fixture
def server_url(fresh_server: FreshServer) -> str:
    """Point the page (and its same-host check) at the fresh server instead of live_server."""
    return fresh_server.base_url


@pytest.fixture(scope="module")
def hostile_figure_id(fresh_server: FreshServer) -> int:
    """Publish, on the fresh server's database, a figure whose quote and source title are hostile."""
    engine = make_engine(fresh_server.database_url)
    try:
        with transaction(engine) as session:
            figure = queries.add_figure(
                session,
                figure_input(quote=HOSTILE_QUOTE, source_title=HOSTILE_TITLE),
                status=FigureStatus.PUBLISHED,
                changed_by="test",
                reason="test",
            )
            return figure.id
    finally:
        engine.dispose()


def test_a_figure_page_cites_the_port_served_and_describes_its_claim(
    page: Page, fresh_server: FreshServer, hostile_figure_id: int
) -> None:
    dialogs: list[str] = []

    def record_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record_dialog)
    assert not fresh_server.base_url.endswith(":8000")
    page.goto(f"/figures/{hostile_figure_id}")
    permalink = f"{fresh_server.base_url}/figures/{hostile_figure_id}"
    expect(page.locator("section[aria-labelledby=cite-title] a.permalink")).to_have_text(permalink)
    claim: dict[str, Any] = page.evaluate(JSON_LD)
    assert claim["@type"] == "Claim" and claim["url"] == permalink
    assert claim["text"] == HOSTILE_QUOTE
    assert claim["appearance"]["name"] == HOSTILE_TITLE
    assert page.evaluate(RUNNING_SCRIPTS) == 0
    assert dialogs == []

    cite = page.locator("section[aria-labelledby=cite-title] .cite-links")
    with page.expect_download() as download:
        cite.get_by_role("link", name="BibTeX").click()
    assert download.value.suggested_filename == f"foreign-recruits-figure-{hostile_figure_id}.bib"
    path = download.value.path()
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    [entry] = library.entries
    assert entry["url"] == permalink


@pytest.mark.parametrize(
    ("path", "name"),
    [("/", "Foreign recruits in Russia's army: the estimates"), ("/countries/NPL", "Nepal")],
)
def test_overview_and_area_pages_describe_their_dataset(
    page: Page, fresh_server: FreshServer, path: str, name: str
) -> None:
    page.goto(path)
    expect(page.locator(".chart-canvas").first).to_have_attribute("data-drawn", "true")
    dataset: dict[str, Any] = page.evaluate(JSON_LD)
    assert dataset["@type"] == "Dataset" and dataset["name"].startswith(name)
    assert dataset["url"] == f"{fresh_server.base_url}{path}"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert {item["encodingFormat"] for item in dataset["distribution"]} == {
        "text/csv",
        "application/json",
    }
    footer = page.locator("footer .licence")
    expect(footer).to_contain_text(f"CC BY 4.0, {fresh_server.base_url}{path}")
