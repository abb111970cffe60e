"""The moderation state machine: which decisions move a submission or a figure to which status."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from app.domain.figures import FigureStatus


class SubmissionStatus(StrEnum):
    """Where a public submission stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ModerationAction(StrEnum):
    """What a moderator (or an import) does to a figure or a submission."""

    APPROVE = "approve"
    REJECT = "reject"
    EDIT = "edit"
    RETRACT = "retract"
    REINSTATE = "reinstate"
    PUBLISH_IMPORT = "publish_import"
    REDACT = "redact"


class TransitionError(ValueError):
    """A decision that the object's current status does not allow."""


FIGURE_TRANSITIONS: dict[ModerationAction, dict[FigureStatus, FigureStatus]] = {
    ModerationAction.APPROVE: {FigureStatus.PENDING: FigureStatus.PUBLISHED},
    ModerationAction.REJECT: {FigureStatus.PENDING: FigureStatus.REJECTED},
    ModerationAction.RETRACT: {FigureStatus.PUBLISHED: FigureStatus.RETRACTED},
    ModerationAction.REINSTATE: {FigureStatus.RETRACTED: FigureStatus.PUBLISHED},
    ModerationAction.EDIT: {
        FigureStatus.PENDING: FigureStatus.PENDING,
        FigureStatus.PUBLISHED: FigureStatus.PUBLISHED,
    },
    ModerationAction.PUBLISH_IMPORT: {FigureStatus.PENDING: FigureStatus.PUBLISHED},
    # Withholding a past value from the public history changes no figure's status.
    ModerationAction.REDACT: {status: status for status in FigureStatus},
}

SUBMISSION_DECISIONS: dict[ModerationAction, SubmissionStatus] = {
    ModerationAction.APPROVE: SubmissionStatus.APPROVED,
    ModerationAction.REJECT: SubmissionStatus.REJECTED,
}

REASON_REQUIRED = frozenset(
    {
        ModerationAction.REJECT,
        ModerationAction.EDIT,
        ModerationAction.RETRACT,
        ModerationAction.REINSTATE,
        ModerationAction.REDACT,
    }
)


def figure_status_after(action: ModerationAction, current: FigureStatus) -> FigureStatus:
    """Return the figure's status after the action, or raise TransitionError if not allowed."""
    allowed = FIGURE_TRANSITIONS[action]
    if current not in allowed:
        raise TransitionError(f"a {current.value} figure cannot be given '{action.value}'")
    return allowed[current]


def submission_status_after(
    action: ModerationAction, current: SubmissionStatus
) -> SubmissionStatus:
    """Return the submission's status after a decision, or raise TransitionError if decided already."""
    if current is not SubmissionStatus.PENDING:
        raise TransitionError(f"this submission was already {current.value}")
    if action not in SUBMISSION_DECISIONS:
        raise TransitionError(f"'{action.value}' is not a decision on a submission")
    return SUBMISSION_DECISIONS[action]


def check_reason(action: ModerationAction, reason: str) -> str:
    """Return the trimmed reason, raising ValueError when the action needs one and it is empty."""
    text = reason.strip()
    if action in REASON_REQUIRED and not text:
        raise ValueError(f"give a reason to {action.value}")
    if len(text) > 2000:
        raise ValueError("the reason is too long (2,000 characters at most)")
    if any(
        unicodedata.category(character) == "Cc" and character not in "\n\r\t" for character in text
    ):
        raise ValueError("the reason contains a control character")
    return text
