"""Reads and writes on the real database (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import queries
from app.db import make_engine, transaction
from app.domain.figures import Bound, ClaimantKind, FigureStatus
from app.figure_input import FigureIn
from app.migrate import upgrade
from app.models import Figure, FigureRevision, Source, TimelineEvent
from app.operations.seeding import SEEDS_DIR, describe, seed_demo
from support import NEPAL_ENLISTED


def research_rows() -> list[dict[str, str]]:
    with (SEEDS_DIR / "figures.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_demo_data_loads_every_row_or_reports_it(session: Session) -> None:
    rows = research_rows()
    assert len(rows) == 60
    stored = set(session.scalars(select(Figure.external_ref)))
    assert len(stored) == 255  # 58 of figures.csv and 197 of figures_2.csv
    assert {row["external_ref"] for row in rows} - stored == {"A01", "A08"}


def test_seeding_again_changes_nothing_and_reports_the_refused_rows(session: Session) -> None:
    before = session.scalar(select(func.count()).select_from(FigureRevision))
    report = seed_demo(session)
    assert report.figures.added == []
    assert len(report.figures.unchanged) == 255
    assert report.events_unchanged == ["A08"]
    refused = {row.reference: row for row in report.figures.refused}
    assert set(refused) == {"A01", "A08", "RAS042", "RCA008"}
    assert "give a number" in refused["A01"].reason
    assert session.scalar(select(func.count()).select_from(FigureRevision)) == before
    lines = "\n".join(describe(report))
    assert "refused row 2 (A01), column low: give a number" in lines
    assert "kept as a timeline event" in lines


def test_seeded_figures_keep_reference_source_claimant_and_quote(session: Session) -> None:
    for row in research_rows():
        if row["external_ref"] in ("A01", "A08"):
            continue
        figure = queries.figure_by_external_ref(session, row["external_ref"])
        assert figure is not None
        assert figure.quote == row["quote"]
        assert figure.claimant == row["claimant"]
        assert figure.claimant_kind == row["claimant_kind"]
        assert figure.source.url == row["source_url"]
        assert figure.status == "published"
        assert figure.low == (Decimal(row["low"]) if row["low"] else None)
        assert figure.high == (Decimal(row["high"]) if row["high"] else None)
        repeated = (
            queries.figure_by_external_ref(session, row["repeats"]) if row["repeats"] else None
        )
        assert figure.repeats_id == (repeated.id if repeated else None)


def test_the_seeds_link_the_reprints_to_what_they_repeat_and_restate_nothing_else(
    session: Session, empty_database: str
) -> None:
    """Kazakhstan's 709 cases (A12, from the damaged reprint) repeat E29a; the article's
    'up to 20,000' Cubans (A13) is its own rendering of HUR's 'at least 20,000' (E20a)."""
    links = {row["external_ref"]: row["repeats"] for row in research_rows() if row["repeats"]}
    assert links == {"A12": "E29a", "A13": "E20a"}
    cuba = queries.figure_by_external_ref(session, "A13")
    assert cuba is not None and cuba.claimant_kind == "media" and cuba.bound == "at_most"
    upgrade(empty_database)
    engine = make_engine(empty_database)
    with transaction(engine) as fresh:
        report = seed_demo(fresh)
    engine.dispose()
    assert len(report.figures.added) == 255
    assert report.figures.restated == []


def test_nepal_work_permit_halt_is_on_the_timeline(session: Session) -> None:
    events = queries.timeline_for(session, "NPL")
    assert [event.external_ref for event in events] == ["A08"]
    assert events[0].happened_on.isoformat() == "2024-01-05"


def test_every_seeded_figure_has_a_creation_revision(session: Session) -> None:
    figures = session.scalar(select(func.count()).select_from(Figure))
    first = session.scalar(
        select(func.count()).select_from(FigureRevision).where(FigureRevision.number == 1)
    )
    assert figures == first == 255


def test_published_records_filter_by_area_and_metric(session: Session) -> None:
    records = queries.published_records(session, area_code="NPL", metric_slug="enlisted")
    assert {record.external_ref for record in records} == NEPAL_ENLISTED
    assert all(record.area_name == "Nepal" for record in records)


def _figure_in(**changes: object) -> FigureIn:
    values: dict[str, object] = {
        "area": "NPL",
        "metric": "killed",
        "low": "12.5",
        "high": "12.5",
        "bound": "exact",
        "unit": "persons",
        "claimant": "Test claimant",
        "claimant_kind": "media",
        "quote": "a quote",
        "source_url": "https://example.org/report",
        "source_publisher": "Example",
        "source_published": "2025-03",
    }
    values.update(changes)
    return FigureIn.model_validate(values)


