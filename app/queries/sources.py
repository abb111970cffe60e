"""Sources: stored once per normalised URL; exchange rates. Functions flush, never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.domain.currency import ExchangeRate as RateValue
from app.domain.dates import PartialDate
from app.models import (
    ExchangeRate,
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
    """Return the stored source with this (normalised) URL, creating it if new.

    Two requests citing the same new URL at once both insert it; the second insert does nothing
    (it waits for the first to commit) and both then read the one stored row.
    """
    by_url = select(Source).where(Source.url == url)
    source = session.scalars(by_url).one_or_none()
    if source is not None:
        return source
    insert = postgres_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(Source)
        .values(
            url=url,
            publisher=publisher,
            title=title,
            published=published.value if published else None,
            published_precision=published.precision.value if published else None,
        )
        .on_conflict_do_nothing(index_elements=["url"])
    )
    return session.scalars(by_url).one()


def exchange_rates(session: Session) -> list[RateValue]:
    """Return every stored exchange rate as domain values."""
    return [
        RateValue(rate.currency, rate.usd_per_unit, rate.as_of, rate.source_id)
        for rate in session.scalars(select(ExchangeRate))
    ]
