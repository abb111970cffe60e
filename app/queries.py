"""Every read and write as fn(session, ...). Functions flush, never commit: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pycountry
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from app.domain.currency import ExchangeRate as RateValue
from app.domain.dates import PartialDate
from app.domain.figures import Bound, ClaimantKind, FigureStatus
from app.domain.records import FigureRecord
from app.domain.vocabulary import CLAIMANT_KINDS, METRICS, REGIONS
from app.models import (
    Area,
    ClaimantKindRow,
    ExchangeRate,
    Figure,
    FigureRevision,
    Metric,
    Source,
    TimelineEvent,
)
from app.schemas import FigureIn

# Vocabulary ------------------------------------------------------------------------------------


def country_name(country: Any) -> str:
    """Return the name people use for a pycountry country (its common name where it has one)."""
    return str(getattr(country, "common_name", None) or country.name)


def sync_vocabulary(session: Session) -> None:
    """Insert missing areas, metrics and claimant kinds; update labels of existing ones."""
    areas = {area.code: area for area in session.scalars(select(Area))}
    for country in pycountry.countries:
        wanted = {"kind": "country", "name": country_name(country), "description": ""}
        _upsert(session, areas.get(country.alpha_3), Area, {"code": country.alpha_3, **wanted})
    for region in REGIONS:
        wanted = {"kind": "region", "name": region.name, "description": region.description}
        _upsert(session, areas.get(region.slug), Area, {"code": region.slug, **wanted})
    metrics = {metric.slug: metric for metric in session.scalars(select(Metric))}
    for position, definition in enumerate(METRICS):
        values = {
            "slug": definition.slug,
            "label": definition.label,
            "group": definition.group,
            "unit_kind": definition.unit_kind,
            "definition": definition.definition,
            "position": position,
        }
        _upsert(session, metrics.get(definition.slug), Metric, values)
    kinds = {kind.slug: kind for kind in session.scalars(select(ClaimantKindRow))}
    for position, kind in enumerate(CLAIMANT_KINDS):
        values = {
            "slug": kind.kind.value,
            "label": kind.label,
            "is_official": kind.kind.is_official,
            "colour": kind.colour,
            "description": kind.description,
            "position": position,
        }
        _upsert(session, kinds.get(kind.kind.value), ClaimantKindRow, values)
    session.flush()


def _upsert(session: Session, existing: Any, model: Any, values: dict[str, Any]) -> None:
    if existing is None:
        session.add(model(**values))
        return
    for name, value in values.items():
        if getattr(existing, name) != value:
            setattr(existing, name, value)


def validation_context(session: Session) -> dict[str, set[str]]:
    """Return the known area codes and metric slugs, for validating FigureIn."""
    return {
        "areas": set(session.scalars(select(Area.code))),
        "metrics": set(session.scalars(select(Metric.slug))),
    }


def get_area(session: Session, code: str) -> Area | None:
    """Return the area with this code (ISO3 country or region slug), or None."""
    return session.get(Area, code)


def get_metric(session: Session, slug: str) -> Metric | None:
    """Return the metric with this slug, or None."""
    return session.get(Metric, slug)


def list_metrics(session: Session) -> list[Metric]:
    """Return the metric vocabulary in its order."""
    return list(session.scalars(select(Metric).order_by(Metric.position)))


def claimant_kinds(session: Session) -> list[ClaimantKindRow]:
    """Return the claimant kinds in their order."""
    return list(session.scalars(select(ClaimantKindRow).order_by(ClaimantKindRow.position)))


# Figures ---------------------------------------------------------------------------------------


def to_record(figure: Figure) -> FigureRecord:
    """Return the plain record of a figure loaded with its area, metric and source."""
    source = figure.source
    return FigureRecord(
        id=figure.id,
        area_code=figure.area_code,
        area_name=figure.area.name,
        area_kind=figure.area.kind,
        metric_slug=figure.metric_slug,
        metric_label=figure.metric.label,
        low=figure.low,
        high=figure.high,
        bound=Bound(figure.bound),
        qualifier=figure.qualifier,
        unit=figure.unit,
        currency=figure.currency,
        counted_as=figure.counted_as,
        as_of=PartialDate.of(figure.as_of, figure.as_of_precision),
        period_start=PartialDate.of(figure.period_start, figure.period_start_precision),
        period_end=PartialDate.of(figure.period_end, figure.period_end_precision),
        claimant=figure.claimant,
        claimant_kind=ClaimantKind(figure.claimant_kind),
        quote=figure.quote,
        notes=figure.notes,
        status=figure.status,
        external_ref=figure.external_ref,
        source_id=source.id,
        source_url=source.url,
        source_publisher=source.publisher,
        source_title=source.title,
        source_published=PartialDate.of(source.published, source.published_precision),
    )


def _figures_query() -> Any:
    return select(Figure).options(
        joinedload(Figure.area), joinedload(Figure.metric), joinedload(Figure.source)
    )


def published_records(
    session: Session,
    *,
    area_code: str | None = None,
    metric_slug: str | None = None,
    source_id: int | None = None,
) -> list[FigureRecord]:
    """Return published figures, filtered by area, metric or source, ordered by id."""
    query = _figures_query().where(Figure.status == FigureStatus.PUBLISHED.value)
    if area_code is not None:
        query = query.where(Figure.area_code == area_code)
    if metric_slug is not None:
        query = query.where(Figure.metric_slug == metric_slug)
    if source_id is not None:
        query = query.where(Figure.source_id == source_id)
    return [to_record(figure) for figure in session.scalars(query.order_by(Figure.id))]


def public_record(session: Session, figure_id: int) -> FigureRecord | None:
    """Return a figure anyone may see (published or retracted), or None."""
    figure = session.scalars(_figures_query().where(Figure.id == figure_id)).one_or_none()
    public = (FigureStatus.PUBLISHED.value, FigureStatus.RETRACTED.value)
    if figure is None or figure.status not in public:
        return None
    return to_record(figure)


def revisions_of(session: Session, figure_id: int) -> list[FigureRevision]:
    """Return a figure's revisions, oldest first."""
    query = select(FigureRevision).where(FigureRevision.figure_id == figure_id)
    return list(session.scalars(query.order_by(FigureRevision.number)))


