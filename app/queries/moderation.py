"""Moderation decisions: each checks the state machine, writes the figure's revision and an audit
event, in the caller's transaction. Flush, never commit."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.domain.figures import FigureStatus
from app.domain.moderation import (
    ModerationAction,
    SubmissionStatus,
    TransitionError,
    check_reason,
    figure_status_after,
    submission_status_after,
)
from app.figure_input import FigureIn
from app.models import Figure, Submission
from app.queries.audit import record_audit
from app.queries.figures import edit_figure, figure_state, set_figure_status
from app.queries.submissions import claim_submission_decision

PAST_TENSE = {ModerationAction.APPROVE: "approved", ModerationAction.REJECT: "rejected"}


def decide_submission(
    session: Session,
    *,
    submission: Submission,
    figure: Figure,
    action: ModerationAction,
    moderator: str,
    reason: str,
    edited: FigureIn | None = None,
) -> None:
    """Approve or reject a pending submission (after optional edits to its figure).

    Raises TransitionError when the decision is not allowed or another moderator decided first,
    and ValueError when the reason is missing or too long.
    """
    decided = submission_status_after(action, SubmissionStatus(submission.status))
    target = figure_status_after(action, FigureStatus(figure.status))
    reason = check_reason(action, reason)
    if not claim_submission_decision(
        session,
        submission_id=submission.id,
        status=decided,
        decided_by=moderator,
        reason=reason,
        decided_at=datetime.now(UTC),
    ):
        raise TransitionError("Another moderator decided this submission first.")
    before = figure_state(figure)
    because = f": {reason}" if reason else ""
    if edited is not None:
        edit_figure(
            session,
            figure=figure,
            figure_in=edited,
            changed_by=moderator,
            reason=f"edited before approval{because}",
        )
    set_figure_status(
        session,
        figure=figure,
        status=target,
        changed_by=moderator,
        reason=f"{PAST_TENSE[action]} submission #{submission.id}{because}",
    )
    record_audit(
        session,
        actor=moderator,
        action=action.value,
        object_type="submission",
        object_id=submission.id,
        before=before,
        after=figure_state(figure),
        reason=reason,
    )


def change_figure(
    session: Session,
    *,
    figure: Figure,
    action: ModerationAction,
    moderator: str,
    reason: str,
    edited: FigureIn | None = None,
) -> bool:
    """Edit, retract or reinstate a figure with a reason; return False when an edit changed nothing.

    Raises TransitionError when the figure's status does not allow the action, ValueError when
    the reason is missing or too long.
    """
    target = figure_status_after(action, FigureStatus(figure.status))
    reason = check_reason(action, reason)
    before = figure_state(figure)
    if action is ModerationAction.EDIT:
        assert edited is not None
        if (
            edit_figure(
                session, figure=figure, figure_in=edited, changed_by=moderator, reason=reason
            )
            is None
        ):
            return False
    else:
        set_figure_status(
            session,
            figure=figure,
            status=target,
            changed_by=moderator,
            reason=f"{action.value}: {reason}",
        )
    record_audit(
        session,
        actor=moderator,
        action=action.value,
        object_type="figure",
        object_id=figure.id,
        before=before,
        after=figure_state(figure),
        reason=reason,
    )
    return True
