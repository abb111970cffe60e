"""Running the Alembic migrations from code (the CLI and the tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from app.db import make_engine, transaction
from app.queries.summaries import rebuild_summaries, summaries_need_rebuilding
from app.settings import PROJECT_ROOT


def alembic_config(database_url: str) -> Config:
    """Return the project's Alembic configuration aimed at this database."""
    config = Config(toml_file=str(PROJECT_ROOT / "pyproject.toml"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database up to the revision; at the latest one, bring the kept summaries up
    to date when they are missing or of another format (app/queries/summaries.py)."""
    command.upgrade(alembic_config(database_url), revision)
    if revision == "head":
        engine = make_engine(database_url)
        try:
            with transaction(engine) as session:
                if summaries_need_rebuilding(session):
                    rebuild_summaries(session)
        finally:
            engine.dispose()


def downgrade(database_url: str, revision: str = "base") -> None:
    """Migrate the database down to the revision."""
    command.downgrade(alembic_config(database_url), revision)
