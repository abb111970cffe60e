"""The second research file (seeds/figures_2.csv): its metrics and regions, what the seeder loads
and refuses, its claimants, and the pages it fills (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import queries
from app.db import make_engine, transaction
from app.domain.vocabulary import METRIC_UNITS, MONEY_METRICS
from app.migrate import upgrade
from app.models import Area, Figure, Metric
from app.operations.seeding import SEEDS_DIR, describe, seed_demo

SECOND_FILE = "figures_2.csv"
RESEARCH_FILE = SEEDS_DIR / "research" / "research_figures_2.csv"
REFUSED = {
    "RAS042": ("metric", "'enlisted_both_sides' is not one of the metrics", "both sides"),
    "RCA008": ("unit", "'per month (implied)' is not a unit of pay_monthly", "not stated"),
}


def second_file_rows() -> list[dict[str, str]]:
    with (SEEDS_DIR / SECOND_FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("slug", "group", "unit_kind", "units"),
    [
        ("serving", "people", "count", ("persons",)),
        ("deployment_planned", "people", "count", ("persons",)),
        ("deployment_forecast", "people", "count", ("persons",)),
        ("returned", "people", "count", ("persons",)),
        ("wounded", "losses", "count", ("persons",)),
        ("recruitment_suspects", "legal", "count", ("persons",)),
        ("recruitment_convictions", "legal", "count", ("persons",)),
        ("factory_pay_monthly", "pay", "money", ("per month",)),
        ("families_seeking_help", "context", "count", ("families", "requests")),
    ],
)
def test_new_metrics_are_stored_with_their_units(
    session: Session, slug: str, group: str, unit_kind: str, units: tuple[str, ...]
) -> None:
    metric = session.get(Metric, slug)
    assert metric is not None
    assert (metric.group, metric.unit_kind) == (group, unit_kind)
    assert metric.label and metric.definition
    assert METRIC_UNITS[slug] == units
    assert (slug in MONEY_METRICS) == (unit_kind == "money")


def test_former_soviet_region_exists_and_every_area_used_is_stored(session: Session) -> None:
    region = session.get(Area, "former-soviet")
    assert region is not None and region.kind == "region"
    assert region.name == "Former Soviet republics"
    used = {row["area"] for row in second_file_rows()}
    stored = set(session.scalars(select(Area.code).where(Area.code.in_(used))))
    assert used == stored
    assert {"africa", "central-asia", "former-soviet", "world", "LAO", "GMB", "PRK"} <= used


def test_second_file_keeps_the_research_values_quotes_and_urls() -> None:
    with RESEARCH_FILE.open(encoding="utf-8", newline="") as handle:
        research = {row["id"]: row for row in csv.DictReader(handle)}
    rows = second_file_rows()
    assert [row["external_ref"] for row in rows] == list(research)
    for row in rows:
        original = research[row["external_ref"]]
        columns = ("low", "high", "qualifier", "currency", "quote")
        assert [row[name] for name in columns] == [original[name] for name in columns]
        assert row["source_url"] == original["url"]


def test_second_file_keeps_every_row_under_its_id(session: Session) -> None:
    rows = second_file_rows()
    assert len(rows) == 199
    assert len({row["external_ref"] for row in rows}) == 199
    for row in rows:
        if row["external_ref"] in REFUSED:
            assert queries.figure_by_external_ref(session, row["external_ref"]) is None
            continue
        figure = queries.figure_by_external_ref(session, row["external_ref"])
        assert figure is not None, row["external_ref"]
        assert figure.quote == row["quote"] and figure.source.url == row["source_url"]
        assert figure.low == (Decimal(row["low"]) if row["low"] else None)
        assert figure.high == (Decimal(row["high"]) if row["high"] else None)
        assert figure.status == "published"


def test_seed_report_lists_loaded_and_refused_rows_of_each_file(empty_database: str) -> None:
    upgrade(empty_database)
    engine = make_engine(empty_database)
    with transaction(engine) as fresh:
        report = seed_demo(fresh)
    engine.dispose()
    assert list(report.files) == ["figures.csv", SECOND_FILE]
    second = report.files[SECOND_FILE]
    loaded = {row["external_ref"] for row in second_file_rows()} - set(REFUSED)
    assert set(second.added) == loaded and len(second.added) == 197
    refused = {row.reference: row for row in second.refused}
    assert set(refused) == set(REFUSED)
    for reference, (column, reason, why) in REFUSED.items():
        assert refused[reference].column == column
        assert reason in refused[reference].reason
        assert why in report.refusal_reasons[reference]
    assert second.restated == [] and report.files["figures.csv"].restated == []
    lines = "\n".join(describe(report))
    assert "seeds/figures.csv: 58 figures added, 0 already stored, 2 rows refused" in lines
    assert f"seeds/{SECOND_FILE}: 197 figures added, 0 already stored, 2 rows refused" in lines
    assert "refused row 35 (RAS042), column metric:" in lines
    assert "(why: counts Sri Lankans who enlisted on either side" in lines
    assert "restates" not in lines


def test_seeding_again_leaves_the_second_file_unchanged(session: Session) -> None:
    report = seed_demo(session)
    second = report.files[SECOND_FILE]
    assert second.added == [] and len(second.unchanged) == 197
    assert {row.reference for row in second.refused} == set(REFUSED)


def test_repeats_links_and_updates(session: Session) -> None:
    """No row of the second file restates a stored claim (seeds/README.md explains each equal
    number); the first file's links hold; Sybiha's February 2026 figure updates his own E45."""
    assert {row["repeats"] for row in second_file_rows()} == {""}
    a12 = queries.figure_by_external_ref(session, "A12")
    e29a = queries.figure_by_external_ref(session, "E29a")
    assert a12 is not None and e29a is not None and a12.repeats_id == e29a.id
    update = queries.figure_by_external_ref(session, "RAF001")
    earlier = queries.figure_by_external_ref(session, "E45")
    assert update is not None and earlier is not None
    assert (update.area_code, update.metric_slug) == (earlier.area_code, earlier.metric_slug)
    assert (update.claimant, update.claimant_kind) == (earlier.claimant, earlier.claimant_kind)
    assert update.repeats_id is None


def test_civilian_pay_and_plans_stay_apart_from_soldiers(session: Session) -> None:
    alabuga = queries.published_records(session, area_code="africa", metric_slug="pay_monthly")
    assert {"RAF023", "RAF024"}.isdisjoint(record.external_ref for record in alabuga)
    planned = queries.published_records(session, area_code="PRK", metric_slug="deployed")
    assert {"RAS054", "RAS066", "RAS068"}.isdisjoint(record.external_ref for record in planned)


def test_no_note_names_a_recruit_the_research_named(session: Session) -> None:
    names = ("Pitam Karki", "Sandip Thapaliya", "Martin Mburu", "Benjamin Oloko", "Rui Zhao")
    rows = second_file_rows()
    for row in rows:
        assert not any(name in row["notes"] or name in row["claimant"] for name in names)
    stored = session.scalars(select(Figure.claimant).where(Figure.external_ref.like("RA%")))
    assert not any(name in claimant for claimant in stored for name in names)


@pytest.mark.parametrize(
    ("code", "metric", "kinds"),
    [
        ("KEN", "killed", {"independent", "official_ukraine"}),
        ("PRK", "casualties", {"official_third", "official_ukraine"}),
        ("LKA", "pay_monthly", {"official_origin", "testimony"}),
    ],
)
def test_country_pages_show_several_claimants(
    client: TestClient, code: str, metric: str, kinds: set[str]
) -> None:
    response = client.get(f"/countries/{code}")
    assert response.status_code == 200
    assert response.template.name == "area.html"  # type: ignore[attr-defined]
    sections = {s["group"].metric_slug: s for s in response.context["sections"]}  # type: ignore[attr-defined]
    records = [record for s in sections.values() for record in s["group"].records]
    claimants = {record.claimant for record in records}
    assert len(claimants) >= 5
    assert len({record.claimant_kind for record in records}) >= 2
    section_kinds = {record.claimant_kind for record in sections[metric]["group"].records}
    assert kinds <= section_kinds
    for record in records:
        assert f'data-figure-id="{record.id}"' in response.text
