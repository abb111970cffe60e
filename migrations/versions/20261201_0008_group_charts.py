"""Each group's chart and listed figures, kept beside its summary

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:00:00

An area page lists each group's latest figures and charts them, in bins when they are many. The
column `chart` keeps, per area and metric, what that needs beyond the summary (the ids of the
figures listed, the chart's scale and span per currency, and its bins at every period:
app/domain/group_charts.py), so that the page reads neither every figure nor computes the bins
on each render. Written with the summary; `python -m app migrate` computes it for every group
(SUMMARY_FORMAT changed with it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add area_metric_summaries.chart (JSON text; empty until the summaries are computed)."""
    with op.batch_alter_table("area_metric_summaries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chart", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop area_metric_summaries.chart."""
    with op.batch_alter_table("area_metric_summaries", schema=None) as batch_op:
        batch_op.drop_column("chart")
