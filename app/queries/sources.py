"""Sources: stored once per normalised URL; exchange rates. Functions flush, never commit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.currency import ExchangeRate as RateValue
from app.domain.dates import PartialDate
from app.domain.figures import FigureStatus
from app.models import (
    ExchangeRate,
    Figure,
    Source,
)
from app.schemas import FigureIn


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
