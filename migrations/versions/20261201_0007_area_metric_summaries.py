"""The kept summary of each area and metric's published figures

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:00:00

The overview, the metric pages and the area pages read each group's summary (its number of
published figures, its largest conflict, each government against independent sources, its
current estimate, its latest figures) from this table instead of computing it from every figure
on each render. The query functions that change figures keep it current in the same transaction.
An index on the figures' (source_id, status) lets the overview count the sources its published
figures cite with one index probe per source. The table is created empty: `python -m app migrate` (app/migrate.py) then computes the summary of
every group, as it does whenever the summaries' format changes (SUMMARY_FORMAT).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add area_metric_summaries (one row per area and metric with published figures) and an
    index on the figures' sources and statuses."""
    op.create_table(
        "area_metric_summaries",
        sa.Column("area_code", sa.String(length=40), nullable=False),
        sa.Column("metric_slug", sa.String(length=40), nullable=False),
        sa.Column("figure_count", sa.Integer(), nullable=False),
        sa.Column("summary_format", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"],
            ["areas.code"],
            name=op.f("fk_area_metric_summaries_area_code_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["metric_slug"],
            ["metrics.slug"],
            name=op.f("fk_area_metric_summaries_metric_slug_metrics"),
        ),
        sa.PrimaryKeyConstraint("area_code", "metric_slug", name=op.f("pk_area_metric_summaries")),
    )
    with op.batch_alter_table("area_metric_summaries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_area_metric_summaries_metric_slug"), ["metric_slug"], unique=False
        )
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.create_index("ix_figures_source_status", ["source_id", "status"], unique=False)


def downgrade() -> None:
    """Drop area_metric_summaries and the index on the figures' sources and statuses."""
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.drop_index("ix_figures_source_status")
    with op.batch_alter_table("area_metric_summaries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_metric_summaries_metric_slug"))
    op.drop_table("area_metric_summaries")
