"""The kept summaries (app/queries/summaries.py) are always those a full recomputation from every
published figure gives: after any sequence of publications, edits, retractions, reinstatements
and bulk loads, after an import, and after migrating a database that had none."""

from __future__ import annotations

import csv
import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlalchemy.orm import Session

from app import queries
from app.db import make_engine, transaction
from app.domain.figures import FigureStatus
from app.domain.moderation import ModerationAction
from app.domain.summary_text import SUMMARY_FORMAT
from app.migrate import upgrade
from app.models import AreaMetricChart, AreaMetricSummary, Figure
from app.operations.importing import load_figure_rows, parse_csv_text
from support import assert_kept_summaries_are_recomputed_ones, figure_input, seed_with_moderator

AREAS = ["NPL", "IND"]
METRICS = ["killed", "missing"]
# Few claimants (two spell one voice alike), so that voices supersede and repeat each other.
CLAIMANTS = ["Ministry", "ministry.", "Reporter", "Analyst"]
KINDS = ["official_origin", "official_russia", "official_ukraine", "independent", "media"]
DATES = [None, "2024-01-10", "2024-03", "2024", "2024-09-30", "2025-02"]


def _fields(
    area: str,
    metric: str,
    bound: str,
    low: int,
    spread: int,
    as_of: str | None,
    claimant: str,
    kind: str,
) -> dict[str, object]:
    """Return a figure's fields: numbers fitting the bound, a date or none, who claims it."""
    high = {"range": low + 1 + spread, "at_least": None}.get(bound, low)
    return {
        "area": area,
        "metric": metric,
        "bound": bound,
        "low": low,
        "high": high,
        "as_of": as_of,
        "claimant": claimant,
        "claimant_kind": kind,
    }


FIGURE_FIELDS = st.builds(
    _fields,
    st.sampled_from(AREAS),
    st.sampled_from(METRICS),
    st.sampled_from(["exact", "approximate", "range", "at_least"]),
    st.sampled_from([0, 5, 40, 300, 2000]),
    st.integers(min_value=0, max_value=50),
    st.sampled_from(DATES),
    st.sampled_from(CLAIMANTS),
    st.sampled_from(KINDS),
)


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(["published", "pending"]), FIGURE_FIELDS),
        st.tuples(st.just("publish"), st.integers(min_value=0, max_value=30)),
        st.tuples(st.just("retract"), st.integers(min_value=0, max_value=30)),
        st.tuples(st.just("reinstate"), st.integers(min_value=0, max_value=30)),
        st.tuples(st.just("edit"), st.integers(min_value=0, max_value=30), FIGURE_FIELDS),
        st.tuples(st.just("repeat"), st.integers(min_value=0, max_value=30), FIGURE_FIELDS),
        st.tuples(st.just("bulk"), st.lists(FIGURE_FIELDS, min_size=1, max_size=4)),
    ),
    min_size=1,
    max_size=12,
)


def _input(fields: dict[str, Any], repeats: int | None = None) -> Any:
    values = {key: ("" if value is None else str(value)) for key, value in fields.items()}
    return figure_input(**values).model_copy(update={"repeats": repeats})


def _add(
    session: Session, status: FigureStatus, fields: dict[str, Any], repeats: int | None = None
) -> Figure:
    return queries.add_figure(
        session, _input(fields, repeats), status=status, changed_by="test", reason="test"
    )


