"""A synthetic dataset for load tests: N valid figures over about 200 countries, deterministic by seed.

Every figure satisfies the domain's invariants and the database's constraints (bounds shapes,
a quote, partial dates with their precisions) and has its creation revision (number 1); some
were edited or retracted later (a second revision), some came through the public form and are
still pending, were approved or were rejected (with their submissions). Rows are written with
bulk inserts in batches, so a million figures take minutes, not hours.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any, cast
from urllib.parse import urlencode

import pycountry
from sqlalchemy import Engine, Table, func, insert, select, text
from sqlalchemy.orm import Session

from app.db import transaction
from app.domain.figure_spec import decimal_text
from app.domain.vocabulary import CLAIMANT_KINDS, METRICS, REGIONS
from app.models import Figure, FigureRevision, Source, Submission
from app.queries.vocabulary import country_name, sync_vocabulary

REFERENCE_PREFIX = "SYN"
BATCH_ROWS = 5_000
COUNTRY_COUNT = 197
FOCUS_COUNTRIES = ("NPL", "IND", "CUB", "KEN", "LKA", "PRK", "SYR", "UZB", "TJK", "GHA", "CMR")
EDITOR = "synthetic"
FIRST_DAY = date(2022, 3, 1)
DAYS = 1_400
MINUTES_APART = 3
CORRECTION = "Corrected the date after checking the source."

METRIC_WEIGHTS = {
    "enlisted": 10,
    "recruited": 6,
    "killed": 9,
    "missing": 6,
    "killed_or_missing": 2,
    "casualties": 2,
    "captured": 3,
    "criminal_cases": 4,
    "convictions": 2,
    "pay_monthly": 3,
    "signing_bonus": 2,
    "training_weeks": 1,
}
BOUND_WEIGHTS = {"exact": 15, "approximate": 35, "at_least": 25, "at_most": 5, "range": 20}
QUALIFIERS = {
    "exact": ("", "", "a total of"),
    "approximate": ("about", "around", "roughly", "nearly", "some"),
    "at_least": ("at least", "more than", "over", "no fewer than"),
    "at_most": ("up to", "no more than", "fewer than"),
    "range": ("between", "from", ""),
}
KIND_WEIGHTS = {
    "official_russia": 8,
    "official_origin": 18,
    "official_ukraine": 14,
    "official_third": 6,
    "independent": 22,
    "media": 20,
    "testimony": 8,
    "unknown": 4,
}
PUBLISHERS = (
    "The Kathmandu Post",
    "BBC News Russian",
    "Mediazona",
    "Reuters",
    "Associated Press",
    "The Hindu",
    "Kyiv Independent",
    "Meduza",
    "Radio Free Europe/Radio Liberty",
    "Daily Nation",
    "Al Jazeera",
    "The Guardian",
    "Ministry of Foreign Affairs",
    "Coordination HQ for the Treatment of POWs",
    "Institute for the Study of War",
    "Novaya Gazeta Europe",
)
COUNTED_AS = ("", "", "", "", "named list", "Moscow only", "bodies repatriated", "confirmed cases")
CURRENCIES = (("RUB", 150_000, 250_000), ("USD", 1_500, 3_000), ("NPR", 250_000, 400_000))


@dataclass(frozen=True)
class SyntheticReport:
    """What the generator stored."""

    figures: int
    revisions: int
    sources: int
    submissions: int
    by_status: dict[str, int]


def _areas(rng: random.Random) -> list[str]:
    """Return about 200 area codes: the focus countries, others drawn by seed, and the regions."""
    codes = sorted(country.alpha_3 for country in pycountry.countries if country.alpha_3 != "RUS")
    others = [code for code in codes if code not in FOCUS_COUNTRIES]
    chosen = list(FOCUS_COUNTRIES) + rng.sample(others, COUNTRY_COUNT - len(FOCUS_COUNTRIES))
    return chosen + ["RUS"] + [region.slug for region in REGIONS]


def _names() -> dict[str, str]:
    names = {country.alpha_3: country_name(country) for country in pycountry.countries}
    names.update({region.slug: region.name for region in REGIONS})
    return names


def _partial_date(rng: random.Random, day: date) -> tuple[date, str]:
    """Return a date with a precision (mostly a day), set to the first day of what it names."""
    draw = rng.random()
    if draw < 0.6:
        return day, "day"
    if draw < 0.9:
        return day.replace(day=1), "month"
    return day.replace(month=1, day=1), "year"


def _value(rng: random.Random, unit_kind: str, slug: str) -> tuple[int, str, str | None]:
    """Return a plausible central value, its unit and currency for a metric."""
    if unit_kind == "money":
        currency, low, high = rng.choice(CURRENCIES)
        scale = 10 if slug == "signing_bonus" else 1
        unit = "one-off" if slug == "signing_bonus" else "per month"
        return rng.randrange(low, high, 500) * scale, unit, currency
    if unit_kind == "duration":
        return rng.randint(1, 12), "weeks", None
    magnitude = 10 ** rng.uniform(1, 4.3)
    return max(int(magnitude), 1), "cases" if "criminal" in slug else "persons", None


def _bounds(rng: random.Random, central: int) -> tuple[int | None, int | None, str]:
    """Return low, high and the bound kind, in one of the shapes the constraints allow."""
    bound = rng.choices(list(BOUND_WEIGHTS), weights=list(BOUND_WEIGHTS.values()))[0]
    if bound == "at_least":
        return central, None, bound
    if bound == "at_most":
        return None, central, bound
    if bound == "range":
        return central, central + max(1, int(central * rng.uniform(0.05, 0.6))), bound
    return central, central, bound


def _claimant(kind: str, area_name: str, publisher: str, rng: random.Random) -> str:
    """Return who makes the claim, in the way the sources name them."""
    return {
        "official_russia": rng.choice(("Russian Ministry of Defence", "Kremlin spokesperson")),
        "official_origin": f"Government of {area_name}",
        "official_ukraine": rng.choice(("Ukraine's HUR", "Coordination HQ for POWs")),
        "official_third": rng.choice(("UK Ministry of Defence", "US State Department")),
        "independent": rng.choice(("Mediazona and BBC Russian", "ISW", "a researcher")),
        "media": publisher,
        "testimony": rng.choice(("a returned recruit", "families of recruits", "a POW")),
        "unknown": "unattributed",
    }[kind]


def _quote(low: int | None, high: int | None, qualifier: str, unit: str, area_name: str) -> str:
    """Return the sentence the figure came from."""
    if low is not None and high is not None and low != high:
        amount = f"{low:,} to {high:,}"
    else:
        amount = f"{low if low is not None else high:,}"
    words = f"{qualifier} {amount}".strip()
    return (
        f"Officials and families say {words} {unit} from {area_name} are involved, the report said."
    )


def _state(row: dict[str, Any], status: str, moment: datetime) -> dict[str, Any]:
    """Return a figure's state as its revisions keep it (every column, as JSON values)."""
    state = {name: _json_value(value) for name, value in row.items()}
    state.update(status=status, created_at=str(moment), updated_at=str(moment))
    return state


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return decimal_text(value)
    return value


