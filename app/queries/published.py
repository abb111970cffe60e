"""Published data as the API and the exports read it: filtered, paged or streamed, and versioned.

Functions read only; none flushes or commits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from app.domain.dataset import DatasetState, dataset_version
from app.domain.figures import PUBLIC_STATUSES, FigureStatus
from app.domain.filters import FigureFilter
from app.domain.records import FigureRecord, record_from_stored
from app.domain.sources import SourceKind
from app.models import (
    ExchangeRate,
    ExchangeRateRevision,
    Figure,
    FigureRevision,
    RevisionRedaction,
    Source,
    SourceRevision,
    TimelineEvent,
)
from app.queries.records import records_query, records_where

DATED_CLAIM_BATCH_ROWS = 5_000

STREAM_BATCH_ROWS = 500


def _dataset_state_query() -> Select[Any]:
    """Return the one statement reading the dataset state (built once: it has no parameters)."""
    # The walk goes down the revisions from the newest and stops at the first public one: the
    # EXISTS keeps both planners from reading every public figure and sorting their revisions.
    is_public = (
        select(Figure.id)
        .where(Figure.id == FigureRevision.figure_id, Figure.status.in_(PUBLIC_STATUSES))
        .exists()
    )
    latest = (
        select(FigureRevision.id, FigureRevision.changed_at)
        .where(is_public)
        .order_by(FigureRevision.id.desc())
        .limit(1)
        .subquery()
    )
    latest_source = (
        select(SourceRevision.id, SourceRevision.changed_at)
        .order_by(SourceRevision.id.desc())
        .limit(1)
        .subquery()
    )
    latest_rate = (
        select(ExchangeRateRevision.id, ExchangeRateRevision.changed_at)
        .order_by(ExchangeRateRevision.id.desc())
        .limit(1)
        .subquery()
    )
    latest_redaction = (
        select(RevisionRedaction.id, RevisionRedaction.redacted_at)
        .order_by(RevisionRedaction.id.desc())
        .limit(1)
        .subquery()
    )
    return select(
        select(func.max(TimelineEvent.id)).scalar_subquery(),
        latest.c.id,
        latest.c.changed_at,
        select(latest_source.c.id).scalar_subquery(),
        select(latest_source.c.changed_at).scalar_subquery(),
        select(latest_rate.c.id).scalar_subquery(),
        select(latest_rate.c.changed_at).scalar_subquery(),
        select(latest_redaction.c.id).scalar_subquery(),
        select(latest_redaction.c.redacted_at).scalar_subquery(),
    ).select_from(select(literal(1).label("one")).subquery().outerjoin(latest, true()))


_DATASET_STATE_QUERY = _dataset_state_query()


def dataset_state(executor: Session | Connection) -> DatasetState:
    """Return the latest public figure revision, timeline event, source revision, exchange
    rate revision and redaction of a past revision (index look-ups only)."""
    row = executor.execute(_DATASET_STATE_QUERY).one()
    last_event_id, revision_id, changed_at, source_revision_id, source_at, rate_id, rate_at = row[
        :7
    ]
    redaction_id, redacted_at = row[7:]
    moments = [
        _as_utc(moment)
        for identifier, moment in (
            (revision_id, changed_at),
            (source_revision_id, source_at),
            (rate_id, rate_at),
            (redaction_id, redacted_at),
        )
        if identifier and moment is not None
    ]
    return DatasetState(
        last_revision_id=int(revision_id or 0),
        last_revision_at=max(moment for moment in moments if moment) if revision_id else None,
        last_event_id=int(last_event_id or 0),
        last_rate_revision_id=int(rate_id or 0),
        last_source_revision_id=int(source_revision_id or 0),
        last_redaction_id=int(redaction_id or 0),
    )


def _as_utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC)


def current_dataset_version(session: Session) -> str:
    """Return the version of the public data as this session sees it."""
    return dataset_version(dataset_state(session))


def latest_dataset_version(engine: Engine) -> str:
    """Return the version of the public data now, read by one statement outside a transaction.

    The cheapest way to learn whether a kept page is still current: no session, and on
    PostgreSQL no BEGIN and ROLLBACK around the one statement. (SQLite's are cheap calls, and its
    driver's own autocommit setting must not be touched: app.db manages its transactions.)
    """
    with engine.connect() as connection:
        if engine.dialect.name != "sqlite":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        return dataset_version(dataset_state(connection))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def published_conditions(figure_filter: FigureFilter) -> list[ColumnElement[bool]]:
    """Return the conditions a published figure meets to match the filter (text: on Source too)."""
    conditions: list[ColumnElement[bool]] = [Figure.status == FigureStatus.PUBLISHED.value]
    if figure_filter.selects_nothing:
        conditions.append(Figure.id.is_(None))
    if figure_filter.areas:
        conditions.append(Figure.area_code.in_(figure_filter.areas))
    if figure_filter.metrics:
        conditions.append(Figure.metric_slug.in_(figure_filter.metrics))
    if figure_filter.wanted_kinds:
        kinds = [kind.value for kind in figure_filter.wanted_kinds]
        conditions.append(Figure.claimant_kind.in_(kinds))
    if figure_filter.first_day is not None:
        conditions.append(Figure.as_of >= figure_filter.first_day)
    if figure_filter.last_day is not None:
        conditions.append(Figure.as_of <= figure_filter.last_day)
    if figure_filter.source_id is not None:
        conditions.append(Figure.source_id == figure_filter.source_id)
    if figure_filter.text:
        pattern = f"%{_escape_like(figure_filter.text)}%"
        searched = (Figure.claimant, Figure.quote, Source.publisher, Source.title, Source.url)
        conditions.append(or_(*(column.ilike(pattern, escape="\\") for column in searched)))
    return conditions


def _published_query(figure_filter: FigureFilter) -> Select[*tuple[Any, ...]]:
    """Return the select of published figures matching the filter, joined with what records need."""
    return records_query(*published_conditions(figure_filter))


def count_published(session: Session, figure_filter: FigureFilter) -> int:
    """Return how many published figures match the filter."""
    query = select(func.count()).select_from(Figure)
    if figure_filter.text:
        query = query.join(Source, Source.id == Figure.source_id)
    return int(session.scalar(query.where(*published_conditions(figure_filter))) or 0)


def published_page(
    session: Session, figure_filter: FigureFilter, *, limit: int, offset: int
) -> list[FigureRecord]:
    """Return one page of the published figures matching the filter, ordered by id."""
    query = _published_query(figure_filter).order_by(Figure.id).limit(limit).offset(offset)
    return [record_from_stored(row) for row in session.execute(query)]


def stream_published(
    session: Session, figure_filter: FigureFilter, *, batch_rows: int = STREAM_BATCH_ROWS
) -> Iterator[FigureRecord]:
    """Yield every published figure matching the filter, ordered by id, reading rows in batches."""
    query = _published_query(figure_filter).order_by(Figure.id)
    result = session.connection().execute(query.execution_options(yield_per=batch_rows))
    for row in result:
        yield record_from_stored(row)


def published_counts_by_metric(session: Session) -> dict[str, int]:
    """Return the number of published figures per metric slug."""
    query = (
        select(Figure.metric_slug, func.count())
        .where(Figure.status == FigureStatus.PUBLISHED.value)
        .group_by(Figure.metric_slug)
    )
    return {slug: int(count) for slug, count in session.execute(query)}


def published_counts_by_area_and_metric(session: Session) -> dict[str, dict[str, int]]:
    """Return, per area code, the number of published figures per metric slug."""
    query = (
        select(Figure.area_code, Figure.metric_slug, func.count())
        .where(Figure.status == FigureStatus.PUBLISHED.value)
        .group_by(Figure.area_code, Figure.metric_slug)
    )
    counts: dict[str, dict[str, int]] = {}
    for code, slug, count in session.execute(query):
        counts.setdefault(code, {})[slug] = int(count)
    return counts


def _is_public_source() -> Any:
    """Return the condition a source meets when a public page shows it (a published figure, event or rate)."""
    citing = aliased(Figure)
    return and_(
        Source.accepted.is_(True),
        or_(
            exists().where(
                citing.source_id == Source.id,
                citing.status == FigureStatus.PUBLISHED.value,
            ),
            exists().where(TimelineEvent.source_id == Source.id),
            exists().where(ExchangeRate.source_id == Source.id),
        ),
    )


SOURCE_ORDERS = ("figures", "fewest", "publisher")


def public_sources(
    session: Session, *, kind: SourceKind | None = None, order: str = "figures"
) -> list[tuple[Source, int]]:
    """Return the sources of published figures, events or rates with their published-figure
    counts, of one kind if asked, by number of figures (most or fewest first) or publisher."""
    published = Figure.status == FigureStatus.PUBLISHED.value
    count = func.count(Figure.id).filter(published)
    by_publisher = (Source.publisher, Source.id)
    ordering = {
        "figures": (count.desc(), *by_publisher),
        "fewest": (count.asc(), *by_publisher),
        "publisher": by_publisher,
    }[order]
    query = (
        select(Source, count)
        .outerjoin(Figure, Figure.source_id == Source.id)
        .where(_is_public_source())
        .group_by(Source.id)
        .order_by(*ordering)
    )
    if kind is not None:
        query = query.where(Source.kind == kind.value)
    return [(source, int(n)) for source, n in session.execute(query)]


def public_source(session: Session, source_id: int) -> Source | None:
    """Return the source with this id when a public page shows it, else None."""
    query = select(Source).where(Source.id == source_id, _is_public_source())
    return session.scalars(query).one_or_none()


def published_records(
    session: Session,
    *,
    area_code: str | None = None,
    metric_slug: str | None = None,
    metric_slugs: Sequence[str] | None = None,
    source_id: int | None = None,
    figure_ids: Sequence[int] | None = None,
) -> list[FigureRecord]:
    """Return published figures, filtered by area, metric(s), source or ids, by id (one query)."""
    conditions: list[ColumnElement[bool]] = [Figure.status == FigureStatus.PUBLISHED.value]
    if area_code is not None:
        conditions.append(Figure.area_code == area_code)
    if metric_slug is not None:
        conditions.append(Figure.metric_slug == metric_slug)
    if metric_slugs is not None:
        conditions.append(Figure.metric_slug.in_(metric_slugs))
    if source_id is not None:
        conditions.append(Figure.source_id == source_id)
    if figure_ids is not None:
        conditions.append(Figure.id.in_(figure_ids))
    return records_where(session, *conditions)


def published_source_count(session: Session) -> int:
    """Return how many sources the published figures cite.

    Counted over the sources (each one index look-up for a published figure citing it), not
    over the figures: the cost follows the sources, a twentieth of the figures.
    """
    citing = (
        select(Figure.id)
        .where(Figure.source_id == Source.id, Figure.status == FigureStatus.PUBLISHED.value)
        .exists()
    )
    return int(session.scalar(select(func.count()).select_from(Source).where(citing)) or 0)
