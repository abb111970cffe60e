"""A synthetic dataset for load tests: N valid figures over about 200 countries, deterministic by seed.

Every figure satisfies the domain's invariants and the database's constraints (bounds shapes,
a quote, partial dates with their precisions) and has its creation revision (number 1); some
were edited or retracted later (a second revision), some came through the public form and are
still pending, were approved or were rejected (with their submissions). Rows are written with
bulk inserts in batches, so a million figures take minutes, not hours.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any, cast

from sqlalchemy import Engine, Table, func, insert, select, text
from sqlalchemy.orm import Session

from app.db import transaction
from app.domain.vocabulary import CLAIMANT_KINDS, METRICS
from app.models import Figure, FigureRevision, Source, Submission
from app.operations import synthetic_rows
from app.queries.vocabulary import sync_vocabulary

REFERENCE_PREFIX = "SYN"
BATCH_ROWS = 5_000
MINUTES_APART = 3


@dataclass(frozen=True)
class SyntheticReport:
    """What the generator stored."""

    figures: int
    revisions: int
    sources: int
    submissions: int
    by_status: dict[str, int]


def _batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def already_generated(session: Session) -> int:
    """Return how many synthetic figures the database holds."""
    query = select(func.count()).where(Figure.external_ref.like(f"{REFERENCE_PREFIX}-%"))
    return int(session.scalar(query.select_from(Figure)) or 0)


def generate(
    engine: Engine,
    figure_count: int,
    *,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> SyntheticReport:
    """Store figure_count synthetic figures with sources, revisions and submissions; return counts."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    with transaction(engine) as session:
        sync_vocabulary(session)
        start = {
            "figures": int(session.scalar(select(func.max(Figure.id))) or 0),
            "revisions": int(session.scalar(select(func.max(FigureRevision.id))) or 0),
            "sources": int(session.scalar(select(func.max(Source.id))) or 0),
            "submissions": int(session.scalar(select(func.max(Submission.id))) or 0),
        }
    areas = synthetic_rows.area_codes(rng)
    area_weights = list(
        accumulate(3.0 if code in synthetic_rows.FOCUS_COUNTRIES else 1.0 for code in areas)
    )
    names = synthetic_rows.area_names()
    unit_kinds = {metric.slug: metric.unit_kind for metric in METRICS}
    metric_slugs = [metric.slug for metric in METRICS]
    metric_weights = list(
        accumulate(synthetic_rows.METRIC_WEIGHTS.get(slug, 1) for slug in metric_slugs)
    )
    kinds = [definition.kind.value for definition in CLAIMANT_KINDS]
    kind_weights = list(accumulate(synthetic_rows.KIND_WEIGHTS.get(kind, 1) for kind in kinds))
    source_count = max(figure_count // 20, 1)
    sources = synthetic_rows.source_rows(rng, start["sources"], source_count)
    counts = {"pending": 0, "published": 0, "rejected": 0, "retracted": 0}
    revision_id = start["revisions"]
    submission_id = start["submissions"]
    figures: list[dict[str, Any]] = []
    revisions: list[dict[str, Any]] = []
    submissions: list[dict[str, Any]] = []

    def flush(session: Session) -> None:
        connection = session.connection()
        for table, rows in (
            (_table(Figure), figures),
            (_table(FigureRevision), revisions),
            (_table(Submission), submissions),
        ):
            if rows:
                connection.execute(insert(table), rows)
        figures.clear()
        revisions.clear()
        submissions.clear()

    with transaction(engine) as session:
        for batch in _batches(iter(sources), BATCH_ROWS):
            session.connection().execute(insert(_table(Source)), batch)
        first_time = datetime(2024, 1, 1, tzinfo=UTC)
        for number in range(1, figure_count + 1):
            figure_id = start["figures"] + number
            moment = first_time + timedelta(minutes=MINUTES_APART * number)
            area = rng.choices(areas, cum_weights=area_weights)[0]
            slug = rng.choices(metric_slugs, cum_weights=metric_weights)[0]
            kind = rng.choices(kinds, cum_weights=kind_weights)[0]
            source = sources[rng.randrange(len(sources))]
            central, unit, currency = synthetic_rows.value_of(rng, unit_kinds[slug], slug)
            low, high, bound = synthetic_rows.bounds_of(rng, central)
            qualifier = rng.choice(synthetic_rows.QUALIFIERS[bound])
            row = synthetic_rows.figure_row(
                rng, figure_id, area, slug, low, high, bound, qualifier, unit
            )
            row.update(
                currency=currency,
                claimant=synthetic_rows.claimant(kind, names[area], source["publisher"], rng),
                claimant_kind=kind,
                source_id=source["id"],
                quote=synthetic_rows.quote(low, high, qualifier, unit, names[area]),
                external_ref=f"{REFERENCE_PREFIX}-{seed}-{number}",
            )
            status, history, submitted = synthetic_rows.history(rng)
            if any(reason.startswith("corrected") for _, reason, _ in history):
                row["notes"] = synthetic_rows.CORRECTION
            row.update(status=status, created_at=moment, updated_at=moment)
            figures.append(row)
            counts[status] += 1
            previous: dict[str, Any] | None = None
            for step, (state_status, reason, by) in enumerate(history, start=1):
                revision_id += 1
                changed = moment + timedelta(minutes=step - 1)
                state = synthetic_rows.revision_state(row, state_status, moment)
                if step < len(history) and history[step][1].startswith("corrected"):
                    state["notes"] = ""
                revisions.append(
                    {
                        "id": revision_id,
                        "figure_id": figure_id,
                        "number": step,
                        "changed_at": changed,
                        "changed_by": by,
                        "reason": reason,
                        "previous_state": previous,
                        "new_state": state,
                    }
                )
                previous = state
            if submitted:
                submission_id += 1
                submissions.append(
                    synthetic_rows.submission_row(submission_id, figure_id, row, status, moment)
                )
            if len(figures) >= BATCH_ROWS:
                flush(session)
                if progress:
                    progress(number, figure_count)
        flush(session)
        if progress:
            progress(figure_count, figure_count)
        _advance_sequences(session)
    return SyntheticReport(
        figures=figure_count,
        revisions=revision_id - start["revisions"],
        sources=source_count,
        submissions=submission_id - start["submissions"],
        by_status=counts,
    )


def _advance_sequences(session: Session) -> None:
    """Refresh the planner's statistics; move PostgreSQL's id sequences past the ids written here."""
    session.execute(text("ANALYZE"))
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("figures", "figure_revisions", "sources", "submissions"):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                f" (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def seed_synthetic(engine: Engine, figure_count: int, *, seed: int) -> int:
    """Run the generator from the command line with progress on stderr; return the exit status."""
    if figure_count < 1:
        print("--synthetic needs a positive number of figures", file=sys.stderr)
        return 2
    with Session(engine) as session:
        stored = already_generated(session)
    if stored:
        print(f"{stored:,} synthetic figures already stored: nothing added")
        return 0
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        rate = done / max(time.perf_counter() - started, 1e-9)
        print(f"\r{done:,} of {total:,} figures ({rate:,.0f}/s)", end="", file=sys.stderr)

    report = generate(engine, figure_count, seed=seed, progress=progress)
    print(file=sys.stderr)
    statuses = ", ".join(f"{count:,} {status}" for status, count in report.by_status.items())
    print(
        f"synthetic data: {report.figures:,} figures ({statuses}), {report.revisions:,} revisions,"
        f" {report.sources:,} sources, {report.submissions:,} submissions"
        f" in {time.perf_counter() - started:.1f} s"
    )
    return 0
