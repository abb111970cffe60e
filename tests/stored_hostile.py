"""Hostile figures stored in the database, for the downloads written by the database itself:
texts a spreadsheet would run, texts CSV writers may quote differently, every provenance, and
every shape of number, bound, date and repeat."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import cycle

from sqlalchemy.orm import Session

from app.domain.figures import ClaimantKind
from app.domain.sources import SourceKind
from app.models import Area, Figure, Source

HOSTILE_TEXTS = (
    '=HYPERLINK("http://evil.example","click")',
    '+15,000 "fighting", they said\nsecond line',
    "-between",
    "@named list",
    "'=already neutral looking",
    "'''-three apostrophes",
    "'",
    "''",
    "\tTabbed title",
    "\rCarriage",
    "line\r\nbreak",
    "\\.",
    "",
    " leading space",
    "trailing space ",
    "a,b",
    'a "quoted" word',
    '"',
    "-",
    "0 starts with a digit",
    "«Кремль» около 2,5",
    "Ωmega",
    "\U0001f600 emoji",
    "#not a tag",
)
# (low, high, bound) in every shape the database allows, numbers with and without a scale
NUMBERS = (
    (Decimal("14000"), Decimal("15000"), "range"),
    (Decimal("2.5"), Decimal("2.5"), "approximate"),
    (None, Decimal("2000.000001"), "at_most"),
    (Decimal("0"), Decimal("0"), "exact"),
    (Decimal("100000000"), None, "at_least"),
    (Decimal("0.000001"), Decimal("0.5"), "range"),
)
DATES = (
    (date(2025, 11, 19), "day"),
    (date(2024, 2, 1), "month"),
    (date(2023, 1, 1), "year"),
    (None, None),
)


def _original(kind: SourceKind, number: int, text: str) -> str | None:
    if not kind.copies_another:
        return None
    return (text, "", "=Original")[number % 3]


def store_hostile_figures(session: Session) -> list[int]:
    """Store published figures (and their sources, and an area with a formula-like name) made
    of HOSTILE_TEXTS; return their ids."""
    session.add(Area(code="ZZZ", kind="country", name="=Evil land"))
    kinds, source_kinds = cycle(ClaimantKind), cycle(SourceKind)
    numbers, dates = cycle(NUMBERS), cycle(DATES)
    figures: list[Figure] = []
    for number, text in enumerate(HOSTILE_TEXTS):
        source_kind = next(source_kinds)
        published, published_precision = next(dates)
        source = Source(
            url=f"https://hostile.example/{number}",
            publisher=text,
            title=text,
            published=published,
            published_precision=published_precision,
            archive_url=text or None,
            kind=source_kind.value,
            original_publisher=_original(source_kind, number, text),
            original_url=text if source_kind.copies_another else None,
            text_damaged=number % 2 == 1,
        )
        session.add(source)
        session.flush()
        low, high, bound = next(numbers)
        as_of, as_of_precision = next(dates)
        start, start_precision = next(dates)
        figure = Figure(
            area_code="ZZZ" if number % 2 else "NPL",
            metric_slug="killed",
            low=low,
            high=high,
            bound=bound,
            qualifier=text,
            unit="persons",
            currency=None,
            counted_as=text,
            as_of=as_of,
            as_of_precision=as_of_precision,
            period_start=start,
            period_start_precision=start_precision,
            claimant=text,
            claimant_kind=next(kinds).value,
            source_id=source.id,
            quote=text or "q",
            notes=text,
            status="published",
            external_ref=(f"H{number}", None, f"'=H{number}")[number % 3],
            repeats_id=figures[-1].id if figures and number % 4 == 0 else None,
        )
        session.add(figure)
        session.flush()
        figures.append(figure)
    return [figure.id for figure in figures]
