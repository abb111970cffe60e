"""Builders shared by tests."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from app import queries
from app.db import make_engine, transaction
from app.domain.comparisons import claims_by_group, summarise_by_area_and_metric
from app.domain.dates import PartialDate
from app.domain.export_rows import csv_head
from app.domain.exports import (
    ExportValue,
    export_values,
)
from app.domain.figures import Bound, ClaimantKind, FigureStatus
from app.domain.group_charts import group_chart
from app.domain.records import FIGURE_SPEC, FigureRecord
from app.domain.sources import SourceKind
from app.domain.spreadsheet import neutralise_cell
from app.domain.summary_text import LISTED_PER_SIDE
from app.figure_input import FigureIn, clean_text, field_errors
from app.migrate import upgrade
from app.models import Figure
from app.operations.seeding import seed_demo
from app.passwords import hash_password
from app.rate_input import RateIn
from app.web.deps import (
    app_state_of,
    get_primary_session,
    get_session,
    get_snapshot_session,
    set_app_state,
)
from app.web.moderation.figure_form import figure_values
from app.web.moderation.submit import SUBMITTER_FIELDS
from app.web.pages.page_cache import PageReads
from app.web.pages.version_reads import SharedVersionReads


def record(
    figure_id: int,
    low: str | None,
    high: str | None,
    bound: Bound = Bound.EXACT,
    kind: ClaimantKind = ClaimantKind.INDEPENDENT,
    as_of: str | None = None,
    *,
    area: str = "NPL",
    metric: str = "enlisted",
    published: str | None = "2026",
) -> FigureRecord:
    """Return a published figure record with the given numbers and dates (other fields empty)."""
    values = dict(
        id=figure_id,
        area_code=area,
        area_name=area,
        area_kind="country",
        metric_slug=metric,
        metric_label=metric,
        low=None if low is None else Decimal(low),
        high=None if high is None else Decimal(high),
        bound=bound,
        qualifier="",
        unit="persons",
        counted_as="",
        as_of=PartialDate.parse(as_of) if as_of else None,
        claimant="someone",
        claimant_kind=kind,
        quote="q",
        notes="",
        status="published",
        source_id=1,
        source_url="https://example.org",
        source_publisher="Example",
        source_title="",
        source_published=PartialDate.parse(published) if published else None,
        source_kind=SourceKind.UNKNOWN,
        source_text_damaged=False,
    )
    empty = dict.fromkeys((field_spec.name for field_spec in FIGURE_SPEC), None)
    return FigureRecord(**(empty | values))


def hostile_records() -> list[FigureRecord]:
    """Return figures whose every kind of text a spreadsheet would run, and some that it would not."""
    base = record(1, "14000", "15000", Bound.RANGE, ClaimantKind.INDEPENDENT, "2025-11")
    return [
        replace(
            base,
            claimant='=HYPERLINK("http://evil.example","click")',
            quote='+15,000 "fighting", they said\nsecond line',
            qualifier="-between",
            counted_as="@named list",
            notes="'=already neutral looking",
            source_title="\tTabbed title",
            source_publisher="\rCarriage",
            source_kind=SourceKind.REPRINT,
            source_original_publisher="=Original",
            source_original_url="https://original.example/a",
            source_text_damaged=True,
            external_ref="G1",
            period_start=PartialDate.parse("2024"),
        ),
        replace(
            record(2, "2.5", "2.5", Bound.APPROXIMATE, ClaimantKind.OFFICIAL_RUSSIA, "2024-02-13"),
            claimant="'I Want to Live' project",
            quote="Кремль: «около 2,5» недель",
            unit="weeks",
            currency=None,
            external_ref="G2",
            source_published=None,
        ),
        replace(
            record(3, None, "2000", Bound.AT_MOST, ClaimantKind.MEDIA),
            quote="a = b, and = is fine inside",
            currency="USD",
            unit="per month",
            external_ref=None,
        ),
    ]


CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')
MODERATOR = "reviewer"
MODERATOR_PASSWORD = "a long enough passphrase"


def csrf_from(html: str) -> str:
    """Return the CSRF token of the first form in a page."""
    match = CSRF_PATTERN.search(html)
    assert match is not None, "no CSRF token in the page"
    return match.group(1)


def submission_form(**changes: str) -> dict[str, str]:
    """Return a valid public submission's fields, with changes."""
    values = {
        "area": "NPL",
        "metric": "killed",
        "low": "321",
        "high": "321",
        "bound": "exact",
        "qualifier": "",
        "unit": "persons",
        "currency": "",
        "counted_as": "",
        "as_of": "2026-01",
        "period_start": "",
        "period_end": "",
        "claimant": "Submitted Claimant",
        "claimant_kind": "independent",
        "quote": "321 were killed, the report says",
        "source_url": "https://example.org/submitted",
        "source_publisher": "Example Post",
        "source_title": "",
        "source_published": "2026-01-15",
        "notes": "",
        "submitter_name": "A. Reader",
        "submitter_contact": "reader@example.org",
        "website": "",
    }
    values.update(changes)
    return values


