"""The moderation queue and the moderators' actions; every route here needs a logged-in moderator."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.domain.figures import FigureStatus
from app.domain.moderation import (
    ModerationAction,
    SubmissionStatus,
    TransitionError,
    check_reason,
    figure_status_after,
    submission_status_after,
)
from app.models import Figure, Moderator, Submission
from app.queries.figures import figure_state, to_record
from app.web.auth import ModeratorDep, require_moderator
from app.web.deps import SessionDep
from app.web.figure_form import figure_values, form_choices, parse_figure, values_from_record
from app.web.forms import CSRF_FIELD, CheckedForm, csrf_token
from app.web.templating import render

router = APIRouter(prefix="/review", dependencies=[Depends(require_moderator)])


def _identifier(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else 0


def _submission_or_404(session: Session, submission_id: str) -> Submission:
    submission = queries.get_submission(session, _identifier(submission_id))
    if submission is None:
        raise HTTPException(404, "No such submission.")
    return submission


def _figure_or_404(session: Session, figure_id: str) -> Figure:
    figure = queries.figure_for_update(session, _identifier(figure_id))
    if figure is None:
        raise HTTPException(404, "No such figure.")
    return figure


def _common(request: Request, moderator: Moderator) -> dict[str, Any]:
    return {"moderator": moderator, "csrf_token": csrf_token(request), "csrf_field": CSRF_FIELD}


def _queue_entry(session: Session, submission: Submission) -> dict[str, Any]:
    figure = submission.figure
    return {
        "submission": submission,
        "record": to_record(figure),
        "duplicates": [to_record(f) for f in queries.possible_duplicates(session, figure)],
        "existing": queries.figures_like(
            session,
            area_code=figure.area_code,
            metric_slug=figure.metric_slug,
            statuses=(FigureStatus.PUBLISHED,),
            exclude_id=figure.id,
        ),
    }


@router.get("", name="review_queue")
def queue(request: Request, moderator: ModeratorDep, session: SessionDep) -> Response:
    """Pending submissions, oldest first, each with its possible duplicates and the figures beside it."""
    entries = [_queue_entry(session, s) for s in queries.pending_submissions(session)]
    return render(request, "review_queue.html", {**_common(request, moderator), "entries": entries})


def _submission_page(
    request: Request,
    moderator: Moderator,
    session: Session,
    submission: Submission,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    status: int = 200,
) -> Response:
    entry = _queue_entry(session, submission)
    context = {
        **_common(request, moderator),
        **entry,
        "values": values or values_from_record(entry["record"]),
        "errors": errors or {},
        "message": message,
        "choices": form_choices(session),
        "revisions": queries.revisions_of(session, submission.figure_id),
    }
    return render(request, "review_submission.html", context, status_code=status)


@router.get("/submissions/{submission_id}", name="review_submission")
def submission_page(
    request: Request, submission_id: str, moderator: ModeratorDep, session: SessionDep
) -> Response:
    """One submission: its figure as an editable form, duplicates, figures beside it, decisions."""
    submission = _submission_or_404(session, submission_id)
    return _submission_page(request, moderator, session, submission)


def _decision_refused(
    request: Request, moderator: Moderator, session: Session, submission: Submission, message: str
) -> Response:
    return _submission_page(request, moderator, session, submission, message=message, status=409)


@router.post("/submissions/{submission_id}/approve")
def approve(
    request: Request,
    submission_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Publish a submission's figure, after applying the moderator's edits if any were sent."""
    submission = _submission_or_404(session, submission_id)
    figure = _figure_or_404(session, str(submission.figure_id))
    edited = form.get("edited") == "1"
    reason = form.get("reason")
    figure_in = None
    if edited:
        figure_in, errors = parse_figure(session, figure_values(form.fields))
        if figure_in is None:
            values = figure_values(form.fields)
            return _submission_page(
                request, moderator, session, submission, values, errors, "Fix the edits first.", 400
            )
    try:
        submission_status_after(ModerationAction.APPROVE, SubmissionStatus(submission.status))
        figure_status_after(ModerationAction.APPROVE, FigureStatus(figure.status))
        reason = check_reason(ModerationAction.APPROVE, reason)
    except (TransitionError, ValueError) as error:
        return _decision_refused(request, moderator, session, submission, str(error))
    now = datetime.now(UTC)
    if not queries.claim_submission_decision(
        session,
        submission.id,
        SubmissionStatus.APPROVED,
        decided_by=moderator.username,
        reason=reason,
        decided_at=now,
    ):
        return _decision_refused(
            request,
            moderator,
            session,
            submission,
            "Another moderator decided this submission first.",
        )
    before = figure_state(figure)
    if figure_in is not None:
        queries.edit_figure(
            session,
            figure,
            figure_in,
            changed_by=moderator.username,
            reason=f"edited before approval{': ' + reason if reason else ''}",
        )
    queries.set_figure_status(
        session,
        figure,
        FigureStatus.PUBLISHED,
        changed_by=moderator.username,
        reason=f"approved submission #{submission.id}{': ' + reason if reason else ''}",
    )
    queries.record_audit(
        session,
        actor=moderator.username,
        action=ModerationAction.APPROVE.value,
        object_type="submission",
        object_id=submission.id,
        before=before,
        after=figure_state(figure),
        reason=reason,
    )
    return RedirectResponse("/review", status_code=303)


