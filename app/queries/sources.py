"""Sources: one accepted record per URL, each pending figure's own claim, revisions.

A source record is public data: only moderators' acts set it (publishing a figure, the seed, an
import with --publish, an edit). A pending figure cites its own claim about its source, never
shared and never public; publishing the figure links it to its URL's record, or makes its claim
the record when the URL has none. Functions flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select, text
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.dates import PartialDate
from app.domain.figure_spec import stored_values
from app.domain.records import FIGURE_SPEC
from app.domain.sources import Provenance, SourceKind
from app.figure_input import FigureIn
from app.models import Figure, Source, SourceRevision, Submission
from app.queries.records import source_columns
from app.queries.revisions import append_revision, revisions_in_order

# The columns a source record's revisions keep and a moderator may edit (the URL is its identity).
EDITABLE_COLUMNS = (
    "publisher",
    "title",
    "published",
    "published_precision",
    "kind",
    "original_publisher",
    "original_url",
    "archive_url",
    "text_damaged",
)


def source_for(
    session: Session, figure_in: FigureIn, *, changed_by: str = "", reason: str = ""
) -> Source:
    """Return the accepted source of the figure's URL, creating it from the figure's fields if new."""
    columns = source_columns(figure_in)
    return _accepted_source(session, columns, changed_by=changed_by, reason=reason)


def source_for_fields(
    session: Session,
    *,
    url: str,
    publisher: str,
    title: str = "",
    published: PartialDate | None,
    changed_by: str = "",
    reason: str = "",
) -> Source:
    """Return the accepted source with this (normalised) URL, creating it if new (its first
    revision names who and why, when given)."""
    columns = {
        "url": url,
        "publisher": publisher,
        "title": title,
        "published": published.value if published else None,
        "published_precision": published.precision.value if published else None,
    }
    return _accepted_source(session, columns, changed_by=changed_by, reason=reason)


def _by_url(url: str) -> Select[Any]:
    return select(Source).where(Source.url == url, Source.accepted.is_(True))


class SourceRecordDiffers(ValueError):
    """A public figure's edit states its source otherwise than the source's record does."""

    def __init__(self, source_id: int, fields: list[str]) -> None:
        super().__init__(
            f"The source's record (#{source_id}) says otherwise for {', '.join(fields)}: every"
            f" figure citing it shows the record, so change it on the source's own edit page"
            f" (/review/sources/{source_id}), or put the record's values back here."
        )
        self.source_id = source_id
        self.fields = fields


def record_differs(source: Source, figure_in: FigureIn) -> list[str]:
    """Return the entered source fields an input states otherwise than a source's record."""
    differing = []
    for field_spec in FIGURE_SPEC:
        if field_spec.table != "source" or not field_spec.entered or field_spec.column == "url":
            continue
        value = getattr(figure_in, field_spec.entered)
        stored = stored_values(field_spec.kind, value)
        if any(
            getattr(source, column) != wanted
            for column, wanted in zip(field_spec.stored_columns, stored, strict=True)
        ):
            differing.append(field_spec.entered)
    return differing


def accepted_source(session: Session, url: str) -> Source | None:
    """Return the accepted source of a URL, or None."""
    found: Source | None = session.scalars(_by_url(url)).one_or_none()
    return found


def _accepted_source(
    session: Session, columns: dict[str, Any], *, changed_by: str, reason: str
) -> Source:
    """Return the accepted source of the columns' URL, inserting it from the columns if new.

    Two requests storing the same new URL at once both insert it; the second insert does nothing
    (it waits for the first to commit) and both then read the one stored row.
    """
    by_url = _by_url(columns["url"])
    existing: Source | None = session.scalars(by_url).one_or_none()
    if existing is not None:
        return existing
    insert = postgres_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = session.execute(
        insert(Source)
        .values(**columns, accepted=True)
        .on_conflict_do_nothing(index_elements=["url"], index_where=text("accepted"))
        .returning(Source.id)
    ).scalar_one_or_none()
    source: Source = session.scalars(by_url).one()
    if inserted is not None:
        write_source_revision(
            session,
            source=source,
            previous_state=None,
            changed_by=changed_by or "unknown",
            reason=reason or "first cited",
        )
    return source


