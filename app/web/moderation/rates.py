"""Moderators' exchange-rate pages: every rate with an add form, and one rate's edit form with its
revisions and audit trail."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.domain.figure_spec import decimal_text
from app.domain.figures import parse_identifier
from app.figure_input import field_errors
from app.models import ExchangeRate, Moderator
from app.queries.rates import RATE_OBJECT
from app.rate_input import RATE_COLUMNS, RateIn
from app.web import urls
from app.web.deps import SessionDep
from app.web.http.forms import CheckedForm, PostedForm, moderator_page
from app.web.moderation.login import ModeratorDep, require_moderator
from app.web.moderation.notices import done_notice, redirect_done
from app.web.templating import render

router = APIRouter(prefix="/review/rates", dependencies=[Depends(require_moderator)])
ADDED_REASON = "added on /review/rates"


def _rate_or_404(session: Session, rate_id: str) -> ExchangeRate:
    rate = queries.rate_for_update(session, parse_identifier(rate_id))
    if rate is None:
        raise HTTPException(404, "No such exchange rate.")
    return rate


def rate_values(rate: ExchangeRate) -> dict[str, str]:
    """Return a stored rate as its edit form's values."""
    published = queries.source_published(rate.source)
    return {
        "currency": rate.currency,
        "usd_per_unit": decimal_text(rate.usd_per_unit),
        "as_of": queries.rate_as_of(rate).iso(),
        "quote": rate.quote,
        "source_url": rate.source.url,
        "source_publisher": rate.source.publisher,
        "source_title": rate.source.title,
        "source_published": published.iso() if published else "",
        "external_ref": rate.external_ref or "",
        "notes": rate.notes,
    }


def _checked(form: PostedForm) -> tuple[dict[str, str], RateIn | dict[str, str]]:
    """Return the posted values and the rate they state, or one message per wrong field."""
    values = {name: form.get(name) for name in (*RATE_COLUMNS, "reason")}
    try:
        return values, RateIn.model_validate({name: values[name] for name in RATE_COLUMNS})
    except ValidationError as error:
        return values, field_errors(error)


def _common(request: Request, moderator: Moderator, errors: dict[str, str], message: str) -> Any:
    return moderator_page(request, moderator) | {
        "errors": errors,
        "message": message,
        "notice": done_notice(request),
    }


def _list_page(
    request: Request,
    moderator: Moderator,
    session: Session,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    message = "The rate was not added: fix the fields below." if errors else ""
    context = _common(request, moderator, errors or {}, message) | {
        "listings": queries.list_rates(session),
        "values": values or {},
    }
    return render(request, "moderation_rates.html", context, status_code=status)


def _rate_page(
    request: Request,
    moderator: Moderator,
    session: Session,
    rate: ExchangeRate,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    status: int = 200,
) -> Response:
    context = _common(request, moderator, errors or {}, message) | {
        "rate": rate,
        "values": values or rate_values(rate),
        "revisions": queries.rate_revisions(session, rate.id),
        "audit": queries.audit_events_for(session, object_type=RATE_OBJECT, object_id=rate.id),
    }
    return render(request, "moderation_rate.html", context, status_code=status)


@router.get("", name="moderation_rates")
def rates_page(request: Request, moderator: ModeratorDep, session: SessionDep) -> Response:
    """Every stored exchange rate with its quote, source and last change, and a form to add one."""
    return _list_page(request, moderator, session)


@router.post("/add")
def add(
    request: Request, form: CheckedForm, moderator: ModeratorDep, session: SessionDep
) -> Response:
    """Store a new sourced rate with its first revision and an audit event."""
    values, checked = _checked(form)
    if isinstance(checked, dict):
        return _list_page(request, moderator, session, values, checked, 400)
    try:
        rate = queries.add_rate(
            session,
            checked,
            changed_by=moderator.username,
            reason=form.get("reason").strip() or ADDED_REASON,
        )
    except queries.RateProblem as problem:
        return _list_page(
            request, moderator, session, values, {problem.field: problem.message}, 400
        )
    return redirect_done(urls.moderation_rate(rate.id), "rate_add")


@router.get("/{rate_id}", name="moderation_rate")
def rate_page(
    request: Request, rate_id: str, moderator: ModeratorDep, session: SessionDep
) -> Response:
    """One rate's edit form, with its revisions and audit trail."""
    return _rate_page(request, moderator, session, _rate_or_404(session, rate_id))


@router.post("/{rate_id}/edit")
def edit(
    request: Request, rate_id: str, form: CheckedForm, moderator: ModeratorDep, session: SessionDep
) -> Response:
    """Change a rate with a reason: a revision with the state before and after, and an audit event."""
    rate = _rate_or_404(session, rate_id)
    values, checked = _checked(form)
    if isinstance(checked, dict):
        return _rate_page(
            request, moderator, session, rate, values, checked, "Fix the fields.", 400
        )
    try:
        changed = queries.edit_rate(
            session,
            rate=rate,
            rate_in=checked,
            moderator=moderator.username,
            reason=form.get("reason"),
        )
    except queries.RateProblem as problem:
        errors = {problem.field: problem.message}
        return _rate_page(request, moderator, session, rate, values, errors, "", 400)
    except ValueError as error:
        return _rate_page(
            request, moderator, session, rate, values, {"reason": str(error)}, "", 400
        )
    if not changed:
        return _rate_page(request, moderator, session, rate, values, {}, "Nothing changed.")
    return redirect_done(urls.moderation_rate(rate.id), "rate_edit")
