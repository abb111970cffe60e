"""Tables. Rows are never deleted: figures change through revisions and leave public view by status."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, ExactDecimal, ExactRate

PRECISIONS = "('day', 'month', 'year')"
BOUNDS = "('exact', 'approximate', 'at_least', 'at_most', 'range')"
STATUSES = "('pending', 'published', 'rejected', 'retracted')"
SOURCE_KINDS = "('original', 'official', 'reprint', 'wire', 'unknown')"


def _as_real(column: str) -> str:
    """Return SQL comparing a stored decimal as a number on both databases."""
    return f"CAST({column} AS DOUBLE PRECISION)"


class Area(Base):
    """A country of origin (ISO 3166-1 alpha-3) or a region with a slug."""

    __tablename__ = "areas"
    __table_args__ = (CheckConstraint("kind IN ('country', 'region')", name="kind"),)

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")


class Metric(Base):
    """One entry of the fixed metric vocabulary."""

    __tablename__ = "metrics"
    __table_args__ = (
        CheckConstraint("unit_kind IN ('count', 'money', 'duration')", name="unit_kind"),
    )

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    group: Mapped[str] = mapped_column("metric_group", String(20))
    unit_kind: Mapped[str] = mapped_column(String(10))
    definition: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class ClaimantKindRow(Base):
    """One claimant kind, with its label and chart colour."""

    __tablename__ = "claimant_kinds"

    slug: Mapped[str] = mapped_column(String(30), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    is_official: Mapped[bool] = mapped_column(Boolean)
    colour: Mapped[str] = mapped_column(String(7))
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class Source(Base):
    """A document a figure comes from: its provenance (kind, the original a copy reprints, damage).

    An accepted source is the public record of its URL (one per URL), set by moderators: a
    figure's publication, the seed, an import with --publish, or a moderator's edit. A pending
    figure cites a source of its own as claimed (not accepted); publishing the figure links it to
    its URL's record, or makes its claim the record when the URL has none.
    """

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(
            f"published_precision IS NULL OR published_precision IN {PRECISIONS}",
            name="published_precision",
        ),
        CheckConstraint(
            "(published IS NULL) = (published_precision IS NULL)", name="published_pair"
        ),
        CheckConstraint(f"kind IN {SOURCE_KINDS}", name="kind"),
        CheckConstraint(
            "kind IN ('reprint', 'wire') OR (original_publisher IS NULL AND original_url IS NULL)",
            name="original_only_for_copies",
        ),
        CheckConstraint(
            "kind NOT IN ('reprint', 'wire') OR original_publisher IS NOT NULL",
            name="copy_names_original",
        ),
        Index(
            "uq_sources_accepted_url",
            "url",
            unique=True,
            sqlite_where=text("accepted"),
            postgresql_where=text("accepted"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), index=True)
    publisher: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(500), default="")
    published: Mapped[date | None] = mapped_column(Date)
    published_precision: Mapped[str | None] = mapped_column(String(5))
    accessed: Mapped[date | None] = mapped_column(Date)
    archive_url: Mapped[str | None] = mapped_column(String(2000))
    kind: Mapped[str] = mapped_column(String(10), default="unknown", server_default="unknown")
    original_publisher: Mapped[str | None] = mapped_column(String(300))
    original_url: Mapped[str | None] = mapped_column(String(2000))
    text_damaged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    accepted: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    figures: Mapped[list[Figure]] = relationship(back_populates="source")
    revisions: Mapped[list[SourceRevision]] = relationship(
        back_populates="source", order_by="SourceRevision.number"
    )


class RevisionColumns:
    """The columns of an append-only revision: its number, who, when, why, before and after."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    changed_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    previous_state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new_state: Mapped[dict[str, Any]] = mapped_column(JSON)


class SourceRevision(RevisionColumns, Base):
    """An append-only record of one change to a source record: who, when, why, before and after."""

    __tablename__ = "source_revisions"
    __table_args__ = (UniqueConstraint("source_id", "number", name="source_number"),)

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)

    source: Mapped[Source] = relationship(back_populates="revisions")


