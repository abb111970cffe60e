"""The demo dataset: vocabularies, the figures, timeline events and exchange rates under seeds/,
loaded idempotently."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import FigureStatus
from app.figure_input import clean_text, normalise_url, parse_partial_date
from app.operations.importing import ImportReport, load_figure_rows, read_csv_rows
from app.operations.rate_importing import RATES_CSV, RateImportReport, load_rate_rows
from app.settings import PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "seeds"
SEED_EDITOR = "seed"


FIGURE_FILES = ("figures.csv", "figures_2.csv")


@dataclass
class SeedReport:
    """What seeding did: each figures file's report, why rows were refused, the exchange rates'
    report, and the timeline events added or already there."""

    files: dict[str, ImportReport] = field(default_factory=dict)
    refusal_reasons: dict[str, str] = field(default_factory=dict)
    rates: RateImportReport = field(default_factory=RateImportReport)
    events_added: list[str] = field(default_factory=list)
    events_unchanged: list[str] = field(default_factory=list)
    events_refused: list[str] = field(default_factory=list)

    @property
    def figures(self) -> ImportReport:
        """Return the files' reports together (row numbers are each file's own)."""
        together = ImportReport()
        for report in self.files.values():
            together.added += report.added
            together.unchanged += report.unchanged
            together.refused += report.refused
            together.restated += report.restated
            together.flagged += report.flagged
            together.rows_read += report.rows_read
        return together


def seed_demo(session: Session, seeds_dir: Path = SEEDS_DIR) -> SeedReport:
    """Load the vocabularies and the demo figures, events and exchange rates; a second run
    changes nothing. A refused rate is reported, and the others are loaded.

    The figures files load in order, so a row of a later file can name a figure of an earlier
    one in its repeats column.
    """
    queries.sync_vocabulary(session)
    report = SeedReport(refusal_reasons=_refusal_reasons(seeds_dir / "refusals.csv"))
    for name in FIGURE_FILES:
        path = seeds_dir / name
        if not path.exists():
            continue
        report.files[name] = load_figure_rows(
            session,
            read_csv_rows(path),
            status=FigureStatus.PUBLISHED,
            changed_by=SEED_EDITOR,
            reason=f"demo dataset (seeds/{name})",
        )
    _load_events(session, seeds_dir / "events.csv", report)
    report.rates = load_rate_rows(
        session,
        read_csv_rows(seeds_dir / "exchange_rates.csv", RATES_CSV),
        changed_by=SEED_EDITOR,
        reason="demo dataset (seeds/exchange_rates.csv)",
    )
    return report


def _refusal_reasons(path: Path) -> dict[str, str]:
    """Return why the dataset expects rows to be refused, by external reference."""
    if not path.exists():
        return {}
    return {row["external_ref"]: row["reason"] for row in read_csv_rows_loose(path)}


def _load_events(session: Session, path: Path, report: SeedReport) -> None:
    known_areas = queries.validation_context(session)["areas"]
    for row in read_csv_rows_loose(path):
        reference = row["external_ref"]
        if queries.event_by_external_ref(session, reference) is not None:
            report.events_unchanged.append(reference)
            continue
        try:
            happened_on = parse_partial_date(row["date"])
            if happened_on is None or row["area"] not in known_areas:
                raise ValueError("needs a known area and a date")
            source = queries.source_for_fields(
                session,
                url=normalise_url(row["source_url"]),
                publisher=clean_text(row["source_publisher"], "source_publisher"),
                published=parse_partial_date(row["source_published"]),
            )
            queries.add_event(
                session,
                area_code=row["area"],
                happened_on=happened_on,
                title=clean_text(row["title"], "title"),
                description=clean_text(row["description"], "notes"),
                source=source,
                external_ref=reference,
            )
        except (ValueError, ValidationError) as error:
            report.events_refused.append(f"{reference}: {error}")
            continue
        report.events_added.append(reference)


def read_csv_rows_loose(path: Path) -> list[dict[str, str]]:
    """Return the rows of a small seed CSV that is not a figures file."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def describe(report: SeedReport) -> list[str]:
    """Return the lines a person reads after seeding: counts per file, then every refused row
    with its reason (and the dataset's explanation), then rows that restate a stored figure."""
    events = {reference for reference in report.events_added + report.events_unchanged}
    lines: list[str] = []
    for name, figures in report.files.items():
        lines.append(
            f"seeds/{name}: {len(figures.added)} figures added, {len(figures.unchanged)} already "
            f"stored, {len({row.row_number for row in figures.refused})} rows refused"
        )
        for refused in figures.refused:
            line = f"  refused {refused.describe()}"
            if refused.reference in events:
                line += " (kept as a timeline event from seeds/events.csv)"
            elif refused.reference in report.refusal_reasons:
                line += f" (why: {report.refusal_reasons[refused.reference]})"
            lines.append(line)
        lines.extend(f"  note: {restated.describe()}" for restated in figures.restated)
        lines.extend(f"  check: {flagged.describe()}" for flagged in figures.flagged)
    lines.append(
        f"timeline events: {len(report.events_added)} added, "
        f"{len(report.events_unchanged)} already stored, {len(report.events_refused)} refused"
    )
    lines.extend(f"  refused {line}" for line in report.events_refused)
    rates = report.rates
    lines.append(
        f"exchange rates: {len(rates.added)} added, {len(rates.unchanged)} already stored, "
        f"{len({row.row_number for row in rates.refused})} rows refused"
    )
    lines.extend(f"  refused {refused.describe()}" for refused in rates.refused)
    return lines
