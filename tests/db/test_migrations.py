"""The migrations are the schema: they match the models, and go down and up again cleanly."""

from __future__ import annotations

import json
import os

from alembic import command
from sqlalchemy import inspect, text

from app.db import make_engine
from app.migrate import alembic_config, downgrade, upgrade

TABLES = {
    "areas",
    "metrics",
    "claimant_kinds",
    "sources",
    "source_revisions",
    "figures",
    "area_metric_charts",
    "area_metric_summaries",
    "figure_revisions",
    "revision_redactions",
    "exchange_rates",
    "exchange_rate_revisions",
    "timeline_events",
    "moderators",
    "login_sessions",
    "submissions",
    "audit_events",
    "rate_limit_windows",
}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_models_and_migrations_agree(database_url: str) -> None:
    command.check(alembic_config(database_url))


def test_upgrade_downgrade_upgrade(empty_database: str) -> None:
    upgrade(empty_database)
    assert _tables(empty_database) == TABLES
    downgrade(empty_database)
    assert _tables(empty_database) == set()
    upgrade(empty_database)
    assert _tables(empty_database) == TABLES


def test_rates_stored_before_get_a_first_revision(empty_database: str) -> None:
    upgrade(empty_database, "0004")
    engine = make_engine(empty_database)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO sources (id, url, publisher, title, kind, text_damaged, accepted)"
                    " VALUES (1, 'https://example.org/rate', 'Example', '', 'unknown', false, true)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO exchange_rates (id, currency, usd_per_unit, as_of, source_id)"
                    " VALUES (7, 'RUB', '0.011', '2024-03-01', 1)"
                )
            )
        upgrade(empty_database)
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT rate_id, number, previous_state, new_state FROM exchange_rate_revisions"
                )
            ).all()
            quote, precision = connection.execute(
                text("SELECT quote, as_of_precision FROM exchange_rates")
            ).one()
    finally:
        engine.dispose()
    assert (quote, precision) == ("", "day")
    assert len(rows) == 1
    rate_id, number, previous, new = rows[0]
    previous, new = (json.loads(v) if isinstance(v, str) else v for v in (previous, new))
    assert (rate_id, number, previous) == (7, 1, None)
    assert new["usd_per_unit"] == "0.011"
    assert new["as_of"] == "2024-03-01"
    assert new["source_url"] == "https://example.org/rate"


def test_the_database_under_test_is_the_one_asked_for(database_url: str) -> None:
    """CI reads this test's result to prove the PostgreSQL run really used PostgreSQL."""
    wanted = os.environ.get("TEST_DATABASE_URL", "")
    expected = "postgresql" if wanted.startswith("postgresql") else "sqlite"
    engine = make_engine(database_url)
    try:
        assert engine.dialect.name == expected
    finally:
        engine.dispose()