def _hash(text_value: str) -> str:
    return hashlib.sha256(text_value.encode()).hexdigest()


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
    areas = _areas(rng)
    area_weights = list(accumulate(3.0 if code in FOCUS_COUNTRIES else 1.0 for code in areas))
    names = _names()
    unit_kinds = {metric.slug: metric.unit_kind for metric in METRICS}
    metric_slugs = [metric.slug for metric in METRICS]
    metric_weights = list(accumulate(METRIC_WEIGHTS.get(slug, 1) for slug in metric_slugs))
    kinds = [definition.kind.value for definition in CLAIMANT_KINDS]
    kind_weights = list(accumulate(KIND_WEIGHTS.get(kind, 1) for kind in kinds))
    source_count = max(figure_count // 20, 1)
    sources = _source_rows(rng, start["sources"], source_count)
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
            central, unit, currency = _value(rng, unit_kinds[slug], slug)
            low, high, bound = _bounds(rng, central)
            qualifier = rng.choice(QUALIFIERS[bound])
            row = _figure_row(rng, figure_id, area, slug, low, high, bound, qualifier, unit)
            row.update(
                currency=currency,
                claimant=_claimant(kind, names[area], source["publisher"], rng),
                claimant_kind=kind,
                source_id=source["id"],
                quote=_quote(low, high, qualifier, unit, names[area]),
                external_ref=f"{REFERENCE_PREFIX}-{seed}-{number}",
            )
            status, history, submitted = _history(rng)
            if any(reason.startswith("corrected") for _, reason, _ in history):
                row["notes"] = CORRECTION
            row.update(status=status, created_at=moment, updated_at=moment)
            figures.append(row)
            counts[status] += 1
            previous: dict[str, Any] | None = None
            for step, (state_status, reason, by) in enumerate(history, start=1):
                revision_id += 1
                changed = moment + timedelta(minutes=step - 1)
                state = _state(row, state_status, moment)
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
                submissions.append(_submission_row(submission_id, figure_id, row, status, moment))
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


def _source_rows(rng: random.Random, first_id: int, count: int) -> list[dict[str, Any]]:
    rows = []
    for number in range(1, count + 1):
        publisher = PUBLISHERS[rng.randrange(len(PUBLISHERS))]
        host = "".join(character for character in publisher.lower() if character.isalnum())[:24]
        published, precision = _partial_date(rng, FIRST_DAY + timedelta(days=rng.randrange(DAYS)))
        rows.append(
            {
                "id": first_id + number,
                "url": f"https://{host}.example/{published:%Y/%m}/recruits-abroad-{first_id + number}",
                "publisher": publisher,
                "title": f"Foreign recruits in Russia's army: report {number}",
                "published": published,
                "published_precision": precision,
                "accessed": published + timedelta(days=rng.randrange(1, 300)),
                "archive_url": None,
            }
        )
    return rows


def _figure_row(
    rng: random.Random,
    figure_id: int,
    area: str,
    slug: str,
    low: int | None,
    high: int | None,
    bound: str,
    qualifier: str,
    unit: str,
) -> dict[str, Any]:
    """Return a figure's columns but claimant, source, quote and status: values and dates."""
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    as_of: tuple[date | None, str | None] = (None, None)
    start: tuple[date | None, str | None] = (None, None)
    end: tuple[date | None, str | None] = (None, None)
    draw = rng.random()
    if draw < 0.8:
        as_of = _partial_date(rng, day)
    elif draw < 0.95:
        start = (date(FIRST_DAY.year, 1, 1), "year")
        end = _partial_date(rng, day)
    return {
        "id": figure_id,
        "area_code": area,
        "metric_slug": slug,
        "low": None if low is None else Decimal(low),
        "high": None if high is None else Decimal(high),
        "bound": bound,
        "qualifier": qualifier,
        "unit": unit,
        "counted_as": rng.choice(COUNTED_AS),
        "as_of": as_of[0],
        "as_of_precision": as_of[1],
        "period_start": start[0],
        "period_start_precision": start[1],
        "period_end": end[0],
        "period_end_precision": end[1],
        "notes": "Counted from the ministry's list." if rng.random() < 0.05 else "",
    }


def _history(rng: random.Random) -> tuple[str, list[tuple[str, str, str]], bool]:
    """Return a figure's status, its revisions (status, reason, by) and whether it was submitted."""
    draw = rng.random()
    if draw < 0.90:
        return "published", [("published", "imported from research spreadsheet", EDITOR)], False
    if draw < 0.93:
        return (
            "published",
            [
                ("published", "imported from research spreadsheet", EDITOR),
                ("published", "corrected after checking the source", "moderator"),
            ],
            False,
        )
    if draw < 0.95:
        return (
            "retracted",
            [
                ("published", "imported from research spreadsheet", EDITOR),
                ("retracted", "the source withdrew the number", "moderator"),
            ],
            False,
        )
    if draw < 0.97:
        return (
            "published",
            [
                ("pending", "submitted through the public form", "public submission"),
                ("published", "approved: source checked", "moderator"),
            ],
            True,
        )
    if draw < 0.98:
        return (
            "rejected",
            [
                ("pending", "submitted through the public form", "public submission"),
                ("rejected", "the source does not say this", "moderator"),
            ],
            True,
        )
    return (
        "pending",
        [("pending", "submitted through the public form", "public submission")],
        True,
    )


def _submission_row(
    submission_id: int, figure_id: int, row: dict[str, Any], status: str, moment: datetime
) -> dict[str, Any]:
    """Return the submission a figure came from: its raw form text as received and the decision."""
    fields = {
        name: _text(row[name])
        for name in ("area_code", "metric_slug", "low", "high", "bound", "claimant", "quote")
    }
    decision = {"published": "approved", "rejected": "rejected"}.get(status, "pending")
    decided = decision != "pending"
    return {
        "id": submission_id,
        "token_hash": _hash(f"submission-{figure_id}"),
        "status": decision,
        "received_at": moment,
        "raw_body": urlencode(fields),
        "fields": json.loads(json.dumps(fields)),
        "submitter_name": "",
        "submitter_contact": "",
        "client_key": _hash(f"client-{figure_id % 997}"),
        "figure_id": figure_id,
        "decided_at": moment + timedelta(minutes=1) if decided else None,
        "decided_by": "moderator" if decided else None,
        "decision_reason": "" if not decided else f"{decision} after checking the source",
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


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
