"""The data of a page, typed: what its template renders and its JSON twin in the API serialises,
built once by one function, so that a page and its JSON cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app import queries
from app.domain.comparisons import FigureGroup, group_by_metric
from app.models import Area, Metric, TimelineEvent


@dataclass(frozen=True)
class AreaData:
    """A country or region: its published figures grouped per metric, and its timeline."""

    area: Area
    metrics: list[Metric]
    groups: list[FigureGroup]
    timeline: list[TimelineEvent]
    dataset_version: str

    @property
    def metric_counts(self) -> dict[str, int]:
        """Return how many published figures each metric with any has here."""
        return {group.metric_slug: len(group.records) for group in self.groups}

    @property
    def figure_count(self) -> int:
        """Return how many published figures the area has."""
        return sum(self.metric_counts.values())


def area_data(session: Session, area: Area) -> AreaData:
    """Return a country's or region's data, as its page and /api/v1/areas/{code} show it."""
    records = queries.published_records(session, area_code=area.code)
    metrics = queries.list_metrics(session)
    return AreaData(
        area=area,
        metrics=metrics,
        groups=group_by_metric(records, [metric.slug for metric in metrics]),
        timeline=queries.timeline_for(session, area.code),
        dataset_version=queries.current_dataset_version(session),
    )
