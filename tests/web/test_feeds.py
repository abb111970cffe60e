"""The Atom feeds, read with feedparser: every figure's, an area's, a metric's; a figure's
publication, edit and retraction as entries; hostile text; conditional requests; the pages'
links to them."""

from __future__ import annotations

import re
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import queries
from app.domain.figure_feed import FEED_ENTRIES
from app.domain.figures import FigureStatus
from app.web.http.conditional import etag_for
from support import add_figure, figure_input

BASE = "http://127.0.0.1:8000"
FEEDS = [
    "/feeds/figures.atom",
    "/countries/NPL/feed.atom",
    "/regions/world/feed.atom",
    "/metrics/killed/feed.atom",
]
HOSTILE_CLAIMANT = 'Ministry <b>&amp;</b> "quoted" ]]> 5 < 7'
HOSTILE_QUOTE = '<script>alert(1)</script> & ]]> "q"\nsecond line'
# Control characters the form refuses, as a row restored from elsewhere could hold them.
CONTROL_CHARACTERS = "\u0007bell\u001bescape\ufffe"  # (PostgreSQL refuses NUL)


def _feed(client: TestClient, address: str) -> Any:
    response = client.get(address)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("address", FEEDS)
def test_each_feed_is_well_formed_and_links_figure_pages(client: TestClient, address: str) -> None:
    parsed = _feed(client, address)
    assert 0 < len(parsed.entries) <= FEED_ENTRIES
    assert parsed.feed.id == BASE + address
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == BASE + address
    assert links["alternate"] == BASE + address.removesuffix("/feed.atom").replace(
        "/feeds/figures.atom", "/"
    )
    for entry in parsed.entries:
        assert re.fullmatch(rf"{BASE}/figures/\d+", entry.link)
        assert entry.id.startswith(entry.link + "#revision-")
        assert entry.tags[0].term in {"published", "edited", "retracted", "reinstated"}
        assert "Source: " in entry.summary
    assert len({entry.id for entry in parsed.entries}) == len(parsed.entries)


def test_the_feed_of_everything_holds_the_latest_fifty(client: TestClient) -> None:
    parsed = _feed(client, "/feeds/figures.atom")
    assert len(parsed.entries) == FEED_ENTRIES
    stamps = [entry.updated for entry in parsed.entries]
    assert stamps == sorted(stamps, reverse=True)


def test_publication_edit_and_retraction_are_entries_newest_first(
    client: TestClient, session: Session
) -> None:
    figure = add_figure(
        session, FigureStatus.PUBLISHED, claimant=HOSTILE_CLAIMANT, quote=HOSTILE_QUOTE
    )
    edited = figure_input(
        low="9", high="9", claimant=HOSTILE_CLAIMANT, quote=HOSTILE_QUOTE, notes="recount"
    )
    queries.edit_figure(
        session, figure=figure, figure_in=edited, changed_by="test", reason="a recount"
    )
    queries.set_figure_status(
        session,
        figure=figure,
        status=FigureStatus.RETRACTED,
        changed_by="test",
        reason="a duplicate",
    )
    figure.quote = HOSTILE_QUOTE + CONTROL_CHARACTERS
    session.flush()
    parsed = _feed(client, "/countries/NPL/feed.atom")
    mine = [entry for entry in parsed.entries if entry.link == f"{BASE}/figures/{figure.id}"]
    assert [entry.tags[0].term for entry in mine] == ["retracted", "edited", "published"]
    retracted, edit, published = mine
    assert parsed.entries[0] is retracted
    assert retracted.title == f"Retracted: 9 persons, killed, Nepal ({HOSTILE_CLAIMANT})"
    assert (
        "Why: a duplicate" in retracted.summary and "no longer in comparisons" in retracted.summary
    )
    assert edit.summary.startswith("Edited (revision 2), changed: low, high, notes. Why: a recount")
    assert f"“{HOSTILE_QUOTE}bellescape”" in published.summary
    assert "Source: Example, https://example.org/test" in published.summary
    page = client.get(f"/figures/{figure.id}").text  # each entry's id names a row of its history
    for entry in mine:
        assert f'<tr id="{entry.id.split("#")[1]}">' in page


def test_a_metric_feed_leaves_russia_out_and_an_area_feed_keeps_its_own(
    client: TestClient, session: Session
) -> None:
    russian = add_figure(session, FigureStatus.PUBLISHED, area="RUS", quote="Russia's losses")
    link = f"{BASE}/figures/{russian.id}"
    assert link not in {entry.link for entry in _feed(client, "/metrics/killed/feed.atom").entries}
    assert _feed(client, "/countries/RUS/feed.atom").entries[0].link == link


def test_a_pending_figure_is_in_no_feed(client: TestClient, session: Session) -> None:
    pending = add_figure(session, FigureStatus.PENDING)
    for address in FEEDS[:2]:
        links = {entry.link for entry in _feed(client, address).entries}
        assert f"{BASE}/figures/{pending.id}" not in links


def test_feeds_answer_conditional_requests_by_dataset_version(
    client: TestClient, session: Session
) -> None:
    address = "/countries/NPL/feed.atom"
    etag = etag_for(queries.current_dataset_version(session))
    first = client.get(address)
    assert first.headers["etag"] == etag
    assert client.get(address, headers={"if-none-match": etag}).status_code == 304
    added = add_figure(session, FigureStatus.PUBLISHED)
    session.flush()
    changed = client.get(address, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert feedparser.parse(changed.content).entries[0].link == f"{BASE}/figures/{added.id}"


def test_unknown_areas_and_metrics_have_no_feed(client: TestClient) -> None:
    for address in ("/countries/XYZ/feed.atom", "/regions/NPL/feed.atom", "/metrics/x/feed.atom"):
        assert client.get(address).status_code == 404
    moved = client.get("/countries/npl/feed.atom", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/countries/NPL/feed.atom"


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/", "/feeds/figures.atom"),
        ("/countries/NPL", "/countries/NPL/feed.atom"),
        ("/regions/world", "/regions/world/feed.atom"),
        ("/metrics/killed", "/metrics/killed/feed.atom"),
    ],
)
def test_pages_name_their_feed_in_the_head(client: TestClient, page: str, feed: str) -> None:
    html = client.get(page).text
    head = html.split("</head>", 1)[0]
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="{re.escape(feed)}">',
        head,
    )
    assert f'<a href="{feed}" type="application/atom+xml">Atom feed</a>' in html
