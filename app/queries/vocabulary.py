"""Areas, metrics and claimant kinds: the seeded vocabularies. Functions flush, never commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pycountry
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.figures import MAX_IDENTIFIER
from app.domain.vocabulary import CLAIMANT_KINDS, METRICS, REGIONS
from app.models import (
    Area,
    ClaimantKindRow,
    Figure,
    Metric,
)


def country_name(country: Any) -> str:
    """Return the name people use for a pycountry country (its common name where it has one)."""
    return str(getattr(country, "common_name", None) or country.name)


def sync_vocabulary(session: Session) -> None:
    """Insert missing areas, metrics and claimant kinds; update labels of existing ones."""
    areas = {area.code: area for area in session.scalars(select(Area))}
    for country in pycountry.countries:
        wanted = {"kind": "country", "name": country_name(country), "description": ""}
        _upsert(session, areas.get(country.alpha_3), Area, {"code": country.alpha_3, **wanted})
    for region in REGIONS:
        wanted = {"kind": "region", "name": region.name, "description": region.description}
        _upsert(session, areas.get(region.slug), Area, {"code": region.slug, **wanted})
    metrics = {metric.slug: metric for metric in session.scalars(select(Metric))}
    for position, definition in enumerate(METRICS):
        values = {
            "slug": definition.slug,
            "label": definition.label,
            "group": definition.group,
            "unit_kind": definition.unit_kind,
            "definition": definition.definition,
            "position": position,
        }
        _upsert(session, metrics.get(definition.slug), Metric, values)
    kinds = {kind.slug: kind for kind in session.scalars(select(ClaimantKindRow))}
    for position, kind in enumerate(CLAIMANT_KINDS):
        values = {
            "slug": kind.kind.value,
            "label": kind.label,
            "is_official": kind.kind.is_official,
            "colour": kind.colour,
            "description": kind.description,
            "position": position,
        }
        _upsert(session, kinds.get(kind.kind.value), ClaimantKindRow, values)
    session.flush()


def _upsert(session: Session, existing: Any, model: Any, values: dict[str, Any]) -> None:
    if existing is None:
        session.add(model(**values))
        return
    for name, value in values.items():
        if getattr(existing, name) != value:
            setattr(existing, name, value)


def validation_context(session: Session) -> dict[str, Any]:
    """Return the known area codes and metric slugs, and a figure finder, for validating FigureIn."""

    def find_figure(reference: str) -> int | None:
        """Return the id of the figure with this id (digits) or external reference, or None."""
        query = select(Figure.id).where(Figure.external_ref == reference)
        if reference.isascii() and reference.isdigit() and int(reference) <= MAX_IDENTIFIER:
            query = select(Figure.id).where(
                or_(Figure.id == int(reference), Figure.external_ref == reference)
            )
        return session.scalars(query.order_by(Figure.id).limit(1)).first()

    return {
        "areas": set(session.scalars(select(Area.code))),
        "metrics": set(session.scalars(select(Metric.slug))),
        "find_figure": find_figure,
    }


def get_area(session: Session, code: str) -> Area | None:
    """Return the area with this code (ISO3 country or region slug), or None."""
    return session.get(Area, code)


def get_metric(session: Session, slug: str) -> Metric | None:
    """Return the metric with this slug, or None."""
    return session.get(Metric, slug)


def list_metrics(session: Session) -> list[Metric]:
    """Return the metric vocabulary in its order."""
    return list(session.scalars(select(Metric).order_by(Metric.position)))


def claimant_kinds(session: Session) -> list[ClaimantKindRow]:
    """Return the claimant kinds in their order."""
    return list(session.scalars(select(ClaimantKindRow).order_by(ClaimantKindRow.position)))


def areas_by_code(session: Session, codes: Sequence[str]) -> dict[str, Area]:
    """Return the areas with these codes, keyed by code."""
    return {area.code: area for area in session.scalars(select(Area).where(Area.code.in_(codes)))}


def list_areas(session: Session) -> list[Area]:
    """Return every area, regions first, then countries by name."""
    return list(session.scalars(select(Area).order_by(Area.kind.desc(), Area.name)))


def known_codes(
    session: Session, *, areas: Sequence[str], metrics: Sequence[str]
) -> dict[str, set[str]]:
    """Return which of these area codes and metric slugs exist (only those asked about)."""
    found: dict[str, set[str]] = {"areas": set(), "metrics": set()}
    if areas:
        found["areas"] = set(session.scalars(select(Area.code).where(Area.code.in_(areas))))
    if metrics:
        query = select(Metric.slug).where(Metric.slug.in_(metrics))
        found["metrics"] = set(session.scalars(query))
    return found
