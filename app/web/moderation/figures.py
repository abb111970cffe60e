"""The moderation queue and the moderators' actions; every route here needs a logged-in moderator."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.domain.figures import FigureStatus, parse_identifier
from app.domain.moderation import (
    ModerationAction,
    TransitionError,
)
from app.domain.privacy import privacy_warnings
from app.domain.records import entered_values
from app.figure_input import FigureIn
from app.models import Figure, Moderator, Submission
from app.web import urls
from app.web.deps import SessionDep
from app.web.http.forms import CheckedForm, moderator_page
from app.web.moderation.figure_form import figure_values, form_choices, parse_figure
from app.web.moderation.login import ModeratorDep, require_moderator
from app.web.moderation.notices import done_notice, redirect_done
from app.web.templating import render

router = APIRouter(prefix="/review", dependencies=[Depends(require_moderator)])


def _submission_or_404(session: Session, submission_id: str) -> Submission:
    submission = queries.get_submission(session, parse_identifier(submission_id))
    if submission is None:
        raise HTTPException(404, "No such submission.")
    return submission


def _figure_or_404(session: Session, figure_id: str) -> Figure:
    figure = queries.figure_for_update(session, parse_identifier(figure_id))
    if figure is None:
        raise HTTPException(404, "No such figure.")
    return figure


def _queue_entry(session: Session, submission: Submission) -> dict[str, Any]:
    figure = submission.figure
    return {
        "submission": submission,
        "source_record": queries.accepted_source(session, figure.source.url),
        "claims": queries.publisher_claims(session, figure.source.url),
        "record": queries.record_of(session, figure.id),
        "duplicates": queries.possible_duplicates(session, figure),
        "privacy": privacy_warnings({"quote": figure.quote, "notes": figure.notes}),
        "existing": queries.figures_like(
            session,
            area_code=figure.area_code,
            metric_slug=figure.metric_slug,
            statuses=(FigureStatus.PUBLISHED,),
            exclude_id=figure.id,
        ),
    }


@router.get("", name="moderation_queue")
def queue(request: Request, moderator: ModeratorDep, session: SessionDep) -> Response:
    """Pending submissions, oldest first, each with its possible duplicates and the figures beside it."""
    entries = [_queue_entry(session, s) for s in queries.pending_submissions(session)]
    return render(
        request,
        "moderation_queue.html",
        {**moderator_page(request, moderator), "notice": done_notice(request), "entries": entries},
    )


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
        **moderator_page(request, moderator),
        "notice": done_notice(request),
        **entry,
        "values": values or entered_values(entry["record"]),
        "errors": errors or {},
        "message": message,
        "choices": form_choices(session),
        "revisions": queries.moderator_revisions(session, submission.figure_id),
    }
    return render(request, "moderation_submission.html", context, status_code=status)


@router.get("/submissions/{submission_id}", name="moderation_submission")
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


def _decide(
    request: Request,
    submission_id: str,
    form: CheckedForm,
    moderator: Moderator,
    session: Session,
    action: ModerationAction,
) -> Response:
    submission = _submission_or_404(session, submission_id)
    figure = _figure_or_404(session, str(submission.figure_id))
    edited = None
    if action is ModerationAction.APPROVE and form.get("edited") == "1":
        values = figure_values(form.fields)
        edited, errors = parse_figure(session, values)
        if edited is None:
            message = "Fix the edits first."
            return _submission_page(
                request, moderator, session, submission, values, errors, message, 400
            )
    try:
        queries.decide_submission(
            session,
            submission=submission,
            figure=figure,
            action=action,
            moderator=moderator.username,
            reason=form.get("reason"),
            edited=edited,
        )
    except (TransitionError, ValueError) as error:
        return _decision_refused(request, moderator, session, submission, str(error))
    return redirect_done("/review", action.value, figure.id)


@router.post("/submissions/{submission_id}/approve")
def approve(
    request: Request,
    submission_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Publish a submission's figure, after applying the moderator's edits if any were sent."""
    return _decide(request, submission_id, form, moderator, session, ModerationAction.APPROVE)


@router.post("/submissions/{submission_id}/reject")
def reject(
    request: Request,
    submission_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Reject a submission with a reason; it and its figure stay stored, never public."""
    return _decide(request, submission_id, form, moderator, session, ModerationAction.REJECT)


def _figure_page(
    request: Request,
    moderator: Moderator,
    session: Session,
    figure: Figure,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    status: int = 200,
    redaction: dict[str, str] | None = None,
) -> Response:
    record = queries.record_of(session, figure.id)
    assert record is not None
    context = {
        **moderator_page(request, moderator),
        "notice": done_notice(request),
        "record": record,
        "privacy": privacy_warnings({"quote": record.quote, "notes": record.notes}),
        "values": values or entered_values(record),
        "errors": errors or {},
        "message": message,
        "choices": form_choices(session),
        "revisions": queries.moderator_revisions(session, figure.id),
        "redactable": sorted(queries.figure_state(figure)),
        "redaction": redaction or {},
        "audit": queries.audit_events_for(session, object_type="figure", object_id=figure.id),
    }
    return render(request, "moderation_figure.html", context, status_code=status)


@router.get("/figures/{figure_id}", name="moderation_figure")
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
    edited, errors = parse_figure(session, values)
    if edited is None:
        message = "Fix the fields first."
        return _figure_page(request, moderator, session, figure, values, errors, message, 400)
    return _change(request, figure, form, moderator, session, ModerationAction.EDIT, edited, values)


def _change(
    request: Request,
    figure: Figure,
    form: CheckedForm,
    moderator: Moderator,
    session: Session,
    action: ModerationAction,
    edited: FigureIn | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    try:
        changed = queries.change_figure(
            session,
            figure=figure,
            action=action,
            moderator=moderator.username,
            reason=form.get("reason"),
            edited=edited,
        )
    except (TransitionError, queries.SourceRecordDiffers) as error:
        return _figure_page(request, moderator, session, figure, values, {}, str(error), 409)
    except ValueError as error:
        errors = {"reason": str(error)}
        return _figure_page(request, moderator, session, figure, values, errors, "", 400)
    if not changed:
        return _figure_page(request, moderator, session, figure, values, {}, "Nothing changed.")
    return redirect_done(urls.moderation_figure(figure.id), action.value)


@router.post("/figures/{figure_id}/retract")
def retract(
    request: Request,
    figure_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Hide a published figure from public comparisons, with a reason; it and its history stay."""
    figure = _figure_or_404(session, figure_id)
    return _change(request, figure, form, moderator, session, ModerationAction.RETRACT)


@router.post("/figures/{figure_id}/reinstate")
def reinstate(
    request: Request,
    figure_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Publish a retracted figure again, with a reason."""
    figure = _figure_or_404(session, figure_id)
    return _change(request, figure, form, moderator, session, ModerationAction.REINSTATE)


@router.post("/figures/{figure_id}/redact")
def redact(
    request: Request,
    figure_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Withhold a field of a past revision from the public history, with a reason (audited)."""
    figure = _figure_or_404(session, figure_id)
    try:
        queries.redact_revision_field(
            session,
            figure=figure,
            number=parse_identifier(form.get("revision")),
            field=form.get("field"),
            moderator=moderator.username,
            reason=form.get("reason"),
        )
    except ValueError as error:
        errors = {"redact": str(error)}
        sent = {name: form.get(name) for name in ("revision", "field", "reason")}
        return _figure_page(request, moderator, session, figure, None, errors, "", 400, sent)
    return redirect_done(urls.moderation_figure(figure.id), ModerationAction.REDACT.value)