class Figure(Base):
    """A claim: who says how many of what, where, when, from which source, in which words."""

    __tablename__ = "figures"
    __table_args__ = (
        CheckConstraint("low IS NOT NULL OR high IS NOT NULL", name="has_value"),
        CheckConstraint(
            f"(low IS NULL OR {_as_real('low')} >= 0) AND (high IS NULL OR {_as_real('high')} >= 0)",
            name="not_negative",
        ),
        CheckConstraint(f"bound IN {BOUNDS}", name="bound_kind"),
        CheckConstraint(
            "(bound = 'at_least' AND low IS NOT NULL AND high IS NULL)"
            " OR (bound = 'at_most' AND low IS NULL AND high IS NOT NULL)"
            f" OR (bound = 'range' AND low IS NOT NULL AND high IS NOT NULL"
            f" AND {_as_real('low')} < {_as_real('high')})"
            " OR (bound IN ('exact', 'approximate') AND low IS NOT NULL AND low = high)",
            name="bound_shape",
        ),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        CheckConstraint(
            f"as_of_precision IS NULL OR as_of_precision IN {PRECISIONS}", name="as_of_precision"
        ),
        CheckConstraint("(as_of IS NULL) = (as_of_precision IS NULL)", name="as_of_pair"),
        CheckConstraint(
            f"period_start_precision IS NULL OR period_start_precision IN {PRECISIONS}",
            name="period_start_precision",
        ),
        CheckConstraint(
            "(period_start IS NULL) = (period_start_precision IS NULL)", name="period_start_pair"
        ),
        CheckConstraint(
            f"period_end_precision IS NULL OR period_end_precision IN {PRECISIONS}",
            name="period_end_precision",
        ),
        CheckConstraint(
            "(period_end IS NULL) = (period_end_precision IS NULL)", name="period_end_pair"
        ),
        CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_start <= period_end",
            name="period_order",
        ),
        CheckConstraint("length(quote) > 0", name="quote_present"),
        CheckConstraint("repeats_id IS NULL OR repeats_id <> id", name="repeats_other"),
        Index("ix_figures_area_metric_status", "area_code", "metric_slug", "status"),
        Index("ix_figures_metric_status", "metric_slug", "status"),
        Index("ix_figures_source_status", "source_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    metric_slug: Mapped[str] = mapped_column(ForeignKey("metrics.slug"))
    low: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    high: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    bound: Mapped[str] = mapped_column(String(12))
    qualifier: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str | None] = mapped_column(String(3))
    counted_as: Mapped[str] = mapped_column(String(300), default="")
    as_of: Mapped[date | None] = mapped_column(Date)
    as_of_precision: Mapped[str | None] = mapped_column(String(5))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_start_precision: Mapped[str | None] = mapped_column(String(5))
    period_end: Mapped[date | None] = mapped_column(Date)
    period_end_precision: Mapped[str | None] = mapped_column(String(5))
    claimant: Mapped[str] = mapped_column(String(500))
    claimant_kind: Mapped[str] = mapped_column(ForeignKey("claimant_kinds.slug"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    quote: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    external_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    repeats_id: Mapped[int | None] = mapped_column(ForeignKey("figures.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    area: Mapped[Area] = relationship()
    metric: Mapped[Metric] = relationship()
    source: Mapped[Source] = relationship(back_populates="figures")
    revisions: Mapped[list[FigureRevision]] = relationship(
        back_populates="figure", order_by="FigureRevision.number"
    )


class FigureRevision(RevisionColumns, Base):
    """An append-only record of one change to a figure: who, when, why, the state before and after."""

    __tablename__ = "figure_revisions"
    __table_args__ = (UniqueConstraint("figure_id", "number", name="figure_number"),)

    figure_id: Mapped[int] = mapped_column(ForeignKey("figures.id"), index=True)

    figure: Mapped[Figure] = relationship(back_populates="revisions")


class ExchangeRate(Base):
    """A currency's value in USD on a date, as a cited source states it, in the source's words.

    A month-precision rate (a source dated only to its month) is stored on the month's first day.
    Rates change only through moderators' edits, each of which writes a revision.
    """

    __tablename__ = "exchange_rates"
    __table_args__ = (
        UniqueConstraint("currency", "as_of", "source_id", name="currency_date_source"),
        CheckConstraint(f"{_as_real('usd_per_unit')} > 0", name="positive"),
        CheckConstraint("as_of_precision IN ('day', 'month')", name="as_of_precision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    usd_per_unit: Mapped[Decimal] = mapped_column(ExactRate)
    as_of: Mapped[date] = mapped_column(Date)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    as_of_precision: Mapped[str] = mapped_column(String(5), default="day", server_default="day")
    quote: Mapped[str] = mapped_column(Text, default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    external_ref: Mapped[str | None] = mapped_column(String(100), unique=True)

    source: Mapped[Source] = relationship()
    revisions: Mapped[list[ExchangeRateRevision]] = relationship(
        back_populates="rate", order_by="ExchangeRateRevision.number"
    )


class ExchangeRateRevision(RevisionColumns, Base):
    """An append-only record of one change to an exchange rate: who, when, why, before and after."""

    __tablename__ = "exchange_rate_revisions"
    __table_args__ = (UniqueConstraint("rate_id", "number", name="rate_number"),)

    rate_id: Mapped[int] = mapped_column(ForeignKey("exchange_rates.id"), index=True)

    rate: Mapped[ExchangeRate] = relationship(back_populates="revisions")


class TimelineEvent(Base):
    """A dated event in an area's story (a policy change, a law), with its source."""

    __tablename__ = "timeline_events"
    __table_args__ = (CheckConstraint(f"date_precision IN {PRECISIONS}", name="date_precision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    external_ref: Mapped[str | None] = mapped_column(String(100), unique=True)

    source: Mapped[Source] = relationship()


class Submission(Base):
    """A figure sent through the public form: its raw text as received and the moderators' decision."""

    __tablename__ = "submissions"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        Index("ix_submissions_status_received", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    raw_body: Mapped[str] = mapped_column(Text)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitter_name: Mapped[str] = mapped_column(String(200), default="")
    submitter_contact: Mapped[str] = mapped_column(String(300), default="")
    client_key: Mapped[str] = mapped_column(String(64))
    figure_id: Mapped[int] = mapped_column(ForeignKey("figures.id"), unique=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    figure: Mapped[Figure] = relationship()


class AuditEvent(Base):
    """An append-only record of a moderation action: who, what, on which object, before and after."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")


class RevisionRedaction(Base):
    """A field of a past revision withheld from the public history, by whom, when and why; the
    revision itself stays as it was, for moderators."""

    __tablename__ = "revision_redactions"
    __table_args__ = (UniqueConstraint("revision_id", "field", name="revision_field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("figure_revisions.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    redacted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    redacted_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)


# The access tables live in their own module; importing app.models registers them too.
from app.access_models import LoginSession as LoginSession  # noqa: E402
from app.access_models import Moderator as Moderator  # noqa: E402
from app.access_models import RateLimitWindow as RateLimitWindow  # noqa: E402
from app.summary_models import AreaMetricChart as AreaMetricChart  # noqa: E402
from app.summary_models import AreaMetricSummary as AreaMetricSummary  # noqa: E402