def published_counts_by_area(session: Session) -> dict[str, int]:
    """Return the number of published figures per area code."""
    query = (
        select(Figure.area_code, func.count())
        .where(Figure.status == FigureStatus.PUBLISHED.value)
        .group_by(Figure.area_code)
    )
    return {code: count for code, count in session.execute(query)}


def count_figures(session: Session) -> int:
    """Return the number of figures stored, whatever their status."""
    return int(session.scalar(select(func.count()).select_from(Figure)) or 0)


def figure_state(figure: Figure) -> dict[str, Any]:
    """Return every field of a figure as JSON-ready values (what a revision keeps)."""
    state: dict[str, Any] = {}
    for column in Figure.__table__.columns:
        value = getattr(figure, column.key)
        if isinstance(value, date):
            value = value.isoformat()
        elif value is not None and not isinstance(value, str | int | bool):
            value = str(value)
        state[column.key] = value
    return state


def figure_columns(figure_in: FigureIn) -> dict[str, Any]:
    """Return the figure table's column values that a validated input sets (all but source and status)."""
    columns: dict[str, Any] = {
        "area_code": figure_in.area,
        "metric_slug": figure_in.metric,
        "low": figure_in.low,
        "high": figure_in.high,
        "bound": figure_in.checked_bound.value,
        "qualifier": figure_in.qualifier,
        "unit": figure_in.unit,
        "currency": figure_in.currency,
        "counted_as": figure_in.counted_as,
        "claimant": figure_in.claimant,
        "claimant_kind": figure_in.claimant_kind.value,
        "quote": figure_in.quote,
        "notes": figure_in.notes,
        "external_ref": figure_in.external_ref,
    }
    for name in ("as_of", "period_start", "period_end"):
        partial: PartialDate | None = getattr(figure_in, name)
        columns[name] = partial.value if partial else None
        columns[f"{name}_precision"] = partial.precision.value if partial else None
    return columns


def differs_from(figure: Figure, figure_in: FigureIn) -> list[str]:
    """Return the names of the fields where a stored figure differs from an input."""
    changed = [
        name for name, value in figure_columns(figure_in).items() if getattr(figure, name) != value
    ]
    if figure.source.url != figure_in.source_url:
        changed.append("source_url")
    return changed


