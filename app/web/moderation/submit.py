"""The public submission form and each submission's status page."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.domain.figures import FigureStatus
from app.figure_input import clean_text
from app.secret_key import new_token, token_hash
from app.web import urls
from app.web.deps import PrimarySessionDep, app_state
from app.web.http.clients import client_key
from app.web.http.forms import CSRF_FIELD, FORGED, RawForm, csrf_token
from app.web.moderation.figure_form import figure_values, form_choices, parse_figure
from app.web.templating import render

router = APIRouter()
HONEYPOT_FIELD = "website"
SUBMITTER_FIELDS = ("submitter_name", "submitter_contact")
RATE_WINDOW_SECONDS = 3600


def _existing(session: Session, area: str, metric: str) -> list[object]:
    if not area or not metric:
        return []
    known = queries.validation_context(session)
    if area not in known["areas"] or metric not in known["metrics"]:
        return []
    return list(
        queries.figures_like(
            session, area_code=area, metric_slug=metric, statuses=(FigureStatus.PUBLISHED,)
        )
    )


def _form_page(
    request: Request,
    session: Session,
    values: dict[str, str],
    errors: dict[str, str],
    status: int,
    message: str = "",
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "message": message,
        "choices": form_choices(session),
        "existing": _existing(session, values.get("area", ""), values.get("metric", "")),
        "csrf_token": csrf_token(request),
        "csrf_field": CSRF_FIELD,
        "honeypot_field": HONEYPOT_FIELD,
    }
    return render(request, "submit.html", context, status_code=status)


@router.get("/submit", name="submit")
def submit_form(
    request: Request, session: PrimarySessionDep, area: str = "", metric: str = ""
) -> Response:
    """The empty form; choosing an area and a metric first lists the figures already published."""
    values = {"area": area[:40], "metric": metric[:40]}
    return _form_page(request, session, values, {}, 200)


@router.post("/submit")
def submit(request: Request, form: RawForm, session: PrimarySessionDep) -> Response:
    """Store a valid submission (pending review) and go to its status page; else show what is wrong."""
    values = {**figure_values(form.fields), **{name: form.get(name) for name in SUBMITTER_FIELDS}}
    if not form.trusted:
        return _form_page(
            request, session, values, {}, 403, FORGED + " Check it and send it again."
        )
    if form.get(HONEYPOT_FIELD):
        return _form_page(
            request, session, values, {}, 400, "Leave the field headed 'Leave empty' empty."
        )
    figure, errors = parse_figure(session, figure_values(form.fields))
    submitter: dict[str, str] = {}
    for name in SUBMITTER_FIELDS:
        try:
            submitter[name] = clean_text(form.get(name), name)
        except ValueError as error:
            errors[name] = str(error)
    if figure is None or errors:
        return _form_page(request, session, values, errors, 400, "Some fields need another look.")
    settings = app_state(request).settings
    client = client_key(request)
    now = datetime.now(UTC)
    # Taking the hit and reading the count is one statement: concurrent posts cannot all pass.
    if (
        queries.take_hit(
            session, bucket="submit", key_hash=client, window_seconds=RATE_WINDOW_SECONDS, now=now
        )
        > settings.submissions_per_hour
    ):
        queries.give_back_hit(
            session, bucket="submit", key_hash=client, window_seconds=RATE_WINDOW_SECONDS, now=now
        )
        message = (
            f"You have sent {settings.submissions_per_hour} submissions in the last hour, the most "
            "we accept from one address. Your text is kept below: send it again later."
        )
        return _form_page(request, session, values, {}, 429, message)
    token = new_token()
    queries.add_submission(
        session,
        figure,
        token_hash=token_hash(token),
        raw_body=form.raw,
        fields={name: value for name, value in form.fields.items() if name != CSRF_FIELD},
        submitter_name=submitter["submitter_name"],
        submitter_contact=submitter["submitter_contact"],
        client_key=client,
        received_at=now,
    )
    return RedirectResponse(urls.submission_status(token), status_code=303)


@router.get("/submissions/{token}", name="submission_status")
def submission_status(request: Request, token: str, session: PrimarySessionDep) -> Response:
    """A submission's status, for whoever holds its unguessable link."""
    submission = queries.submission_by_token_hash(session, token_hash(token[:100]))
    if submission is None:
        raise HTTPException(404, "No submission at this address.")
    context = {"submission": submission, "record": queries.record_of(session, submission.figure_id)}
    return render(request, "submission_status.html", context)
