"""Exchange rates: sourced, quoted, dated; added and edited with revisions and audit events.

A rate is public data (a USD equivalent is computed from it), so every addition and every edit
writes a revision, which changes the dataset version. Functions flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.currency import ExchangeRate as RateValue
from app.domain.dates import PartialDate
from app.domain.figure_spec import decimal_text
from app.domain.moderation import ModerationAction, check_reason
from app.models import ExchangeRate, ExchangeRateRevision, Source
from app.queries.audit import record_audit
from app.queries.revisions import append_revision, revisions_in_order
from app.queries.sources import accepted_source, source_for_fields, source_published
from app.rate_input import RateIn

RATE_OBJECT = "exchange_rate"
ADD_ACTION = "add"


def exchange_rates(session: Session) -> list[RateValue]:
    """Return every stored exchange rate as domain values."""
    return [
        RateValue(rate.currency, rate.usd_per_unit, rate.as_of, rate.source_id)
        for rate in session.scalars(select(ExchangeRate))
    ]


class RateProblem(ValueError):
    """A rate that cannot be stored as given: which field, and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def rate_as_of(rate: ExchangeRate) -> PartialDate:
    """Return a stored rate's date at its precision (a day or a month)."""
    found = PartialDate.of(rate.as_of, rate.as_of_precision)
    assert found is not None
    return found


def rate_state(rate: ExchangeRate) -> dict[str, Any]:
    """Return a rate as JSON-ready values (what its revisions and audit events keep)."""
    return {
        "currency": rate.currency,
        "usd_per_unit": decimal_text(rate.usd_per_unit),
        "as_of": rate.as_of.isoformat(),
        "as_of_precision": rate.as_of_precision,
        "quote": rate.quote,
        "notes": rate.notes,
        "external_ref": rate.external_ref,
        "source_id": rate.source_id,
        "source_url": rate.source.url,
    }


def write_rate_revision(
    session: Session,
    *,
    rate: ExchangeRate,
    previous_state: dict[str, Any] | None,
    changed_by: str,
    reason: str,
) -> ExchangeRateRevision:
    """Append a rate's next revision: its state before and after the change."""
    return append_revision(
        session,
        ExchangeRateRevision,
        owner="rate",
        of=rate,
        previous_state=previous_state,
        new_state=rate_state(rate),
        changed_by=changed_by,
        reason=reason,
    )


def rate_revisions(session: Session, rate_id: int) -> list[ExchangeRateRevision]:
    """Return a rate's revisions, oldest first."""
    return revisions_in_order(session, ExchangeRateRevision, owner="rate", owner_id=rate_id)


def rate_for_update(session: Session, rate_id: int) -> ExchangeRate | None:
    """Return the rate with this id, locked for this transaction, or None."""
    return session.get(ExchangeRate, rate_id, with_for_update=True)


def stored_rate(session: Session, rate_in: RateIn) -> ExchangeRate | None:
    """Return the stored rate of the input's currency, date and source address, or None."""
    source = accepted_source(session, rate_in.source_url)
    if source is None:
        return None
    return _rate_at(session, rate_in.currency, rate_in.as_of.value, source.id)


def _rate_at(session: Session, currency: str, on: date, source_id: int) -> ExchangeRate | None:
    query = select(ExchangeRate).where(
        ExchangeRate.currency == currency,
        ExchangeRate.as_of == on,
        ExchangeRate.source_id == source_id,
    )
    found: ExchangeRate | None = session.scalars(query).one_or_none()
    return found


def rate_differs(rate: ExchangeRate, rate_in: RateIn) -> list[str]:
    """Return the fields in which an input states a stored rate (same currency, date and source)
    otherwise: the number, the date's precision or the quote."""
    differing = []
    if rate.usd_per_unit != rate_in.usd_per_unit:
        differing.append("usd_per_unit")
    if rate.as_of_precision != rate_in.as_of.precision.value:
        differing.append("as_of")
    if rate.quote != rate_in.quote:
        differing.append("quote")
    return differing


def _checked_source(session: Session, rate_in: RateIn) -> Source | None:
    """Return the source record of the input's address (None when the address has none yet),
    raising RateProblem when the input states it otherwise than the record does."""
    source = accepted_source(session, rate_in.source_url)
    if source is None:
        return None
    stated = [
        (field, wanted, recorded)
        for field, wanted, recorded in (
            ("source_publisher", rate_in.source_publisher, source.publisher),
            ("source_title", rate_in.source_title, source.title),
            (
                "source_published",
                rate_in.source_published.iso() if rate_in.source_published else "",
                _published_text(source),
            ),
        )
        if (wanted or field == "source_publisher") and wanted != recorded
    ]
    if stated:
        field, _wanted, recorded = stated[0]
        raise RateProblem(
            field,
            f"the source record of this address (#{source.id}) says '{recorded or '(none)'}':"
            f" change the record on /review/sources/{source.id}, or state it as the record does",
        )
    return source


def _published_text(source: Source) -> str:
    published = source_published(source)
    return published.iso() if published else ""


