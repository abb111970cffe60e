"""An Atom (RFC 4287) document written from plain values: text escaped by the XML writer, and
characters XML cannot carry (control characters, unpaired surrogates) taken out first."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
# What XML 1.0 cannot carry: C0 controls but tab, line feed and carriage return; surrogates;
# U+FFFE and U+FFFF. C1 controls (U+007F to U+009F) are allowed but never meant: out too.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class AtomEntry:
    """One entry: a permanent id, a title, when it changed, the page it is about, a text summary,
    and a category (its term and label)."""

    entry_id: str
    title: str
    updated: datetime
    link: str
    summary: str
    category: tuple[str, str]


@dataclass(frozen=True)
class AtomFeed:
    """A feed: its id (its own address), title, the page it follows, who writes it, the rights,
    and its entries, newest first."""

    feed_id: str
    title: str
    page: str
    author: str
    rights: str
    entries: Sequence[AtomEntry]
    updated_when_empty: datetime


def xml_text(text: str) -> str:
    """Return the text without the characters an XML document cannot hold."""
    return _NOT_IN_XML.sub("", text)


def in_utc(moment: datetime) -> datetime:
    """Return the moment in UTC (a moment with no zone, as SQLite gives it, is taken to be UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC)


def rfc3339(moment: datetime) -> str:
    """Return a moment as RFC 3339 in UTC, to the second: 2026-05-03T10:20:30Z."""
    return in_utc(moment).isoformat(timespec="seconds").replace("+00:00", "Z")


def _element(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> None:
    child = ET.SubElement(parent, name, attrib=attributes)
    if text is not None:
        child.text = xml_text(text)


def _add_entry(feed: ET.Element, entry: AtomEntry) -> None:
    element = ET.SubElement(feed, "entry")
    _element(element, "id", entry.entry_id)
    _element(element, "title", entry.title, type="text")
    _element(element, "updated", rfc3339(entry.updated))
    _element(element, "link", rel="alternate", type="text/html", href=xml_text(entry.link))
    term, label = entry.category
    _element(element, "category", term=xml_text(term), label=xml_text(label))
    _element(element, "summary", entry.summary, type="text")


def atom_document(feed: AtomFeed) -> bytes:
    """Return the feed as a UTF-8 Atom document."""
    root = ET.Element("feed", xmlns=ATOM_NAMESPACE)  # the elements below are in its namespace
    _element(root, "id", feed.feed_id)
    _element(root, "title", feed.title, type="text")
    moments = (in_utc(entry.updated) for entry in feed.entries)
    newest = max(moments, default=in_utc(feed.updated_when_empty))
    _element(root, "updated", rfc3339(newest))
    _element(root, "link", rel="self", type=ATOM_MEDIA_TYPE, href=xml_text(feed.feed_id))
    _element(root, "link", rel="alternate", type="text/html", href=xml_text(feed.page))
    author = ET.SubElement(root, "author")
    _element(author, "name", feed.author)
    _element(root, "rights", feed.rights, type="text")
    for entry in feed.entries:
        _add_entry(root, entry)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body
