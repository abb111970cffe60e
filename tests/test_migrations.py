"""The migrations are the schema: they match the models, and go down and up again cleanly."""

from __future__ import annotations

import os

from alembic import command
from sqlalchemy import inspect

from app.db import make_engine
from app.migrate import alembic_config, downgrade, upgrade

TABLES = {
    "areas",
    "metrics",
    "claimant_kinds",
    "sources",
    "source_revisions",
    "figures",
    "figure_revisions",
    "revision_redactions",
    "exchange_rates",
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


def test_the_database_under_test_is_the_one_asked_for(database_url: str) -> None:
    """CI reads this test's result to prove the PostgreSQL run really used PostgreSQL."""
    wanted = os.environ.get("TEST_DATABASE_URL", "")
    expected = "postgresql" if wanted.startswith("postgresql") else "sqlite"
    engine = make_engine(database_url)
    try:
        assert engine.dialect.name == expected
    finally:
        engine.dispose()
