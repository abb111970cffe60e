"""The kept summary of each (area, metric) group of published figures: data derived from the
figures, written by app/queries/summaries.py in the transaction of every change to the group.

Unlike the other tables, its rows are replaced and deleted: a row is what the group's published
figures give now, and a group without published figures has none.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class AreaMetricSummary(Base):
    """What the overview, the metric pages and the area pages show of one area and metric: the
    number of published figures and the summary computed from them (JSON, app/domain/summary_text.py)."""

    __tablename__ = "area_metric_summaries"

    area_code: Mapped[str] = mapped_column(String(40), ForeignKey("areas.code"), primary_key=True)
    metric_slug: Mapped[str] = mapped_column(
        String(40), ForeignKey("metrics.slug"), primary_key=True, index=True
    )
    figure_count: Mapped[int] = mapped_column(Integer)
    summary_format: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)


class AreaMetricChart(Base):
    """What an area page's section lists and charts of one area and metric (JSON,
    app/domain/group_chart_text.py): written with the group's summary, in a table of its own so
    that pages reading every summary (the overview) do not read past the charts' bins."""

    __tablename__ = "area_metric_charts"

    area_code: Mapped[str] = mapped_column(String(40), ForeignKey("areas.code"), primary_key=True)
    metric_slug: Mapped[str] = mapped_column(
        String(40), ForeignKey("metrics.slug"), primary_key=True
    )
    chart: Mapped[str] = mapped_column(Text)
