"""The figure form shared by the public submission page and the moderators' edit pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app import queries
from app.db import canonical_decimal_text
from app.domain.figures import BOUND_LABELS
from app.domain.records import FigureRecord
from app.domain.vocabulary import CLAIMANT_KINDS
from app.schemas import FigureIn, field_errors

FIGURE_FIELDS = (
    "area", "metric", "low", "high", "bound", "qualifier", "unit", "currency", "counted_as",
    "as_of", "period_start", "period_end", "claimant", "claimant_kind", "quote", "source_url",
    "source_publisher", "source_title", "source_published", "notes",
)  # fmt: skip


@dataclass(frozen=True)
class FormChoices:
    """The options of the form's select boxes."""

    countries: list[tuple[str, str]]
    regions: list[tuple[str, str]]
    metrics: list[tuple[str, str]]
    bounds: list[tuple[str, str]]
    claimant_kinds: list[tuple[str, str]]


def form_choices(session: Session) -> FormChoices:
    """Return the select boxes' options: areas, metrics, bounds and claimant kinds."""
    areas = queries.list_areas(session)
    return FormChoices(
        countries=[(a.code, a.name) for a in areas if a.kind == "country"],
        regions=[(a.code, a.name) for a in areas if a.kind == "region"],
        metrics=[(m.slug, m.label) for m in queries.list_metrics(session)],
        bounds=[(bound.value, label) for bound, label in BOUND_LABELS.items()],
        claimant_kinds=[(kind.kind.value, kind.label) for kind in CLAIMANT_KINDS],
    )


def figure_values(fields: dict[str, str]) -> dict[str, str]:
    """Return the figure fields of a posted form, as typed."""
    return {name: fields.get(name, "") for name in FIGURE_FIELDS}


def parse_figure(
    session: Session, values: dict[str, str]
) -> tuple[FigureIn | None, dict[str, str]]:
    """Return the validated figure, or None with one message per wrong field."""
    try:
        figure = FigureIn.model_validate(values, context=queries.validation_context(session))
    except ValidationError as error:
        return None, field_errors(error)
    return figure, {}


def values_from_record(record: FigureRecord) -> dict[str, str]:
    """Return a stored figure as form values (for editing)."""

    def number(value: Any) -> str:
        return "" if value is None else canonical_decimal_text(value)

    def partial(value: Any) -> str:
        return "" if value is None else str(value.iso())

    return {
        "area": record.area_code,
        "metric": record.metric_slug,
        "low": number(record.low),
        "high": number(record.high),
        "bound": record.bound.value,
        "qualifier": record.qualifier,
        "unit": record.unit,
        "currency": record.currency or "",
        "counted_as": record.counted_as,
        "as_of": partial(record.as_of),
        "period_start": partial(record.period_start),
        "period_end": partial(record.period_end),
        "claimant": record.claimant,
        "claimant_kind": record.claimant_kind.value,
        "quote": record.quote,
        "source_url": record.source_url,
        "source_publisher": record.source_publisher,
        "source_title": record.source_title,
        "source_published": partial(record.source_published),
        "notes": record.notes,
    }