@router.post("/submissions/{submission_id}/reject")
def reject(
    request: Request,
    submission_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Reject a submission with a reason; it and its figure stay stored, never public."""
    submission = _submission_or_404(session, submission_id)
    figure = _figure_or_404(session, str(submission.figure_id))
    try:
        submission_status_after(ModerationAction.REJECT, SubmissionStatus(submission.status))
        figure_status_after(ModerationAction.REJECT, FigureStatus(figure.status))
        reason = check_reason(ModerationAction.REJECT, form.get("reason"))
    except (TransitionError, ValueError) as error:
        return _decision_refused(request, moderator, session, submission, str(error))
    if not queries.claim_submission_decision(
        session,
        submission.id,
        SubmissionStatus.REJECTED,
        decided_by=moderator.username,
        reason=reason,
        decided_at=datetime.now(UTC),
    ):
        return _decision_refused(
            request,
            moderator,
            session,
            submission,
            "Another moderator decided this submission first.",
        )
    before = figure_state(figure)
    queries.set_figure_status(
        session,
        figure,
        FigureStatus.REJECTED,
        changed_by=moderator.username,
        reason=f"rejected submission #{submission.id}: {reason}",
    )
    queries.record_audit(
        session,
        actor=moderator.username,
        action=ModerationAction.REJECT.value,
        object_type="submission",
        object_id=submission.id,
        before=before,
        after=figure_state(figure),
        reason=reason,
    )
    return RedirectResponse("/review", status_code=303)


def _figure_page(
    request: Request,
    moderator: Moderator,
    session: Session,
    figure: Figure,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    status: int = 200,
) -> Response:
    record = to_record(figure)
    context = {
        **_common(request, moderator),
        "record": record,
        "values": values or values_from_record(record),
        "errors": errors or {},
        "message": message,
        "choices": form_choices(session),
        "revisions": queries.revisions_of(session, figure.id),
        "audit": queries.audit_events_for(session, "figure", figure.id),
    }
    return render(request, "review_figure.html", context, status_code=status)


@router.get("/figures/{figure_id}", name="review_figure")
def figure_page(
    request: Request, figure_id: str, moderator: ModeratorDep, session: SessionDep
) -> Response:
    """A figure's edit form, with retract or reinstate, its revisions and its audit trail."""
    return _figure_page(request, moderator, session, _figure_or_404(session, figure_id))


@router.post("/figures/{figure_id}/edit")
def edit(
    request: Request,
    figure_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Change a figure's fields, with a reason; a revision keeps the previous state."""
    figure = _figure_or_404(session, figure_id)
    values = figure_values(form.fields)
    figure_in, errors = parse_figure(session, values)
    try:
        figure_status_after(ModerationAction.EDIT, FigureStatus(figure.status))
        reason = check_reason(ModerationAction.EDIT, form.get("reason"))
    except TransitionError as error:
        return _figure_page(request, moderator, session, figure, values, errors, str(error), 409)
    except ValueError as error:
        errors["reason"] = str(error)
    if figure_in is None or errors:
        return _figure_page(
            request, moderator, session, figure, values, errors, "Fix the fields first.", 400
        )
    before = figure_state(figure)
    revision = queries.edit_figure(
        session, figure, figure_in, changed_by=moderator.username, reason=reason
    )
    if revision is None:
        return _figure_page(
            request, moderator, session, figure, values, {}, "Nothing changed.", 200
        )
    queries.record_audit(
        session,
        actor=moderator.username,
        action=ModerationAction.EDIT.value,
        object_type="figure",
        object_id=figure.id,
        before=before,
        after=figure_state(figure),
        reason=reason,
    )
    return RedirectResponse(f"/review/figures/{figure.id}", status_code=303)


def _change_status(
    request: Request,
    figure_id: str,
    form: CheckedForm,
    moderator: Moderator,
    session: Session,
    action: ModerationAction,
) -> Response:
    figure = _figure_or_404(session, figure_id)
    try:
        target = figure_status_after(action, FigureStatus(figure.status))
        reason = check_reason(action, form.get("reason"))
    except TransitionError as error:
        return _figure_page(request, moderator, session, figure, message=str(error), status=409)
    except ValueError as error:
        return _figure_page(
            request, moderator, session, figure, errors={"reason": str(error)}, status=400
        )
    before = figure_state(figure)
    queries.set_figure_status(
        session, figure, target, changed_by=moderator.username, reason=f"{action.value}: {reason}"
    )
    queries.record_audit(
        session,
        actor=moderator.username,
        action=action.value,
        object_type="figure",
        object_id=figure.id,
        before=before,
        after=figure_state(figure),
        reason=reason,
    )
    return RedirectResponse(f"/review/figures/{figure.id}", status_code=303)


@router.post("/figures/{figure_id}/retract")
def retract(
    request: Request,
    figure_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Hide a published figure from public comparisons, with a reason; it and its history stay."""
    return _change_status(request, figure_id, form, moderator, session, ModerationAction.RETRACT)


@router.post("/figures/{figure_id}/reinstate")
def reinstate(
    request: Request,
    figure_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Publish a retracted figure again, with a reason."""
    return _change_status(request, figure_id, form, moderator, session, ModerationAction.REINSTATE)