def _check_unique(
    session: Session, rate_in: RateIn, source: Source | None, rate_id: int | None
) -> None:
    """Raise RateProblem when another rate has the input's currency, date and source, or its
    external reference."""
    if source is not None:
        same = _rate_at(session, rate_in.currency, rate_in.as_of.value, source.id)
        if same is not None and same.id != rate_id:
            raise RateProblem(
                "as_of",
                f"rate #{same.id} has this currency, date and source already",
            )
    if rate_in.external_ref:
        query = select(ExchangeRate).where(ExchangeRate.external_ref == rate_in.external_ref)
        named = session.scalars(query).one_or_none()
        if named is not None and named.id != rate_id:
            raise RateProblem("external_ref", f"rate #{named.id} has this reference already")


def _source_of(
    session: Session, rate_in: RateIn, source: Source | None, *, changed_by: str, reason: str
) -> Source:
    if source is not None:
        return source
    return source_for_fields(
        session,
        url=rate_in.source_url,
        publisher=rate_in.source_publisher,
        title=rate_in.source_title,
        published=rate_in.source_published,
        changed_by=changed_by,
        reason=reason,
    )


def _apply(rate: ExchangeRate, rate_in: RateIn, source: Source) -> None:
    rate.currency = rate_in.currency
    rate.usd_per_unit = rate_in.usd_per_unit
    rate.as_of = rate_in.as_of.value
    rate.as_of_precision = rate_in.as_of.precision.value
    rate.quote = rate_in.quote
    rate.notes = rate_in.notes
    rate.external_ref = rate_in.external_ref
    rate.source = source


def store_rate(session: Session, rate: ExchangeRate) -> None:
    """Flush a new or changed rate, raising RateProblem when a rate stored at the same moment
    took its currency, date and source, or its reference (the checks before could not see it)."""
    try:
        with session.begin_nested():
            session.add(rate)
            session.flush()
    except IntegrityError:
        raise RateProblem(
            "as_of",
            "another rate with this currency, date and source (or this reference) was stored"
            " at the same moment: reload the rates and check",
        ) from None


def add_rate(session: Session, rate_in: RateIn, *, changed_by: str, reason: str) -> ExchangeRate:
    """Store a new rate with its first revision and an audit event; return it.

    Raises RateProblem when the input states its source otherwise than the address's record, or
    another rate has its currency, date and source or its reference.
    """
    source = _checked_source(session, rate_in)
    _check_unique(session, rate_in, source, None)
    source = _source_of(session, rate_in, source, changed_by=changed_by, reason=reason)
    rate = ExchangeRate()
    _apply(rate, rate_in, source)
    store_rate(session, rate)
    write_rate_revision(
        session, rate=rate, previous_state=None, changed_by=changed_by, reason=reason
    )
    record_audit(
        session,
        actor=changed_by,
        action=ADD_ACTION,
        object_type=RATE_OBJECT,
        object_id=rate.id,
        before=None,
        after=rate_state(rate),
        reason=reason,
    )
    return rate


def edit_rate(
    session: Session, *, rate: ExchangeRate, rate_in: RateIn, moderator: str, reason: str
) -> bool:
    """Apply a moderator's edit to a rate; False when it changed nothing.

    Raises ValueError when the reason is missing or too long, RateProblem as add_rate does.
    """
    reason = check_reason(ModerationAction.EDIT, reason)
    source = _checked_source(session, rate_in)
    _check_unique(session, rate_in, source, rate.id)
    before = rate_state(rate)
    source = _source_of(session, rate_in, source, changed_by=moderator, reason=reason)
    _apply(rate, rate_in, source)
    store_rate(session, rate)
    after = rate_state(rate)
    if after == before:
        return False
    write_rate_revision(
        session, rate=rate, previous_state=before, changed_by=moderator, reason=reason
    )
    record_audit(
        session,
        actor=moderator,
        action=ModerationAction.EDIT.value,
        object_type=RATE_OBJECT,
        object_id=rate.id,
        before=before,
        after=after,
        reason=reason,
    )
    return True


@dataclass(frozen=True)
class RateListing:
    """A rate with its source and its latest revision (the last change)."""

    rate: ExchangeRate
    source: Source
    last_change: ExchangeRateRevision


def list_rates(session: Session) -> list[RateListing]:
    """Return every rate with its source and last change, by currency, newest first."""
    latest = (
        select(ExchangeRateRevision.rate_id, func.max(ExchangeRateRevision.number).label("number"))
        .group_by(ExchangeRateRevision.rate_id)
        .subquery()
    )
    query = (
        select(ExchangeRate, Source, ExchangeRateRevision)
        .join(Source, Source.id == ExchangeRate.source_id)
        .join(latest, latest.c.rate_id == ExchangeRate.id)
        .join(
            ExchangeRateRevision,
            (ExchangeRateRevision.rate_id == ExchangeRate.id)
            & (ExchangeRateRevision.number == latest.c.number),
        )
        .order_by(ExchangeRate.currency, ExchangeRate.as_of.desc(), ExchangeRate.id)
    )
    return [
        RateListing(rate, source, revision) for rate, source, revision in session.execute(query)
    ]
