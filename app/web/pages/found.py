"""The things a page's address names, found or answered with 404."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from app import queries
from app.models import Area, Metric


def area_and_metric(session: Session, kind: str, code: str, slug: str) -> tuple[Area, Metric]:
    """Return the area of this kind and code and the metric of this slug; 404 when either is not."""
    area = queries.get_area(session, code)
    metric = queries.get_metric(session, slug)
    if area is None or area.kind != kind or metric is None:
        raise HTTPException(404, f"No {kind} {code[:40]!r} with a metric {slug[:40]!r}.")
    return area, metric
