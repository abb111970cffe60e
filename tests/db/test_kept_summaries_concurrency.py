"""Moderators changing figures of one group at the same moment leave its kept summary equal to
a recomputation from every figure: each refresh waits for the others' commits (PostgreSQL row
lock on the summary) before reading the group's figures; SQLite runs writers one at a time."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, select

from app import queries
from app.db import make_engine, transaction
from app.domain.figures import FigureStatus
from app.domain.moderation import ModerationAction
from app.models import Figure
from support import assert_kept_summaries_are_recomputed_ones, figure_input, seed_with_moderator

MODERATORS = 6
ROUNDS = 4


def test_concurrent_retractions_and_reinstatements_keep_the_summary_current(
    empty_database: str,
) -> None:
    seed_with_moderator(empty_database)
    engine = make_engine(empty_database)
    try:
        with transaction(engine) as session:
            for number in range(MODERATORS):
                fields = {"low": str(100 + number * 37), "high": str(100 + number * 37)}
                fields |= {"claimant": f"Voice {number}", "as_of": "2025-06"}
                queries.add_figure(
                    session,
                    figure_input(**fields),
                    status=FigureStatus.PUBLISHED,
                    changed_by="test",
                    reason="test",
                )
            query = select(Figure.id).where(
                Figure.area_code == "NPL",
                Figure.metric_slug == "killed",
                Figure.status == FigureStatus.PUBLISHED.value,
            )
            figure_ids = list(session.scalars(query.order_by(Figure.id.desc())))[:MODERATORS]
        for round_number in range(ROUNDS):
            action = (
                ModerationAction.RETRACT if round_number % 2 == 0 else ModerationAction.REINSTATE
            )
            errors = _all_at_once(engine, figure_ids, action)
            assert not errors, errors
            with transaction(engine) as session:
                assert_kept_summaries_are_recomputed_ones(session)
    finally:
        engine.dispose()


def _all_at_once(
    engine: Engine, figure_ids: list[int], action: ModerationAction
) -> list[BaseException]:
    """Let one moderator per figure act on it at the same moment, each in its own transaction;
    return what went wrong."""
    barrier = threading.Barrier(len(figure_ids))
    errors: list[BaseException] = []

    def moderate(figure_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            with transaction(engine) as session:
                figure = queries.figure_for_update(session, figure_id)
                assert figure is not None
                queries.change_figure(
                    session, figure=figure, action=action, moderator="m", reason="race"
                )
        except BaseException as error:  # reported in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=moderate, args=(i,)) for i in figure_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors
