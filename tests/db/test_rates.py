"""Exchange rates: added and edited with revisions and audit events; the dataset version follows."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import queries
from app.figure_input import field_errors
from app.models import ExchangeRate, ExchangeRateRevision
from app.operations.seeding import SEEDS_DIR, describe, seed_demo
from app.queries.rates import store_rate
from support import rate_in


def test_adding_a_rate_writes_its_first_revision_and_an_audit_event(session: Session) -> None:
    rate = queries.add_rate(session, rate_in(), changed_by="reviewer", reason="from the article")
    assert rate.usd_per_unit == Decimal("0.0077")
    assert rate.source.url == "https://example.org/kes-rate"
    revisions = queries.rate_revisions(session, rate.id)
    assert [(r.number, r.previous_state, r.changed_by) for r in revisions] == [
        (1, None, "reviewer")
    ]
    assert revisions[0].new_state["usd_per_unit"] == "0.0077"
    events = queries.audit_events_for(session, object_type="exchange_rate", object_id=rate.id)
    assert [event.action for event in events] == ["add"]
    assert queries.exchange_rates(session)[-1].currency == "KES"


def test_a_month_is_kept_as_a_month(session: Session) -> None:
    rate = queries.add_rate(session, rate_in(as_of="2024-05"), changed_by="seed", reason="r")
    assert queries.rate_as_of(rate).iso() == "2024-05"
    assert rate.as_of.isoformat() == "2024-05-01"


def test_an_edit_writes_a_revision_with_before_and_after(session: Session) -> None:
    rate = queries.add_rate(session, rate_in(), changed_by="reviewer", reason="first")
    changed = queries.edit_rate(
        session,
        rate=rate,
        rate_in=rate_in(usd_per_unit="0.0078"),
        moderator="reviewer",
        reason="typo",
    )
    assert changed
    last = queries.rate_revisions(session, rate.id)[-1]
    assert last.number == 2
    assert (last.previous_state or {})["usd_per_unit"] == "0.0077"
    assert last.new_state["usd_per_unit"] == "0.0078"
    events = queries.audit_events_for(session, object_type="exchange_rate", object_id=rate.id)
    assert [(event.action, event.reason) for event in events] == [
        ("add", "first"),
        ("edit", "typo"),
    ]


def test_an_edit_that_changes_nothing_writes_nothing(session: Session) -> None:
    rate = queries.add_rate(session, rate_in(), changed_by="reviewer", reason="first")
    assert not queries.edit_rate(
        session, rate=rate, rate_in=rate_in(), moderator="reviewer", reason="same"
    )
    assert len(queries.rate_revisions(session, rate.id)) == 1


def test_an_edit_needs_a_reason(session: Session) -> None:
    rate = queries.add_rate(session, rate_in(), changed_by="reviewer", reason="first")
    with pytest.raises(ValueError, match="reason"):
        queries.edit_rate(
            session, rate=rate, rate_in=rate_in(quote="other"), moderator="reviewer", reason=" "
        )


def test_a_source_stated_otherwise_than_its_record_is_refused(session: Session) -> None:
    queries.add_rate(session, rate_in(), changed_by="reviewer", reason="first")
    with pytest.raises(queries.RateProblem) as refused:
        queries.add_rate(
            session,
            rate_in(as_of="2025-04-01", source_publisher="Another Post"),
            changed_by="reviewer",
            reason="second",
        )
    assert refused.value.field == "source_publisher"
    assert "/review/sources/" in refused.value.message


def test_a_second_rate_of_the_same_currency_date_and_source_is_refused(session: Session) -> None:
    first = queries.add_rate(session, rate_in(), changed_by="reviewer", reason="first")
    with pytest.raises(queries.RateProblem, match=f"rate #{first.id}"):
        queries.add_rate(session, rate_in(usd_per_unit="0.1"), changed_by="r", reason="again")


def test_the_dataset_version_changes_when_a_rate_is_added_or_edited(session: Session) -> None:
    before = queries.current_dataset_version(session)
    rate = queries.add_rate(session, rate_in(), changed_by="reviewer", reason="first")
    added = queries.current_dataset_version(session)
    assert added != before
    queries.edit_rate(
        session, rate=rate, rate_in=rate_in(quote="new words"), moderator="r", reason="fix"
    )
    assert queries.current_dataset_version(session) not in (before, added)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"currency": "USD"}, "currency", "must not be USD"),
        ({"currency": "XYZ"}, "currency", "ISO 4217"),
        ({"usd_per_unit": "0"}, "usd_per_unit", "more than 0"),
        ({"usd_per_unit": "٠.٠١٣"}, "usd_per_unit", "ASCII digits"),
        ({"usd_per_unit": "1.3e-2"}, "usd_per_unit", "digits"),
        ({"as_of": "2024"}, "as_of", "a month at least"),
        ({"as_of": ""}, "as_of", "required"),
        ({"quote": " "}, "quote", "required"),
        ({"source_url": "ftp://example.org"}, "source_url", "http"),
    ],
)
def test_rate_input_refusals(changes: dict[str, str], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        rate_in(**changes)
    assert message in field_errors(error.value)[field]


def _research_rows() -> dict[str, dict[str, str]]:
    path = SEEDS_DIR / "research" / "research_figures_2.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def test_the_seeds_hold_the_rates_research_rows_quote(session: Session) -> None:
    stored = {listing.rate.external_ref: listing for listing in queries.list_rates(session)}
    assert set(stored) == {"RAS041", "RCA074"}
    rupee, rouble = stored["RAS041"], stored["RCA074"]
    assert (rupee.rate.currency, rupee.rate.usd_per_unit) == ("LKR", Decimal("0.003292"))
    assert queries.rate_as_of(rupee.rate).iso() == "2024-05"
    assert "(3292 و 4938 دولارا)" in rupee.rate.quote
    assert rupee.source.url == "https://akhbaar-mesr.com/?p=90706"
    assert (rouble.rate.currency, rouble.rate.usd_per_unit) == ("RUB", Decimal("0.013"))
    assert queries.rate_as_of(rouble.rate).iso() == "2026-02-03"
    assert "₽2 million ($26,000)" in rouble.rate.quote
    assert rouble.source.publisher == "OC Media"
    for listing in (rupee, rouble):
        assert listing.last_change.changed_by == "seed"
    research = _research_rows()
    for reference, listing in stored.items():
        assert listing.rate.quote == research[reference]["quote"]
        assert listing.source.url == research[reference]["url"]


def test_seeding_again_stores_no_rate_twice(session: Session) -> None:
    before = session.scalar(select(func.count()).select_from(ExchangeRateRevision))
    report = seed_demo(session)
    assert report.rates.added == [] and report.rates.refused == []
    assert sorted(report.rates.unchanged) == ["RAS041", "RCA074"]
    assert session.scalar(select(func.count()).select_from(ExchangeRateRevision)) == before
    assert "exchange rates: 0 added, 2 already stored, 0 rows refused" in describe(report)


def test_a_weak_currency_keeps_twelve_decimal_places(session: Session) -> None:
    rate = queries.add_rate(
        session,
        rate_in(currency="UZS", usd_per_unit="0.0000786667", as_of="2025-06-01"),
        changed_by="reviewer",
        reason="r",
    )
    session.expire_all()
    assert rate.usd_per_unit == Decimal("0.0000786667")
    with pytest.raises(ValidationError, match="at most 12 digits"):
        rate_in(usd_per_unit="0.0000000000001")


def test_a_rate_stored_at_the_same_moment_is_refused_not_an_error(session: Session) -> None:
    first = queries.add_rate(session, rate_in(), changed_by="reviewer", reason="first")
    twin = ExchangeRate(
        currency=first.currency,
        usd_per_unit=Decimal("0.5"),
        as_of=first.as_of,
        source_id=first.source_id,
    )
    with pytest.raises(queries.RateProblem, match="at the same moment"):
        store_rate(session, twin)
    stored = [listing.rate for listing in queries.list_rates(session)]
    assert [rate.usd_per_unit for rate in stored if rate.currency == "KES"] == [Decimal("0.0077")]
    assert queries.rate_revisions(session, first.id)[-1].number == 1
