"""Sources record their provenance and their history; a pending figure's source is its own claim

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00

A source records its kind (original reporting, official document or statement, reprint or
aggregator, wire copy; 'unknown' for the sources stored before), the original a copy reprints,
and whether its text is damaged. Sources keep append-only revisions. A source is either the
accepted record of its URL (one per URL) or a pending figure's claim about its source, which is
never shared: the URL stays unique among accepted sources only.

Sources stored before are accepted when a published or retracted figure, a timeline event or an
exchange rate cites them; those that only pending or rejected figures cite become claims.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACCEPTED_BEFORE = """
UPDATE sources SET accepted = (
    EXISTS (SELECT 1 FROM figures WHERE figures.source_id = sources.id
            AND figures.status IN ('published', 'retracted'))
    OR EXISTS (SELECT 1 FROM timeline_events WHERE timeline_events.source_id = sources.id)
    OR EXISTS (SELECT 1 FROM exchange_rates WHERE exchange_rates.source_id = sources.id)
)
"""


def upgrade() -> None:
    """Add the provenance columns, the accepted flag, and source revisions."""
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), server_default="unknown", nullable=False)
        )
        batch_op.add_column(sa.Column("original_publisher", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("original_url", sa.String(length=2000), nullable=True))
        batch_op.add_column(
            sa.Column("text_damaged", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("accepted", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.drop_constraint(batch_op.f("uq_sources_url"), type_="unique")
        batch_op.create_check_constraint(
            "kind", "kind IN ('original', 'official', 'reprint', 'wire', 'unknown')"
        )
        batch_op.create_check_constraint(
            "original_only_for_copies",
            "kind IN ('reprint', 'wire') OR (original_publisher IS NULL AND original_url IS NULL)",
        )
        batch_op.create_check_constraint(
            "copy_names_original",
            "kind NOT IN ('reprint', 'wire') OR original_publisher IS NOT NULL",
        )
        batch_op.create_index(batch_op.f("ix_sources_url"), ["url"], unique=False)
    op.execute(_ACCEPTED_BEFORE)
    op.create_index(
        "uq_sources_accepted_url",
        "sources",
        ["url"],
        unique=True,
        sqlite_where=sa.text("accepted"),
        postgresql_where=sa.text("accepted"),
    )
    op.create_table(
        "source_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("previous_state", sa.JSON(), nullable=True),
        sa.Column("new_state", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_revisions_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_revisions")),
        sa.UniqueConstraint("source_id", "number", name="source_number"),
    )
    with op.batch_alter_table("source_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_revisions_source_id"), ["source_id"], unique=False
        )


def downgrade() -> None:
    """Drop source revisions and the provenance columns (only when every URL is stored once)."""
    with op.batch_alter_table("source_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_revisions_source_id"))
    op.drop_table("source_revisions")
    op.drop_index("uq_sources_accepted_url", table_name="sources")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sources_url"))
        batch_op.drop_constraint(batch_op.f("ck_sources_copy_names_original"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_sources_original_only_for_copies"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_sources_kind"), type_="check")
        batch_op.create_unique_constraint(batch_op.f("uq_sources_url"), ["url"])
        batch_op.drop_column("accepted")
        batch_op.drop_column("text_damaged")
        batch_op.drop_column("original_url")
        batch_op.drop_column("original_publisher")
        batch_op.drop_column("kind")