def _apply(session: Session, operation: tuple[Any, ...], figures: list[Figure]) -> None:
    """Apply one change the way moderation, the form and imports make it."""
    name = operation[0]
    if name == "add":
        figures.append(_add(session, FigureStatus(operation[1]), operation[2]))
        return
    if name == "bulk":
        with queries.summaries_refreshed_once(session):
            for fields in operation[1]:
                figures.append(_add(session, FigureStatus.PUBLISHED, fields))
        return
    if not figures:
        return
    figure = figures[operation[1] % len(figures)]
    if name == "repeat":
        figures.append(_add(session, FigureStatus.PUBLISHED, operation[2], repeats=figure.id))
    elif name == "publish" and figure.status == FigureStatus.PENDING.value:
        queries.set_figure_status(
            session, figure=figure, status=FigureStatus.PUBLISHED, changed_by="t", reason="t"
        )
    elif name in ("retract", "reinstate", "edit"):
        action = ModerationAction(name)
        allowed = {"retract": "published", "reinstate": "retracted", "edit": "published"}
        if figure.status == allowed[name]:
            edited = _input(operation[2], figure.repeats_id) if name == "edit" else None
            queries.change_figure(
                session,
                figure=figure,
                action=action,
                moderator="test",
                reason="a test's change",
                edited=edited,
            )


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(OPERATIONS)
def test_kept_summaries_follow_any_sequence_of_changes(
    session: Session, operations: list[tuple[Any, ...]]
) -> None:
    savepoint = session.begin_nested()
    try:
        figures: list[Figure] = []
        for operation in operations:
            _apply(session, operation, figures)
        assert_kept_summaries_are_recomputed_ones(session)
    finally:
        savepoint.rollback()


def test_the_demo_data_has_kept_summaries_and_they_are_current(session: Session) -> None:
    assert len(queries.kept_summaries(session)) > 20
    assert_kept_summaries_are_recomputed_ones(session)


def test_an_import_refreshes_each_group_it_touched(session: Session) -> None:
    before = queries.kept_summaries(session)
    buffer = io.StringIO()
    columns = ["area", "metric", "low", "high", "bound", "unit", "as_of", "claimant"]
    columns += ["claimant_kind", "quote", "source_url", "source_publisher"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for number, (area, low) in enumerate([("NPL", 3), ("NPL", 90000), ("IND", 12)]):
        writer.writerow(
            {
                "area": area,
                "metric": "missing",
                "low": low,
                "high": low,
                "bound": "exact",
                "unit": "persons",
                "as_of": "2025-10",
                "claimant": f"Importer {number}",
                "claimant_kind": "independent",
                "quote": f"{low} are missing",
                "source_url": "https://example.org/kept-summaries",
                "source_publisher": "Example",
            }
        )
    report = load_figure_rows(
        session,
        parse_csv_text(buffer.getvalue()),
        status=FigureStatus.PUBLISHED,
        changed_by="test",
        reason="test",
    )
    assert len(report.added) == 3
    after = queries.kept_summaries(session)
    assert after[("NPL", "missing")].figure_count == before[("NPL", "missing")].figure_count + 2
    assert_kept_summaries_are_recomputed_ones(session)


def test_migrating_computes_summaries_that_are_missing_or_of_another_format(
    empty_database: str,
) -> None:
    seed_with_moderator(empty_database)
    engine = make_engine(empty_database)
    try:
        with transaction(engine) as session:
            expected = queries.kept_summaries(session)
            session.execute(update(AreaMetricSummary).values(summary_format=SUMMARY_FORMAT - 1))
            session.execute(
                AreaMetricSummary.__table__.delete().where(AreaMetricSummary.area_code == "NPL")
            )
        with transaction(engine) as session:
            assert queries.summaries_need_rebuilding(session)
        upgrade(empty_database)
        with transaction(engine) as session:
            assert not queries.summaries_need_rebuilding(session)
            assert queries.kept_summaries(session) == expected
            assert_kept_summaries_are_recomputed_ones(session)
    finally:
        engine.dispose()


def test_migrating_computes_group_charts_that_are_missing(empty_database: str) -> None:
    seed_with_moderator(empty_database)
    engine = make_engine(empty_database)
    try:
        with transaction(engine) as session:
            expected = queries.kept_group_charts(session, area_code="NPL")
            assert expected
            session.execute(
                AreaMetricChart.__table__.delete().where(AreaMetricChart.metric_slug == "killed")
            )
        with transaction(engine) as session:
            assert queries.summaries_need_rebuilding(session)
        upgrade(empty_database)
        with transaction(engine) as session:
            assert not queries.summaries_need_rebuilding(session)
            assert queries.kept_group_charts(session, area_code="NPL") == expected
            assert_kept_summaries_are_recomputed_ones(session)
    finally:
        engine.dispose()