def expected_form_errors(session: Session, fields: dict[str, str]) -> dict[str, str]:
    """Return the message the shared schema gives for each wrong field of a submission form."""
    errors: dict[str, str] = {}
    try:
        FigureIn.model_validate(figure_values(fields), context=queries.validation_context(session))
    except ValidationError as error:
        errors.update(field_errors(error))
    for name in SUBMITTER_FIELDS:
        try:
            clean_text(fields.get(name, ""), name)
        except ValueError as error:
            errors[name] = str(error)
    return errors


def csv_cell(value: ExportValue) -> str:
    """Return one export value as the CSV cell the download must hold: empty for none,
    true/false, numbers as written, text neutralised against spreadsheet formulas."""
    if isinstance(value, str):
        return neutralise_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def reference_csv(
    records: Iterable[FigureRecord],
    *,
    permalink_for: Callable[[int], str],
    version: str,
    hxl: bool = False,
) -> str:
    """Return the CSV download of these figures written the plain way (each record's export
    values, cell by cell, through csv.writer) after the download's head (the golden file holds
    both): the oracle the fast row path is held to."""
    buffer = io.StringIO(csv_head(hxl=hxl))
    buffer.seek(0, io.SEEK_END)
    writer = csv.writer(buffer)
    for record in records:
        values = export_values(record, permalink_for(record.id), version)
        writer.writerow([csv_cell(value) for value in values.values()])
    return buffer.getvalue()


def seed_with_moderator(database_url: str) -> None:
    """Migrate an empty database, load the demo data and add the test moderator."""
    upgrade(database_url)
    engine = make_engine(database_url)
    with transaction(engine) as session:
        seed_demo(session)
        queries.add_moderator(
            session, username=MODERATOR, password_hash=hash_password(MODERATOR_PASSWORD)
        )
    engine.dispose()


def assert_kept_summaries_are_recomputed_ones(session: Session) -> None:
    """Assert the kept summaries and group charts equal those computed from every published
    figure now."""
    claims = list(queries.dated_claims(session))
    recomputed = summarise_by_area_and_metric(claims, LISTED_PER_SIDE)
    kept = queries.kept_summaries(session)
    assert set(kept) == set(recomputed)
    for key, summary in recomputed.items():
        assert kept[key] == summary, key
    for (area_code, metric_slug), members in claims_by_group(claims).items():
        kept_chart = queries.kept_group_charts(session, area_code=area_code)[metric_slug]
        assert kept_chart == group_chart(members), (area_code, metric_slug)


def use_test_session(app: FastAPI, session: Session) -> None:
    """Make the application's requests read and write through the test's session."""

    def test_session() -> Iterator[Session]:
        yield session
        session.flush()

    app.dependency_overrides[get_session] = test_session
    app.dependency_overrides[get_primary_session] = test_session
    reads = PageReads(
        version=SharedVersionReads(lambda: queries.current_dataset_version(session)).current,
        session=lambda: nullcontext(session),
    )
    set_app_state(app, replace(app_state_of(app), page_reads=reads))


def rate_fields(**changes: str) -> dict[str, str]:
    """Return a valid rate's fields (as a CSV row or a form), with changes."""
    values = {
        "currency": "KES",
        "usd_per_unit": "0.0077",
        "as_of": "2025-03-14",
        "quote": "350,000 shillings (about $2,700)",
        "source_url": "https://example.org/kes-rate",
        "source_publisher": "Example Post",
        "source_title": "",
        "source_published": "",
        "external_ref": "",
        "notes": "",
    }
    values.update(changes)
    return values


def rate_in(**changes: str) -> RateIn:
    """Return a valid rate input, with changes."""
    return RateIn.model_validate(rate_fields(**changes))


