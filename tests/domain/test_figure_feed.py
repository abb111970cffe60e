"""The Atom feeds' writer and entries: what a revision did, and hostile text that cannot break
the XML (checked with feedparser and the standard library's parser)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import feedparser
import pytest

from app.domain.atom import ATOM_NAMESPACE, atom_document, rfc3339, xml_text
from app.domain.figure_feed import (
    FeedHead,
    FigureEvent,
    PublicRevision,
    figure_event,
    figure_feed,
)
from support import hostile_records

MOMENT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
HEAD = FeedHead(
    "https://dashboard.example/feeds/figures.atom",
    "Every figure",
    "https://dashboard.example/",
    "Foreign recruits",
    datetime(2026, 1, 1, tzinfo=UTC),
)
HOSTILE = 'A <b>bold</b> & "quoted" ]]> \x00\x01\x08\x0b\x0c\x1b\x7f\ufffe claim \u202e\U0001f600'


def _revision(
    previous: dict[str, Any] | None, new: dict[str, Any], number: int = 2, reason: str = "why"
) -> PublicRevision:
    return PublicRevision(1, number, MOMENT, reason, previous, new)


def _permalink(figure_id: int) -> str:
    return f"https://dashboard.example/figures/{figure_id}"


@pytest.mark.parametrize(
    ("before", "after", "event"),
    [
        (None, "published", FigureEvent.PUBLISHED),
        ("pending", "published", FigureEvent.PUBLISHED),
        ("published", "published", FigureEvent.EDITED),
        ("published", "retracted", FigureEvent.RETRACTED),
        ("retracted", "published", FigureEvent.REINSTATED),
        ("retracted", "retracted", FigureEvent.EDITED),
    ],
)
def test_what_a_revision_did(before: str | None, after: str, event: FigureEvent) -> None:
    assert figure_event(before, after) is event


def test_an_edit_names_the_fields_it_changed_but_not_their_values() -> None:
    previous = {"id": 1, "status": "published", "low": "5", "quote": "old", "updated_at": "x"}
    new = {"id": 1, "status": "published", "low": "7", "quote": "new", "updated_at": "y"}
    revision = _revision(previous, new)
    assert revision.changed_fields == ("low", "quote")
    feed = figure_feed(HEAD, [(revision, hostile_records()[0])], _permalink)
    summary = feed.entries[0].summary
    assert summary.startswith("Edited (revision 2), changed: low, quote. Why: why")
    assert "old" not in summary


def test_entries_show_the_figure_its_source_and_what_happened() -> None:
    record = hostile_records()[1]
    revision = _revision({"status": "published"}, {"status": "retracted"}, 3, "wrong country")
    document = atom_document(figure_feed(HEAD, [(revision, record)], _permalink))
    parsed = feedparser.parse(document)
    assert parsed.bozo == 0
    entry = parsed.entries[0]
    assert entry.id == "https://dashboard.example/figures/2#revision-3"
    assert entry.link == "https://dashboard.example/figures/2"
    assert (
        entry.title == f"Retracted: {record.value_label}, enlisted, NPL ('I Want to Live' project)"
    )
    assert record.quote in entry.summary and record.source_url in entry.summary
    assert "Why: wrong country" in entry.summary
    assert entry.tags[0].term == "retracted"
    assert entry.updated == "2026-03-04T05:06:07Z"
    assert parsed.feed.updated == "2026-03-04T05:06:07Z"


def test_a_hostile_title_and_quote_leave_a_well_formed_feed() -> None:
    record = replace(hostile_records()[0], claimant=HOSTILE, quote=HOSTILE, area_name=HOSTILE)
    revision = _revision(None, {"status": "published"}, 1, HOSTILE)
    document = atom_document(figure_feed(HEAD, [(revision, record)], _permalink))
    root = ET.fromstring(document)
    assert root.tag == f"{{{ATOM_NAMESPACE}}}feed"
    parsed = feedparser.parse(document)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    entry = parsed.entries[0]
    cleaned = xml_text(HOSTILE)
    assert cleaned == 'A <b>bold</b> & "quoted" ]]>  claim \u202e\U0001f600'
    assert cleaned in entry.title
    assert entry.summary.count(cleaned) == 3
    assert [link.href for link in parsed.feed.links] == [HEAD.feed_url, HEAD.page_url]


def test_an_empty_feed_is_valid_and_dated() -> None:
    parsed = feedparser.parse(atom_document(figure_feed(HEAD, [], _permalink)))
    assert parsed.bozo == 0 and parsed.entries == []
    assert parsed.feed.updated == "2026-01-01T00:00:00Z"
    assert parsed.feed.title == "Every figure"
    assert parsed.feed.rights.startswith("Creative Commons Attribution 4.0")


def test_the_feed_is_dated_by_its_newest_entry_and_moments_are_utc() -> None:
    older = replace(_revision(None, {"status": "published"}, 1), changed_at=MOMENT - timedelta(1))
    naive = replace(
        _revision(None, {"status": "published"}, 2), changed_at=MOMENT.replace(tzinfo=None)
    )
    records = hostile_records()
    feed = figure_feed(HEAD, [(naive, records[0]), (older, records[1])], _permalink)
    parsed = feedparser.parse(atom_document(feed))
    assert parsed.feed.updated == "2026-03-04T05:06:07Z"
    two_hours_east = timezone(timedelta(hours=2))
    assert rfc3339(datetime(2026, 3, 4, 7, 6, 7, tzinfo=two_hours_east)) == "2026-03-04T05:06:07Z"
