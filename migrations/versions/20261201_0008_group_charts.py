"""Each group's chart and listed figures, kept beside its summary

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:00:00

An area page lists each group's latest figures and charts them, in bins when they are many. The
table area_metric_charts keeps, per area and metric, what that needs beyond the summary (the ids
of the figures listed, the chart's scale and span per currency, and its bins at every period:
app/domain/group_charts.py), so that the page reads neither every figure nor computes the bins
on each render. Written with the summary; `python -m app migrate` computes it for every group
(SUMMARY_FORMAT changed with it). A table of its own, so that reading every summary (the
overview) does not read the bins.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add area_metric_charts (one row per area and metric with published figures; empty until
    the summaries are computed)."""
    op.create_table(
        "area_metric_charts",
        sa.Column("area_code", sa.String(length=40), nullable=False),
        sa.Column("metric_slug", sa.String(length=40), nullable=False),
        sa.Column("chart", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["areas.code"], name=op.f("fk_area_metric_charts_area_code_areas")
        ),
        sa.ForeignKeyConstraint(
            ["metric_slug"],
            ["metrics.slug"],
            name=op.f("fk_area_metric_charts_metric_slug_metrics"),
        ),
        sa.PrimaryKeyConstraint("area_code", "metric_slug", name=op.f("pk_area_metric_charts")),
    )


def downgrade() -> None:
    """Drop area_metric_charts."""
    op.drop_table("area_metric_charts")
