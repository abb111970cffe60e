"""Fields of past revisions withheld from the public history (redactions)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 16:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add revision_redactions: one row per field of a revision withheld from the public."""
    op.create_table(
        "revision_redactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redacted_by", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["figure_revisions.id"],
            name=op.f("fk_revision_redactions_revision_id_figure_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision_redactions")),
        sa.UniqueConstraint("revision_id", "field", name="revision_field"),
    )
    with op.batch_alter_table("revision_redactions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revision_redactions_revision_id"), ["revision_id"], unique=False
        )


def downgrade() -> None:
    """Drop revision_redactions."""
    with op.batch_alter_table("revision_redactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_redactions_revision_id"))
    op.drop_table("revision_redactions")
