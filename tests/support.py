"""Builders shared by tests."""

from __future__ import annotations

from decimal import Decimal

from app.domain.dates import PartialDate
from app.domain.figures import Bound, ClaimantKind
from app.domain.records import FigureRecord


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
    """Return a published figure record with the given numbers and dates."""
    return FigureRecord(
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
        currency=None,
        counted_as="",
        as_of=PartialDate.parse(as_of) if as_of else None,
        period_start=None,
        period_end=None,
        claimant="someone",
        claimant_kind=kind,
        quote="q",
        notes="",
        status="published",
        external_ref=None,
        source_id=1,
        source_url="https://example.org",
        source_publisher="Example",
        source_title="",
        source_published=PartialDate.parse(published) if published else None,
    )