def claimed_source(session: Session, figure_in: FigureIn) -> Source:
    """Store a pending figure's claim about its source (never shared, never public); return it."""
    source = Source(**source_columns(figure_in), accepted=False)
    session.add(source)
    session.flush()
    return source


def claim_for_edit(session: Session, *, current: Source, figure_in: FigureIn) -> Source:
    """Return a pending figure's claim after an edit: the same one if unchanged, else a new one
    (an earlier claim is kept as it was, for the figure's revisions)."""
    columns = source_columns(figure_in)
    if not current.accepted and all(getattr(current, k) == v for k, v in columns.items()):
        return current
    return claimed_source(session, figure_in)


def accept_figure_source(session: Session, figure: Figure, *, changed_by: str, reason: str) -> None:
    """Link a figure being published to its URL's source record, or make its claim the record."""
    claim = figure.source
    if claim.accepted:
        return
    record = accepted_source(session, claim.url)
    if record is None:
        previous = source_state(claim)
        try:
            with session.begin_nested():
                claim.accepted = True
                session.flush()
        except IntegrityError:
            claim.accepted = False  # another moderator accepted this URL first
        else:
            write_source_revision(
                session, source=claim, previous_state=previous, changed_by=changed_by, reason=reason
            )
            return
        record = accepted_source(session, claim.url)
        assert record is not None
    figure.source = record
    session.flush()


def source_state(source: Source) -> dict[str, Any]:
    """Return a source's editable fields and acceptance as JSON-ready values (what revisions keep)."""
    state: dict[str, Any] = {"url": source.url, "accepted": bool(source.accepted)}
    for column in EDITABLE_COLUMNS:
        value = getattr(source, column)
        state[column] = value.isoformat() if isinstance(value, date) else value
    return state


def write_source_revision(
    session: Session,
    *,
    source: Source,
    previous_state: dict[str, Any] | None,
    changed_by: str,
    reason: str,
) -> SourceRevision:
    """Append a source's next revision: its state before and after the change."""
    return append_revision(
        session,
        SourceRevision,
        owner="source",
        of=source,
        previous_state=previous_state,
        new_state=source_state(source),
        changed_by=changed_by,
        reason=reason,
    )


def source_revisions(session: Session, source_id: int) -> list[SourceRevision]:
    """Return a source's revisions, oldest first."""
    return revisions_in_order(session, SourceRevision, owner="source", owner_id=source_id)


@dataclass(frozen=True)
class PublisherClaim:
    """One publisher (with title) said of a URL: by its source record, or by figures' claims."""

    publisher: str
    title: str
    is_record: bool
    submission_ids: tuple[int, ...]
    figure_statuses: tuple[str, ...]


def publisher_claims(session: Session, url: str) -> list[PublisherClaim]:
    """Return every publisher and title stated for a URL: the record's first, then each claim's."""
    query = (
        select(Source, Figure.status, Submission.id)
        .outerjoin(Figure, Figure.source_id == Source.id)
        .outerjoin(Submission, Submission.figure_id == Figure.id)
        .where(Source.url == url)
        .order_by(Source.accepted.desc(), Source.id)
    )
    grouped: dict[tuple[str, str, bool], tuple[list[int], list[str]]] = {}
    for source, status, submission_id in session.execute(query):
        key = (source.publisher, source.title, bool(source.accepted))
        submissions, statuses = grouped.setdefault(key, ([], []))
        if submission_id is not None and submission_id not in submissions:
            submissions.append(submission_id)
        if status is not None and not source.accepted:
            statuses.append(status)
    return [
        PublisherClaim(publisher, title, is_record, tuple(submissions), tuple(statuses))
        for (publisher, title, is_record), (submissions, statuses) in grouped.items()
    ]


def source_published(source: Source) -> PartialDate | None:
    """Return a stored source's publication date at its precision."""
    return PartialDate.of(source.published, source.published_precision)


def source_provenance(source: Source) -> Provenance:
    """Return a stored source's provenance as a domain value."""
    return Provenance(
        source.publisher,
        SourceKind(source.kind),
        source.original_publisher,
        source.original_url,
        bool(source.text_damaged),
    )
