"""The kept summary of each (area, metric) group of published figures: written when the group's
figures change, in the same transaction, and read by the overview, the metric and the area pages.

Every write that can change a group's published figures (publishing, editing, retracting or
reinstating a figure, adding a published one) calls `refresh_summaries` with the groups it
touched; each of them is computed again from only its own figures (app/domain/comparisons.py)
and stored as JSON text (app/domain/summary_text.py). Bulk loads refresh each group once, at
their end (`summaries_refreshed_once`), or rebuild every summary (`rebuild_summaries`).
Functions flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.domain.claim_comparison import ClaimFacts
from app.domain.comparisons import GroupSummary, claims_by_group, summarise_group
from app.domain.dated_claims import DatedClaim, dated_claim
from app.domain.dates import PartialDate
from app.domain.figures import Bound, ClaimantKind, FigureStatus
from app.domain.group_chart_text import group_chart_of_text, group_chart_text
from app.domain.group_charts import GroupChart, group_chart
from app.domain.summary_text import (
    LISTED_PER_SIDE,
    SUMMARY_FORMAT,
    summary_of_text,
    summary_text,
)
from app.models import AreaMetricChart, AreaMetricSummary, Figure

GroupKey = tuple[str, str]  # (area code, metric slug)
READ_BATCH_ROWS = 5_000
KEYS_PER_STATEMENT = 200
_PENDING = "summaries_pending"  # session.info key: groups to refresh when the bulk load ends
_BOUNDS = {bound.value: bound for bound in Bound}
_KINDS = {kind.value: kind for kind in ClaimantKind}
_DATED_CLAIM_COLUMNS = (
    Figure.id,
    Figure.area_code,
    Figure.metric_slug,
    Figure.low,
    Figure.high,
    Figure.bound,
    Figure.unit,
    Figure.currency,
    Figure.claimant,
    Figure.claimant_kind,
    Figure.repeats_id,
    Figure.as_of,
    Figure.as_of_precision,
    Figure.period_start,
    Figure.period_start_precision,
    Figure.period_end,
    Figure.period_end_precision,
)


def dated_claims(
    session: Session,
    metric_slugs: Sequence[str] | None = None,
    *,
    area_code: str | None = None,
    groups: Sequence[GroupKey] | None = None,
) -> Iterator[DatedClaim]:
    """Yield the published figures of these metrics, area or groups (else all) as comparisons
    need them: the claims and dates, without the texts, areas and metrics a summary does not show."""
    conditions: list[ColumnElement[bool]] = [Figure.status == FigureStatus.PUBLISHED.value]
    if metric_slugs is not None:
        conditions.append(Figure.metric_slug.in_(metric_slugs))
    if area_code is not None:
        conditions.append(Figure.area_code == area_code)
    if groups is not None:
        conditions.append(_in_groups(Figure.area_code, Figure.metric_slug, groups))
    for facts, _row in _claim_facts(session, select(*_DATED_CLAIM_COLUMNS).where(*conditions)):
        yield dated_claim(facts)


def _claim_facts(
    session: Session, query: Select[*tuple[Any, ...]]
) -> Iterator[tuple[ClaimFacts, Any]]:
    """Yield the claim of each row selected with _DATED_CLAIM_COLUMNS first, and the row."""
    dates: dict[tuple[Any, Any], PartialDate | None] = {}  # figures share few distinct dates

    def partial(value: Any, precision: Any) -> PartialDate | None:
        key = (value, precision)
        if key not in dates:
            dates[key] = PartialDate.of(value, precision)
        return dates[key]

    rows: Iterator[Any] = iter(session.execute(query.execution_options(yield_per=READ_BATCH_ROWS)))
    for row in rows:
        figure_id, area, metric, low, high, bound, unit, currency, claimant, kind, repeats = row[
            :11
        ]
        facts = ClaimFacts(
            figure_id=figure_id,
            area_code=area,
            metric_slug=metric,
            low=low,
            high=high,
            bound=_BOUNDS[bound],
            unit=unit,
            currency=currency,
            claimant=claimant,
            claimant_kind=_KINDS[kind],
            as_of=partial(row[11], row[12]),
            period_start=partial(row[13], row[14]),
            period_end=partial(row[15], row[16]),
            repeats_id=repeats,
        )
        yield facts, row


def _in_groups(area: Any, metric: Any, groups: Sequence[GroupKey]) -> ColumnElement[bool]:
    """Return the condition that (area, metric) is one of the groups."""
    if len(groups) == 1:
        return and_(area == groups[0][0], metric == groups[0][1])
    return tuple_(area, metric).in_([tuple(key) for key in groups])


def group_of(figure: Figure) -> GroupKey:
    """Return the group a stored figure belongs to."""
    return (figure.area_code, figure.metric_slug)


def refresh_summaries(session: Session, groups: Iterable[GroupKey]) -> None:
    """Compute the summaries of these groups again from their published figures, and store them
    (a group left without published figures loses its summary); within
    `summaries_refreshed_once`, note them for its end instead."""
    keys = set(groups)
    session.flush()
    pending: set[GroupKey] | None = session.info.get(_PENDING)
    if pending is not None:
        pending |= keys
        return
    ordered = sorted(keys)
    for start in range(0, len(ordered), KEYS_PER_STATEMENT):
        _store(session, ordered[start : start + KEYS_PER_STATEMENT])


@contextmanager
def summaries_refreshed_once(session: Session) -> Iterator[None]:
    """Within it, the groups that writes touch are refreshed once each, when it ends (a bulk
    load refreshing a group per row would read the group's figures once per row)."""
    if session.info.get(_PENDING) is not None:  # already inside one: its end refreshes them
        yield
        return
    session.info[_PENDING] = set()
    try:
        yield
    except BaseException:
        session.info.pop(_PENDING, None)
        raise
    refresh_summaries(session, session.info.pop(_PENDING))


def _store(session: Session, keys: list[GroupKey]) -> None:
    """Lock the groups' summary rows (made if missing), then compute and store each summary.

    The lock comes before reading the figures: on PostgreSQL, a transaction refreshing the same
    group waits until this one commits, then reads figures that include this one's changes, so
    that the last summary written is computed from every committed change.
    """
    _lock_rows(session, keys)
    found = _kept_rows(dated_claims(session, groups=keys))
    for (area_code, metric_slug), (row, _chart) in found.items():
        session.execute(
            update(AreaMetricSummary)
            .where(
                AreaMetricSummary.area_code == area_code,
                AreaMetricSummary.metric_slug == metric_slug,
            )
            .values(**row)
        )
    session.execute(
        delete(AreaMetricChart).where(
            _in_groups(AreaMetricChart.area_code, AreaMetricChart.metric_slug, keys)
        )
    )
    if found:
        session.execute(insert(AreaMetricChart), _chart_rows(found))
    emptied = [key for key in keys if key not in found]
    if emptied:
        session.execute(
            delete(AreaMetricSummary).where(
                _in_groups(AreaMetricSummary.area_code, AreaMetricSummary.metric_slug, emptied)
            )
        )
    session.flush()


def _kept_rows(claims: Iterable[DatedClaim]) -> dict[GroupKey, tuple[dict[str, Any], str]]:
    """Return what is kept of each group of the claims: its summary's columns and its chart."""
    return {
        key: (
            {
                "figure_count": len(members),
                "summary_format": SUMMARY_FORMAT,
                "summary": summary_text(summarise_group(members, LISTED_PER_SIDE)),
            },
            group_chart_text(group_chart(members)),
        )
        for key, members in claims_by_group(claims).items()
    }


def _chart_rows(found: dict[GroupKey, tuple[dict[str, Any], str]]) -> list[dict[str, Any]]:
    return [
        {"area_code": area_code, "metric_slug": metric_slug, "chart": chart}
        for (area_code, metric_slug), (_summary, chart) in sorted(found.items())
    ]


def _lock_rows(session: Session, keys: list[GroupKey]) -> None:
    dialect = session.get_bind().dialect.name
    inserting = postgresql.insert if dialect == "postgresql" else sqlite.insert
    placeholders = [
        {
            "area_code": area_code,
            "metric_slug": metric_slug,
            "figure_count": 0,
            "summary_format": 0,
            "summary": "",
        }
        for area_code, metric_slug in keys
    ]
    session.execute(inserting(AreaMetricSummary).on_conflict_do_nothing(), placeholders)
    locked = select(AreaMetricSummary.area_code).where(
        _in_groups(AreaMetricSummary.area_code, AreaMetricSummary.metric_slug, keys)
    )
    session.execute(locked.order_by("area_code", "metric_slug").with_for_update()).all()


def rebuild_summaries(session: Session) -> int:
    """Compute every group's summary from all published figures, replacing the kept ones
    (after a bulk load that wrote figures directly, or a change of SUMMARY_FORMAT); return how
    many groups have one."""
    session.execute(delete(AreaMetricChart))
    session.execute(delete(AreaMetricSummary))
    found = _kept_rows(dated_claims(session))
    rows = [
        {"area_code": area_code, "metric_slug": metric_slug, **row}
        for (area_code, metric_slug), (row, _chart) in sorted(found.items())
    ]
    charts = _chart_rows(found)
    for start in range(0, len(rows), READ_BATCH_ROWS):
        session.execute(insert(AreaMetricSummary), rows[start : start + READ_BATCH_ROWS])
        session.execute(insert(AreaMetricChart), charts[start : start + READ_BATCH_ROWS])
    session.flush()
    return len(rows)


def summaries_need_rebuilding(session: Session) -> bool:
    """Return True when a kept summary has another format than this code's or no kept chart, or
    when published figures exist and no summary does (a database migrated before the summaries
    existed)."""
    stale = exists().where(AreaMetricSummary.summary_format != SUMMARY_FORMAT)
    charted = (
        select(AreaMetricChart.area_code)
        .where(
            AreaMetricChart.area_code == AreaMetricSummary.area_code,
            AreaMetricChart.metric_slug == AreaMetricSummary.metric_slug,
        )
        .exists()
    )
    uncharted = select(AreaMetricSummary.area_code).where(~charted).exists()
    kept = exists().where(AreaMetricSummary.area_code.is_not(None))
    published = exists().where(Figure.status == FigureStatus.PUBLISHED.value)
    return bool(session.scalar(select(stale | uncharted | (published & ~kept))))


def kept_summaries(
    session: Session, *, metric_slugs: Sequence[str] | None = None, area_code: str | None = None
) -> dict[GroupKey, GroupSummary]:
    """Return the kept summaries of these metrics, or of this area (else of every group)."""
    query = select(AreaMetricSummary.summary)
    if metric_slugs is not None:
        query = query.where(AreaMetricSummary.metric_slug.in_(metric_slugs))
    if area_code is not None:
        query = query.where(AreaMetricSummary.area_code == area_code)
    query = query.order_by(AreaMetricSummary.area_code, AreaMetricSummary.metric_slug)
    summaries = (summary_of_text(text) for text in session.scalars(query))
    return {(summary.area_code, summary.metric_slug): summary for summary in summaries}


def kept_group_charts(
    session: Session, *, area_code: str, metric_slugs: Sequence[str] | None = None
) -> dict[str, GroupChart]:
    """Return the kept chart of each of this area's groups (of these metrics), by metric slug."""
    query = select(AreaMetricChart.metric_slug, AreaMetricChart.chart).where(
        AreaMetricChart.area_code == area_code
    )
    if metric_slugs is not None:
        query = query.where(AreaMetricChart.metric_slug.in_(metric_slugs))
    return {slug: group_chart_of_text(text) for slug, text in session.execute(query)}


def published_counts_by_area(session: Session) -> dict[str, int]:
    """Return the number of published figures per area code (from the kept summaries)."""
    query = select(AreaMetricSummary.area_code, func.sum(AreaMetricSummary.figure_count))
    query = query.group_by(AreaMetricSummary.area_code)
    return {code: int(count) for code, count in session.execute(query)}