# What the demo data (both seed files) holds for Nepal: its metric sections in vocabulary order,
# and the references of its enlisted figures.
# An answer of every versioned API endpoint (on the demo data).
API_ANSWERS = [
    "/api/v1",
    "/api/v1/areas",
    "/api/v1/areas/NPL",
    "/api/v1/areas/NPL/metrics/enlisted",
    "/api/v1/metrics",
    "/api/v1/metrics/killed",
    "/api/v1/figures?area=NPL",
    "/api/v1/figures/1",
    "/api/v1/sources",
    "/api/v1/sources/1",
]

NEPAL_SECTIONS = [
    "enlisted",
    "returned",
    "killed",
    "missing",
    "captured",
    "recruitment_suspects",
    "pay_monthly",
    "signing_bonus",
]
NEPAL_ENLISTED = {"A07", "E11a", "E17a", "E18a", "RAS024", "RAS026", "RAS033"}


def figure_input(**changes: object) -> FigureIn:
    """Return a valid figure input (Nepal, killed, 7 persons) with some fields changed."""
    values: dict[str, object] = {
        "area": "NPL",
        "metric": "killed",
        "low": "7",
        "high": "7",
        "bound": "exact",
        "unit": "persons",
        "claimant": "Test claimant",
        "claimant_kind": "media",
        "quote": "seven were killed",
        "source_url": "https://example.org/test",
        "source_publisher": "Example",
    }
    values.update(changes)
    return FigureIn.model_validate(values)


def add_figure(session: Session, status: FigureStatus, **changes: object) -> Figure:
    """Store a figure that reached this status the way moderation moves it (with revisions)."""
    first = FigureStatus.PUBLISHED if status is FigureStatus.RETRACTED else status
    figure = queries.add_figure(
        session, figure_input(**changes), status=first, changed_by="test", reason="test"
    )
    if status is FigureStatus.RETRACTED:
        queries.set_figure_status(
            session, figure=figure, status=status, changed_by="test", reason="test"
        )
    return figure


def see_test_session(client: TestClient, session: Session) -> TestClient:
    """Return the client with downloads reading through the test's session too."""

    def test_read_session() -> Iterator[Session]:
        yield session

    client.app.dependency_overrides[get_snapshot_session] = test_read_session  # type: ignore[attr-defined]
    return client


def csv_rows(text: str) -> list[dict[str, str]]:
    """Return the rows of CSV text (a leading byte-order mark ignored)."""
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


BUNDLE_FILES = ["figures.csv", "figures.json", "datapackage.json", "README.md", "LICENSE.txt"]


def unpacked(bundle: bytes, directory: Path) -> dict[str, Any]:
    """Unpack a zip bundle into the directory (after a CRC check) and return its datapackage.json."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == BUNDLE_FILES
        archive.extractall(directory)
    package: dict[str, Any] = json.loads((directory / "datapackage.json").read_text("utf-8"))
    return package


def validated(descriptor: Path) -> tuple[list[list[Any]], dict[str, int]]:
    """Return what `frictionless validate` finds wrong with a data package ([] when it is valid)
    and how many rows it read from each table."""
    report = frictionless.validate(str(descriptor))
    problems = [[None, None, None, error.type, error.note] for error in report.errors]
    for task in report.tasks:
        problems.extend(
            [
                task.name,
                getattr(error, "row_number", None),
                getattr(error, "field_name", None),
                error.type,
                error.note,
            ]
            for error in task.errors
        )
    return problems, {task.name: int(task.stats.get("rows") or 0) for task in report.tasks}


def add_daily_copies(session: Session, area: str, metric: str, count: int) -> None:
    """Store count more published figures of an area and metric, one a day from 1 January 2023,
    valued 1,000, 1,001, ...: copies of one of its own, without revisions of their own (the
    group's kept summary refreshed once)."""
    model = session.scalars(
        select(Figure).where(
            Figure.area_code == area,
            Figure.metric_slug == metric,
            Figure.status == "published",
        )
    ).first()
    assert model is not None
    columns = {
        attribute.key: getattr(model, attribute.key)
        for attribute in inspect(Figure).column_attrs
        if attribute.key not in ("id", "external_ref")
    }
    rows = [
        columns
        | {
            "low": Decimal(1000 + n),
            "high": Decimal(1000 + n),
            "bound": "exact",
            "as_of": date(2023, 1, 1) + timedelta(days=n % 700),
            "as_of_precision": "day",
            "period_start": None,
            "period_start_precision": None,
            "period_end": None,
            "period_end_precision": None,
            "repeats_id": None,
        }
        for n in range(count)
    ]
    session.execute(insert(Figure), rows)
    queries.refresh_summaries(session, [(area, metric)])  # as every bulk load does
