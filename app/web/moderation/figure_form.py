"""The figure form shared by the public submission page and the moderators' edit pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import BOUND_LABELS
from app.domain.records import FORM_FIELDS
from app.domain.sources import SOURCE_KIND_LABELS
from app.domain.vocabulary import ALL_UNITS, CLAIMANT_KINDS
from app.figure_input import FigureIn, field_errors
from app.web.moderation.form_texts import FIELD_HELP, FIELD_LABELS


@dataclass(frozen=True)
class FormChoices:
    """The options of the form's select boxes, and its fields' labels and help texts."""

    countries: list[tuple[str, str]]
    regions: list[tuple[str, str]]
    metrics: list[tuple[str, str]]
    bounds: list[tuple[str, str]]
    claimant_kinds: list[tuple[str, str]]
    source_kinds: list[tuple[str, str]]
    units: tuple[str, ...] = ALL_UNITS
    labels: dict[str, str] = field(default_factory=lambda: FIELD_LABELS)
    help: dict[str, str] = field(default_factory=lambda: FIELD_HELP)


def form_choices(session: Session) -> FormChoices:
    """Return the select boxes' options: areas, metrics, bounds and claimant kinds."""
    areas = queries.list_areas(session)
    return FormChoices(
        countries=[(a.code, a.name) for a in areas if a.kind == "country"],
        regions=[(a.code, a.name) for a in areas if a.kind == "region"],
        metrics=[(m.slug, m.label) for m in queries.list_metrics(session)],
        bounds=[(bound.value, label) for bound, label in BOUND_LABELS.items()],
        claimant_kinds=[(kind.kind.value, kind.label) for kind in CLAIMANT_KINDS],
        source_kinds=[(kind.value, label) for kind, label in SOURCE_KIND_LABELS.items()],
    )


def figure_values(fields: dict[str, str]) -> dict[str, str]:
    """Return the figure fields of a posted form, as typed."""
    return {name: fields.get(name, "") for name in FORM_FIELDS}


def parse_figure(
    session: Session, values: dict[str, str]
) -> tuple[FigureIn | None, dict[str, str]]:
    """Return the validated figure, or None with one message per wrong field."""
    try:
        figure = FigureIn.model_validate(values, context=queries.validation_context(session))
    except ValidationError as error:
        return None, field_errors(error)
    return figure, {}
