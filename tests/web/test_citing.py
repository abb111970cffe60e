"""Citations as downloads, the licence on pages, downloads and the API, and the pages' JSON-LD,
through the application on the test database (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

import bibtexparser
import pytest
import rispy
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import FigureStatus
from app.domain.licence import DATA_LICENCE_URL
from app.models import Figure
from support import add_figure

CITED_PAGES = ["/countries/NPL", "/regions/world", "/metrics/enlisted", ""]
MEDIA_TYPES = {
    "txt": "text/plain",
    "bib": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "json": "application/vnd.citationstyles.csl+json",
}
HOSTILE_TITLE = 'Braces {x}} 100% & "quoted" \\back $ # _ ^ ~ </script><!-- عدد المجندين'
HOSTILE_QUOTE = 'about 200 </script><script>alert(1)</script>\nsecond line & "more" </SCRIPT >'


class JsonLdBlocks(HTMLParser):
    """The text of each <script type="application/ld+json"> block, as a browser splits it."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._open:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.blocks[-1] += data


def json_ld_of(html: str) -> list[dict[str, Any]]:
    parser = JsonLdBlocks()
    parser.feed(html)
    return [json.loads(block) for block in parser.blocks]


def parsed(extension: str, text: str) -> dict[str, Any]:
    """Return the one entry a citation holds, read by the format's own parser."""
    if extension == "bib":
        library = bibtexparser.parse_string(text)
        assert library.failed_blocks == []
        [entry] = library.entries
        return {name: field.value for name, field in entry.fields_dict.items()}
    if extension == "ris":
        [record] = rispy.loads(text)
        return dict(record)
    if extension == "json":
        [item] = json.loads(text)
        return dict(item)
    return {"text": text}


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def published_figure(session: Session, **changes: object) -> Figure:
    return add_figure(session, FigureStatus.PUBLISHED, **changes)


@pytest.mark.parametrize("extension", sorted(MEDIA_TYPES))
@pytest.mark.parametrize("page", CITED_PAGES)
def test_every_page_is_cited_in_each_format_with_version_and_access_date(
    client: TestClient, page: str, extension: str
) -> None:
    response = client.get(f"{page}/cite.{extension}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == MEDIA_TYPES[extension]
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(
        rf'attachment; filename="foreign-recruits-[a-z0-9-]+\.{extension}"', disposition
    )
    version = client.get("/api/v1").json()["dataset_version"]
    entry = parsed(extension, response.text)
    assert version in json.dumps(entry)
    assert today() in response.text or today().replace("-", "/") in response.text
    assert f"http://127.0.0.1:8000{page or '/'}" in response.text


@pytest.mark.parametrize("extension", sorted(MEDIA_TYPES))
def test_a_hostile_figure_is_cited_in_well_formed_files(
    client: TestClient, session: Session, extension: str
) -> None:
    figure = published_figure(
        session, source_title=HOSTILE_TITLE, claimant="Claimant {with}} braces", quote=HOSTILE_QUOTE
    )
    response = client.get(f"/figures/{figure.id}/cite.{extension}")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        f'attachment; filename="foreign-recruits-figure-{figure.id}.{extension}"'
    )
    entry = parsed(extension, response.text)
    assert f"/figures/{figure.id}" in json.dumps(entry)
    if extension == "ris":
        assert "Braces {x}} 100%" in entry["abstract"]
        assert len(response.text.split("\r\n")) == len(entry) + 2  # a tag a line, then ER
    if extension == "json":
        assert "Claimant {with}} braces" in entry["title"] and HOSTILE_TITLE in entry["abstract"]


def test_the_figure_page_offers_the_formats_beside_its_citation(
    client: TestClient, session: Session
) -> None:
    figure = published_figure(session)
    page = client.get(f"/figures/{figure.id}").text
    cite_section = page.split('id="cite-title"', 1)[1].split("</section>", 1)[0]
    for extension, media_type in MEDIA_TYPES.items():
        assert f'href="/figures/{figure.id}/cite.{extension}" type="{media_type}"' in cite_section
    text = client.get(f"/figures/{figure.id}/cite.txt").text.strip()
    assert f">{text}</textarea>" in page.replace("&#39;", "'").replace("&#34;", '"')


def test_a_retracted_figure_unknown_things_and_formats_have_no_citation(
    client: TestClient, session: Session
) -> None:
    retracted = add_figure(session, FigureStatus.RETRACTED)
    assert client.get(f"/figures/{retracted.id}/cite.bib").status_code == 410
    assert client.get("/figures/999999999/cite.bib").status_code == 404
    assert client.get("/countries/world/cite.bib").status_code == 404  # a region, not a country
    assert client.get("/regions/NPL/cite.bib").status_code == 404
    assert client.get("/metrics/nothing/cite.ris").status_code == 404
    assert client.get("/cite.pdf").status_code == 404
    assert client.get("/countries/NPL/cite.").status_code == 404