def add_figure(
    session: Session, figure_in: FigureIn, *, status: FigureStatus, changed_by: str, reason: str
) -> Figure:
    """Store a validated figure (and its source if new) with its first revision; return it."""
    figure = Figure(
        **figure_columns(figure_in), source=source_for(session, figure_in), status=status.value
    )
    session.add(figure)
    session.flush()
    session.refresh(figure)
    session.add(
        FigureRevision(
            figure=figure,
            number=1,
            changed_by=changed_by,
            reason=reason,
            previous_state=None,
            new_state=figure_state(figure),
        )
    )
    session.flush()
    return figure


def figure_by_external_ref(session: Session, reference: str) -> Figure | None:
    """Return the figure carrying this external reference, or None."""
    return session.scalars(select(Figure).where(Figure.external_ref == reference)).one_or_none()


# Sources ---------------------------------------------------------------------------------------


def source_for(session: Session, figure_in: FigureIn) -> Source:
    """Return the stored source with the figure's URL, creating it from the figure's fields if new."""
    return source_for_fields(
        session,
        url=figure_in.source_url,
        publisher=figure_in.source_publisher,
        title=figure_in.source_title,
        published=figure_in.source_published,
    )


def source_for_fields(
    session: Session, *, url: str, publisher: str, title: str = "", published: PartialDate | None
) -> Source:
    """Return the stored source with this (normalised) URL, creating it if new."""
    source = session.scalars(select(Source).where(Source.url == url)).one_or_none()
    if source is not None:
        return source
    source = Source(
        url=url,
        publisher=publisher,
        title=title,
        published=published.value if published else None,
        published_precision=published.precision.value if published else None,
    )
    session.add(source)
    session.flush()
    return source


def sources_with_counts(session: Session) -> list[tuple[Source, int]]:
    """Return every source with its number of published figures, most-cited first."""
    published = Figure.status == FigureStatus.PUBLISHED.value
    count = func.count(Figure.id).filter(published)
    query = (
        select(Source, count)
        .outerjoin(Figure, Figure.source_id == Source.id)
        .group_by(Source.id)
        .order_by(count.desc(), Source.publisher, Source.id)
    )
    return [(source, int(n)) for source, n in session.execute(query)]


def get_source(session: Session, source_id: int) -> Source | None:
    """Return the source with this id, or None."""
    return session.get(Source, source_id)


def exchange_rates(session: Session) -> list[RateValue]:
    """Return every stored exchange rate as domain values."""
    return [
        RateValue(rate.currency, rate.usd_per_unit, rate.as_of, rate.source_id)
        for rate in session.scalars(select(ExchangeRate))
    ]


# Timeline --------------------------------------------------------------------------------------


def timeline_for(session: Session, area_code: str) -> list[TimelineEvent]:
    """Return an area's dated events, oldest first, with their sources."""
    query = (
        select(TimelineEvent)
        .options(joinedload(TimelineEvent.source))
        .where(TimelineEvent.area_code == area_code)
        .order_by(TimelineEvent.happened_on, TimelineEvent.id)
    )
    return list(session.scalars(query))


def event_by_external_ref(session: Session, reference: str) -> TimelineEvent | None:
    """Return the timeline event carrying this external reference, or None."""
    query = select(TimelineEvent).where(TimelineEvent.external_ref == reference)
    return session.scalars(query).one_or_none()


def add_event(
    session: Session,
    *,
    area_code: str,
    happened_on: PartialDate,
    title: str,
    description: str,
    source: Source,
    external_ref: str | None,
) -> TimelineEvent:
    """Store a timeline event and return it."""
    event = TimelineEvent(
        area_code=area_code,
        happened_on=happened_on.value,
        date_precision=happened_on.precision.value,
        title=title,
        description=description,
        source=source,
        external_ref=external_ref,
    )
    session.add(event)
    session.flush()
    return event


def areas_by_code(session: Session, codes: Sequence[str]) -> dict[str, Area]:
    """Return the areas with these codes, keyed by code."""
    return {area.code: area for area in session.scalars(select(Area).where(Area.code.in_(codes)))}
