"""Public submissions: stored with their raw text and a pending figure; decided once. Flush, never commit."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from app.domain.figures import FigureStatus
from app.domain.moderation import SubmissionStatus
from app.domain.records import FigureRecord
from app.figure_input import FigureIn
from app.models import Figure, Source, Submission
from app.queries.figures import add_figure
from app.queries.records import records_where


def add_submission(
    session: Session,
    figure_in: FigureIn,
    *,
    token_hash: str,
    raw_body: str,
    fields: dict[str, Any],
    submitter_name: str,
    submitter_contact: str,
    client_key: str,
    received_at: datetime,
) -> Submission:
    """Store a submission as received, with its figure pending review; return it."""
    figure = add_figure(
        session,
        figure_in,
        status=FigureStatus.PENDING,
        changed_by="public submission",
        reason="submitted through the public form",
    )
    submission = Submission(
        token_hash=token_hash,
        status=SubmissionStatus.PENDING.value,
        received_at=received_at,
        raw_body=raw_body,
        fields=fields,
        submitter_name=submitter_name,
        submitter_contact=submitter_contact,
        client_key=client_key,
        figure=figure,
        decision_reason="",
    )
    session.add(submission)
    session.flush()
    return submission


def submission_by_token_hash(session: Session, token_hash: str) -> Submission | None:
    """Return the submission whose status-page token has this hash, or None."""
    query = (
        select(Submission)
        .options(joinedload(Submission.figure))
        .where(Submission.token_hash == token_hash)
    )
    return session.scalars(query).one_or_none()


def get_submission(session: Session, submission_id: int) -> Submission | None:
    """Return the submission with this id, or None."""
    return session.get(Submission, submission_id)


def pending_submissions(session: Session) -> list[Submission]:
    """Return the submissions awaiting review, oldest first."""
    query = (
        select(Submission)
        .options(joinedload(Submission.figure).joinedload(Figure.source))
        .where(Submission.status == SubmissionStatus.PENDING.value)
        .order_by(Submission.received_at, Submission.id)
    )
    return list(session.scalars(query))


def claim_submission_decision(
    session: Session,
    *,
    submission_id: int,
    status: SubmissionStatus,
    decided_by: str,
    reason: str,
    decided_at: datetime,
) -> bool:
    """Record a decision if the submission is still pending; False if someone decided first."""
    result = session.execute(
        update(Submission)
        .where(
            Submission.id == submission_id,
            Submission.status == SubmissionStatus.PENDING.value,
        )
        .values(
            status=status.value,
            decided_by=decided_by,
            decision_reason=reason,
            decided_at=decided_at,
        )
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def possible_duplicates(session: Session, figure: Figure) -> list[FigureRecord]:
    """Return published or pending figures with the same source URL, area, metric and numbers."""
    return records_where(
        session,
        Figure.id != figure.id,
        Source.url == figure.source.url,
        Figure.area_code == figure.area_code,
        Figure.metric_slug == figure.metric_slug,
        Figure.status.in_([FigureStatus.PUBLISHED.value, FigureStatus.PENDING.value]),
        _same_number(Figure.low, figure.low),
        _same_number(Figure.high, figure.high),
    )


def restated_figures(session: Session, figure_in: FigureIn) -> list[FigureRecord]:
    """Return published or pending figures that this one restates: the same area, metric, unit,
    currency and number, from the same kind of claimant, for the same date or period (or one of
    the two states none), whatever their sources."""
    candidates = records_where(
        session,
        Figure.area_code == figure_in.area,
        Figure.metric_slug == figure_in.metric,
        Figure.unit == figure_in.unit,
        Figure.currency.is_(None)
        if figure_in.currency is None
        else Figure.currency == figure_in.currency,
        Figure.bound == figure_in.checked_bound.value,
        Figure.claimant_kind == figure_in.claimant_kind.value,
        Figure.status.in_([FigureStatus.PUBLISHED.value, FigureStatus.PENDING.value]),
        _same_number(Figure.low, figure_in.low),
        _same_number(Figure.high, figure_in.high),
    )
    dates = (figure_in.as_of, figure_in.period_start, figure_in.period_end)
    return [
        record
        for record in candidates
        if not any(dates)
        or not any(theirs := (record.as_of, record.period_start, record.period_end))
        or theirs == dates
    ]


def _same_number(column: Any, value: Decimal | None) -> Any:
    if value is None:
        return column.is_(None)
    return column == value