def test_the_footer_states_the_licence_and_this_page_s_attribution(client: TestClient) -> None:
    version = client.get("/api/v1").json()["dataset_version"]
    page = client.get("/countries/NPL").text
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert f'href="{DATA_LICENCE_URL}" rel="license"' in footer
    assert (
        "Source: Foreign recruits in Russia&#39;s army: the estimates, dataset version "
        f"{version}, CC BY 4.0, http://127.0.0.1:8000/countries/NPL"
    ) in footer
    assert 'href="/cite.bib"' in footer
    submit_footer = client.get("/submit").text.split('<footer class="site-footer">', 1)[1]
    assert "CC BY 4.0, http://127.0.0.1:8000/submit" in submit_footer


def test_the_api_index_states_the_licence(client: TestClient) -> None:
    index = client.get("/api/v1").json()
    assert index["licence"]["spdx"] == "CC-BY-4.0"
    assert index["licence"]["url"] == DATA_LICENCE_URL
    assert index["licence"]["attribution"].endswith(
        f"dataset version {index['dataset_version']}, CC BY 4.0, http://127.0.0.1:8000/"
    )


def test_overview_and_area_pages_describe_their_dataset(client: TestClient) -> None:
    version = client.get("/api/v1").json()["dataset_version"]
    [overview] = json_ld_of(client.get("/").text)
    assert overview["@type"] == "Dataset" and overview["version"] == version
    assert overview["license"] == DATA_LICENCE_URL
    assert {"@type": "Place", "name": "Nepal", "identifier": "NPL"} in overview["spatialCoverage"]
    downloads = {d["encodingFormat"]: d["contentUrl"] for d in overview["distribution"]}
    assert downloads == {
        "text/csv": "http://127.0.0.1:8000/export/figures.csv",
        "application/json": "http://127.0.0.1:8000/export/figures.json",
    }
    assert (
        client.get(downloads["text/csv"].removeprefix("http://127.0.0.1:8000")).status_code == 200
    )
    [nepal] = json_ld_of(client.get("/countries/NPL").text)
    assert nepal["spatialCoverage"] == [{"@type": "Place", "name": "Nepal", "identifier": "NPL"}]
    assert nepal["url"] == "http://127.0.0.1:8000/countries/NPL"
    assert {d["contentUrl"] for d in nepal["distribution"]} == {
        "http://127.0.0.1:8000/export/figures.csv?area=NPL",
        "http://127.0.0.1:8000/export/figures.json?area=NPL",
    }
    first, last = nepal["temporalCoverage"].split("/")
    assert date.fromisoformat(first) < date.fromisoformat(last)
    overview_first, overview_last = overview["temporalCoverage"].split("/")
    assert overview_first <= first and last <= overview_last


def test_a_figure_page_describes_its_claim_and_no_quote_leaves_the_block(
    client: TestClient, session: Session
) -> None:
    figure = published_figure(
        session, quote=HOSTILE_QUOTE, source_title=HOSTILE_TITLE, source_published="2024-02"
    )
    html = client.get(f"/figures/{figure.id}").text
    [claim] = json_ld_of(html)
    assert claim["@type"] == "Claim"
    assert claim["text"] == HOSTILE_QUOTE
    assert claim["url"] == f"http://127.0.0.1:8000/figures/{figure.id}"
    assert claim["author"] == {"@type": "Organization", "name": "Test claimant"}
    assert claim["appearance"]["name"] == HOSTILE_TITLE
    assert claim["appearance"]["url"] == "https://example.org/test"
    assert claim["appearance"]["datePublished"] == "2024-02"
    head = html.split("</head>", 1)[0]
    assert head.count("<script") == 1 and "alert(1)" not in head.split("</script>", 1)[1]


def test_a_retracted_figure_is_described_as_no_claim(client: TestClient, session: Session) -> None:
    retracted = add_figure(session, FigureStatus.RETRACTED)
    assert json_ld_of(client.get(f"/figures/{retracted.id}").text) == []


def test_the_date_range_covers_each_published_date_over_its_whole_span(session: Session) -> None:
    counted = queries.published_counts_by_area(session)
    code = next(
        area.code
        for area in queries.list_areas(session)
        if area.kind == "country" and area.code not in counted
    )
    assert queries.published_date_range(session, area_code=code) is None
    published_figure(session, area=code, as_of="2024-02")
    published_figure(session, area=code, as_of="2024-06-15")
    published_figure(session, area=code, period_start="2023-05", period_end="2025")
    add_figure(session, FigureStatus.PENDING, area=code, as_of="2020-01-01")
    add_figure(session, FigureStatus.RETRACTED, area=code, as_of="2026-01-01")
    assert queries.published_date_range(session, area_code=code) == (
        date(2023, 5, 1),
        date(2025, 12, 31),
    )
