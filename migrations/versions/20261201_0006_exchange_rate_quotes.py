"""Exchange rates keep the source's sentence, their date's precision and their history

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:00:00

An exchange rate keeps 12 decimal places on PostgreSQL (a weak currency such as the Uzbek som is
worth 0.0000786 USD), and records the sentence of its source that states the conversion (`quote`), whether
its date is a day or only a month (`as_of_precision`: a month is stored on its first day), a note
and an external reference (a research row id). Rates keep append-only revisions; each rate stored
before gets a first revision holding its state, so that every rate has a history and the dataset
version (which reads the latest rate revision) covers them.
"""

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RATES = sa.table(
    "exchange_rates",
    sa.column("id", sa.Integer()),
    sa.column("currency", sa.String()),
    sa.column("usd_per_unit", sa.String()),
    sa.column("as_of", sa.Date()),
    sa.column("as_of_precision", sa.String()),
    sa.column("quote", sa.Text()),
    sa.column("notes", sa.Text()),
    sa.column("external_ref", sa.String()),
    sa.column("source_id", sa.Integer()),
)
_SOURCES = sa.table("sources", sa.column("id", sa.Integer()), sa.column("url", sa.String()))
_REVISIONS = sa.table(
    "exchange_rate_revisions",
    sa.column("rate_id", sa.Integer()),
    sa.column("number", sa.Integer()),
    sa.column("changed_by", sa.String()),
    sa.column("reason", sa.Text()),
    sa.column("previous_state", sa.JSON()),
    sa.column("new_state", sa.JSON()),
)


def _number_text(value: object) -> str:
    """Return a stored rate as the plain decimal text revisions keep (0.013, never 1.3E-2)."""
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def upgrade() -> None:
    """Add the quote, precision, notes and reference columns, and rate revisions (backfilled)."""
    with op.batch_alter_table("exchange_rates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("as_of_precision", sa.String(length=5), server_default="day", nullable=False)
        )
        batch_op.add_column(sa.Column("quote", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("notes", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("external_ref", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_exchange_rates_external_ref"), ["external_ref"]
        )
        batch_op.create_check_constraint("as_of_precision", "as_of_precision IN ('day', 'month')")
    if op.get_bind().dialect.name == "postgresql":
        # 12 decimal places for weak currencies; SQLite keeps the exact text (app.db.ExactDecimal).
        op.alter_column(
            "exchange_rates",
            "usd_per_unit",
            existing_type=sa.Numeric(28, 6),
            type_=sa.Numeric(28, 12),
            existing_nullable=False,
        )
    op.create_table(
        "exchange_rate_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rate_id", sa.Integer(), nullable=False),
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
            ["rate_id"],
            ["exchange_rates.id"],
            name=op.f("fk_exchange_rate_revisions_rate_id_exchange_rates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rate_revisions")),
        sa.UniqueConstraint("rate_id", "number", name="rate_number"),
    )
    with op.batch_alter_table("exchange_rate_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_rate_revisions_rate_id"), ["rate_id"], unique=False
        )
    connection = op.get_bind()
    stored = connection.execute(
        sa.select(_RATES, _SOURCES.c.url)
        .join(_SOURCES, _SOURCES.c.id == _RATES.c.source_id)
        .order_by(_RATES.c.id)
    ).mappings()
    revisions = [
        {
            "rate_id": row["id"],
            "number": 1,
            "changed_by": "migration",
            "reason": "stored before rates kept revisions",
            "previous_state": None,
            "new_state": {
                "currency": row["currency"],
                "usd_per_unit": _number_text(row["usd_per_unit"]),
                "as_of": row["as_of"].isoformat(),
                "as_of_precision": row["as_of_precision"],
                "quote": row["quote"],
                "notes": row["notes"],
                "external_ref": row["external_ref"],
                "source_id": row["source_id"],
                "source_url": row["url"],
            },
        }
        for row in stored
    ]
    if revisions:
        op.bulk_insert(_REVISIONS, revisions)


def downgrade() -> None:
    """Drop rate revisions and the new columns (the quotes and notes are lost; on PostgreSQL,
    rates are rounded to 6 decimal places again)."""
    with op.batch_alter_table("exchange_rate_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_rate_revisions_rate_id"))
    op.drop_table("exchange_rate_revisions")
    with op.batch_alter_table("exchange_rates", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_exchange_rates_as_of_precision"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_exchange_rates_external_ref"), type_="unique")
        batch_op.drop_column("external_ref")
        batch_op.drop_column("notes")
        batch_op.drop_column("quote")
        batch_op.drop_column("as_of_precision")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "exchange_rates",
            "usd_per_unit",
            existing_type=sa.Numeric(28, 12),
            type_=sa.Numeric(28, 6),
            existing_nullable=False,
        )
