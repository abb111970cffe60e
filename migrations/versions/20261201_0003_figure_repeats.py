"""A figure can name the figure it repeats (a reprint or a restatement adds no voice)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 15:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add figures.repeats_id, a link to another figure, never to itself."""
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("repeats_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_figures_repeats_id_figures"), "figures", ["repeats_id"], ["id"]
        )
        batch_op.create_check_constraint("repeats_other", "repeats_id IS NULL OR repeats_id <> id")


def downgrade() -> None:
    """Drop figures.repeats_id."""
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_figures_repeats_other"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_figures_repeats_id_figures"), type_="foreignkey")
        batch_op.drop_column("repeats_id")
