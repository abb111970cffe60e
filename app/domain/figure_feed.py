"""What the feeds announce: a public figure published, edited, retracted or reinstated, read from
its revisions, and the Atom entry that says so.

An entry shows the figure as it stands now (value, metric, area, claimant, quote and source) and
what that revision did, with its reason and the names of the fields it changed; never the values
of past revisions (a moderator may have redacted those).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from app.domain.atom import AtomEntry, AtomFeed
from app.domain.figures import FigureStatus
from app.domain.licence import DATA_LICENCE_TITLE, DATA_LICENCE_URL
from app.domain.records import FigureRecord
from app.domain.vocabulary import KIND_LABELS

FEED_ENTRIES = 50
# Fields every change touches, or that say nothing to a reader.
_BOOKKEEPING = frozenset({"id", "status", "updated_at", "created_at"})


class FigureEvent(StrEnum):
    """What a revision of a public figure did."""

    PUBLISHED = "published"
    EDITED = "edited"
    RETRACTED = "retracted"
    REINSTATED = "reinstated"


def figure_event(previous_status: str | None, new_status: str) -> FigureEvent:
    """Return what a revision did from the figure's status before and after it."""
    retracted, published = FigureStatus.RETRACTED.value, FigureStatus.PUBLISHED.value
    if new_status == retracted:
        return FigureEvent.EDITED if previous_status == retracted else FigureEvent.RETRACTED
    if previous_status == retracted:
        return FigureEvent.REINSTATED
    return FigureEvent.EDITED if previous_status == published else FigureEvent.PUBLISHED


@dataclass(frozen=True)
class PublicRevision:
    """A revision that left a figure public (published or retracted): the feeds' unit."""

    figure_id: int
    number: int
    changed_at: datetime
    reason: str
    previous_state: Mapping[str, Any] | None
    new_state: Mapping[str, Any]

    @property
    def event(self) -> FigureEvent:
        """Return what the revision did."""
        previous = (self.previous_state or {}).get("status")
        return figure_event(previous, str(self.new_state.get("status")))

    @property
    def changed_fields(self) -> tuple[str, ...]:
        """Return the names of the fields the revision changed (bookkeeping left out), in order."""
        if self.previous_state is None:
            return ()
        return tuple(
            name
            for name, value in self.new_state.items()
            if name not in _BOOKKEEPING and self.previous_state.get(name) != value
        )


_SENTENCES = {
    FigureEvent.PUBLISHED: "Published",
    FigureEvent.EDITED: "Edited",
    FigureEvent.RETRACTED: "Retracted",
    FigureEvent.REINSTATED: "Reinstated",
}


def figure_entry(revision: PublicRevision, record: FigureRecord, permalink: str) -> AtomEntry:
    """Return the entry announcing a revision of a figure, shown as the figure stands now."""
    event = revision.event
    kind = KIND_LABELS[record.claimant_kind.value]
    title = (
        f"{_SENTENCES[event]}: {record.value_label}, {record.metric_label.lower()},"
        f" {record.area_name} ({record.claimant})"
    )
    changed = ", ".join(name.replace("_", " ") for name in revision.changed_fields)
    source_title = f' "{record.source_title}"' if record.source_title else ""
    lines = [
        f"{_SENTENCES[event]} (revision {revision.number})"
        + (f", changed: {changed}" if changed else "")
        + (f". Why: {revision.reason}" if revision.reason else "."),
        f"“{record.quote}”",
        f"{record.claimant} ({kind}), {record.date_label}.",
        f"Source: {record.source_publisher}{source_title}, {record.source_url}",
    ]
    if record.status == FigureStatus.RETRACTED.value:
        lines.append("This figure is retracted: it is no longer in comparisons or downloads.")
    return AtomEntry(
        entry_id=f"{permalink}#revision-{revision.number}",
        title=title,
        updated=revision.changed_at,
        link=permalink,
        summary="\n".join(lines),
        category=(event.value, _SENTENCES[event]),
    )


@dataclass(frozen=True)
class FeedHead:
    """Which feed: its own address, its title, the page it follows, whose site, and as of when
    it stands when it has no entry."""

    feed_url: str
    title: str
    page_url: str
    site_name: str
    updated_when_empty: datetime


def figure_feed(
    head: FeedHead,
    revisions: Sequence[tuple[PublicRevision, FigureRecord]],
    permalink_for: Callable[[int], str],
) -> AtomFeed:
    """Return the feed of these revisions (newest first) with their figures as they stand now."""
    return AtomFeed(
        feed_id=head.feed_url,
        title=head.title,
        page=head.page_url,
        author=head.site_name,
        rights=f"{DATA_LICENCE_TITLE}, {DATA_LICENCE_URL}",
        entries=[
            figure_entry(revision, record, permalink_for(record.id))
            for revision, record in revisions
        ],
        updated_when_empty=head.updated_when_empty,
    )
