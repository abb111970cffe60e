"""The moderation state machine."""

from __future__ import annotations

import pytest

from app.domain.figures import FigureStatus
from app.domain.moderation import (
    FIGURE_TRANSITIONS,
    ModerationAction,
    SubmissionStatus,
    TransitionError,
    check_reason,
    figure_status_after,
    submission_status_after,
)

ALLOWED = {
    (action, before): after
    for action, moves in FIGURE_TRANSITIONS.items()
    for before, after in moves.items()
}


@pytest.mark.parametrize("action", list(ModerationAction))
@pytest.mark.parametrize("status", list(FigureStatus))
def test_every_figure_transition_is_allowed_or_refused(
    action: ModerationAction, status: FigureStatus
) -> None:
    if (action, status) in ALLOWED:
        assert figure_status_after(action, status) is ALLOWED[(action, status)]
    else:
        with pytest.raises(TransitionError):
            figure_status_after(action, status)


def test_the_expected_moves() -> None:
    assert (
        figure_status_after(ModerationAction.APPROVE, FigureStatus.PENDING)
        is FigureStatus.PUBLISHED
    )
    assert (
        figure_status_after(ModerationAction.RETRACT, FigureStatus.PUBLISHED)
        is FigureStatus.RETRACTED
    )
    with pytest.raises(TransitionError):
        figure_status_after(ModerationAction.APPROVE, FigureStatus.REJECTED)
    with pytest.raises(TransitionError):
        figure_status_after(ModerationAction.EDIT, FigureStatus.RETRACTED)


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (ModerationAction.APPROVE, SubmissionStatus.APPROVED),
        (ModerationAction.REJECT, SubmissionStatus.REJECTED),
    ],
)
def test_a_pending_submission_is_decided_once(
    action: ModerationAction, expected: SubmissionStatus
) -> None:
    assert submission_status_after(action, SubmissionStatus.PENDING) is expected
    for decided in (SubmissionStatus.APPROVED, SubmissionStatus.REJECTED):
        with pytest.raises(TransitionError, match="already"):
            submission_status_after(action, decided)


def test_editing_is_not_a_decision_on_a_submission() -> None:
    with pytest.raises(TransitionError):
        submission_status_after(ModerationAction.EDIT, SubmissionStatus.PENDING)


@pytest.mark.parametrize(
    ("action", "reason", "ok"),
    [
        (ModerationAction.APPROVE, "", True),
        (ModerationAction.REJECT, "  ", False),
        (ModerationAction.REJECT, "no source", True),
        (ModerationAction.RETRACT, "", False),
        (ModerationAction.EDIT, "", False),
        (ModerationAction.REINSTATE, "", False),
        (ModerationAction.APPROVE, "x" * 2001, False),
    ],
)
def test_reasons(action: ModerationAction, reason: str, ok: bool) -> None:
    if ok:
        assert check_reason(action, reason) == reason.strip()
    else:
        with pytest.raises(ValueError):
            check_reason(action, reason)