def test_decimals_round_trip_exactly(session: Session) -> None:
    figure = queries.add_figure(
        session,
        _figure_in(low="123456789.123456", high="123456789.123456"),
        status=FigureStatus.PENDING,
        changed_by="test",
        reason="test",
    )
    session.expire_all()
    stored = session.get(Figure, figure.id)
    assert stored is not None and stored.low == Decimal("123456789.123456")


def test_pending_figures_are_not_public(session: Session) -> None:
    figure = queries.add_figure(
        session, _figure_in(), status=FigureStatus.PENDING, changed_by="test", reason="test"
    )
    assert queries.public_record(session, figure.id) is None
    assert figure.id not in {record.id for record in queries.published_records(session)}


def test_a_source_record_is_stored_once_per_url(session: Session) -> None:
    first = queries.add_figure(
        session, _figure_in(), status=FigureStatus.PUBLISHED, changed_by="t", reason="t"
    )
    second = queries.add_figure(
        session,
        _figure_in(low="3", high="3", source_publisher="Someone else"),
        status=FigureStatus.PUBLISHED,
        changed_by="t",
        reason="t",
    )
    assert first.source_id == second.source_id
    assert second.source.publisher == "Example"
    count = session.scalar(
        select(func.count()).select_from(Source).where(Source.url == "https://example.org/report")
    )
    assert count == 1


def test_pending_figures_each_cite_their_own_claim(session: Session) -> None:
    first = queries.add_figure(
        session, _figure_in(), status=FigureStatus.PENDING, changed_by="t", reason="t"
    )
    second = queries.add_figure(
        session,
        _figure_in(low="3", high="3", source_publisher="Someone else"),
        status=FigureStatus.PENDING,
        changed_by="t",
        reason="t",
    )
    assert first.source_id != second.source_id
    assert not first.source.accepted and not second.source.accepted
    assert (first.source.publisher, second.source.publisher) == ("Example", "Someone else")
    assert queries.accepted_source(session, "https://example.org/report") is None


@pytest.mark.parametrize(
    ("low", "high", "bound"),
    [
        (Decimal(5), Decimal(4), Bound.RANGE),
        (Decimal(5), Decimal(6), Bound.EXACT),
        (Decimal(5), None, Bound.AT_MOST),
        (None, Decimal(5), Bound.AT_LEAST),
        (None, None, Bound.EXACT),
        (Decimal(-1), Decimal(-1), Bound.EXACT),
    ],
)
def test_the_database_refuses_broken_bounds(
    session: Session, low: Decimal | None, high: Decimal | None, bound: Bound
) -> None:
    source = session.scalars(select(Source)).first()
    assert source is not None
    figure = Figure(
        area_code="NPL",
        metric_slug="killed",
        low=low,
        high=high,
        bound=bound.value,
        unit="persons",
        claimant="x",
        claimant_kind=ClaimantKind.MEDIA.value,
        source_id=source.id,
        quote="q",
        status="published",
    )
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(figure)
        session.flush()


def test_the_database_refuses_an_empty_quote(session: Session) -> None:
    figure = queries.add_figure(
        session, _figure_in(), status=FigureStatus.PENDING, changed_by="t", reason="t"
    )
    with pytest.raises(IntegrityError), session.begin_nested():
        figure.quote = ""
        session.flush()


def test_sources_count_their_published_figures(session: Session) -> None:
    counts = {source.url: count for source, count in queries.public_sources(session)}
    assert counts["https://www.pravda.com.ua/eng/news/2025/11/19/8008018"] == 2
    assert sum(counts.values()) == 255


def test_sources_cited_only_by_pending_figures_are_not_public(session: Session) -> None:
    figure = queries.add_figure(
        session,
        _figure_in(source_url="https://spam.example/unreviewed"),
        status=FigureStatus.PENDING,
        changed_by="t",
        reason="t",
    )
    assert figure.source_id not in {source.id for source, _ in queries.public_sources(session)}
    assert queries.public_source(session, figure.source_id) is None
    queries.set_figure_status(
        session, figure=figure, status=FigureStatus.PUBLISHED, changed_by="t", reason="t"
    )
    assert queries.public_source(session, figure.source_id) is not None


def test_timeline_event_sources_are_stored(session: Session) -> None:
    event = session.scalars(select(TimelineEvent)).one()
    assert event.source.url.startswith("https://www.newsdirectory3.com/")
