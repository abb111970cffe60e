"""Moderators' source pages: a source record's edit form, its revisions, audit trail and claims."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.domain.figures import parse_identifier
from app.domain.sources import SOURCE_KIND_LABELS
from app.figure_input import field_errors
from app.models import Moderator, Source
from app.queries.source_edits import edit_source, source_for_update
from app.source_input import SOURCE_FIELDS, SourceIn
from app.web import urls
from app.web.deps import SessionDep
from app.web.http.forms import CheckedForm, moderator_page
from app.web.moderation.form_texts import FIELD_HELP, FIELD_LABELS
from app.web.moderation.login import ModeratorDep, require_moderator
from app.web.moderation.notices import done_notice, redirect_done
from app.web.templating import render

router = APIRouter(prefix="/review/sources", dependencies=[Depends(require_moderator)])


def _source_or_404(session: Session, source_id: str) -> Source:
    source = source_for_update(session, parse_identifier(source_id))
    if source is None:
        raise HTTPException(404, "No such source record.")
    return source


def source_values(source: Source) -> dict[str, str]:
    """Return a source record as its edit form's values."""
    published = queries.source_published(source)
    return {
        "publisher": source.publisher,
        "title": source.title,
        "published": published.iso() if published else "",
        "kind": source.kind,
        "original_publisher": source.original_publisher or "",
        "original_url": source.original_url or "",
        "archive_url": source.archive_url or "",
        "text_damaged": "1" if source.text_damaged else "",
    }


def _page(
    request: Request,
    moderator: Moderator,
    session: Session,
    source: Source,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        **moderator_page(request, moderator),
        "notice": done_notice(request),
        "source": source,
        "values": values or source_values(source),
        "errors": errors or {},
        "message": message,
        "choices": {
            "source_kinds": [(k.value, label) for k, label in SOURCE_KIND_LABELS.items()],
            "labels": FIELD_LABELS,
            "help": FIELD_HELP,
        },
        "revisions": queries.source_revisions(session, source.id),
        "audit": queries.audit_events_for(session, object_type="source", object_id=source.id),
        "claims": queries.publisher_claims(session, source.url),
    }
    return render(request, "moderation_source.html", context, status_code=status)


@router.get("/{source_id}", name="moderation_source")
def source_page(
    request: Request, source_id: str, moderator: ModeratorDep, session: SessionDep
) -> Response:
    """A source record's edit form, with its revisions, audit trail and every publisher claimed."""
    return _page(request, moderator, session, _source_or_404(session, source_id))


@router.post("/{source_id}/edit")
def edit(
    request: Request,
    source_id: str,
    form: CheckedForm,
    moderator: ModeratorDep,
    session: SessionDep,
) -> Response:
    """Change a source record with a reason: every figure citing it shows the change."""
    source = _source_or_404(session, source_id)
    values = {name: form.get(name) for name in SOURCE_FIELDS}
    try:
        source_in = SourceIn.model_validate(values)
    except ValidationError as error:
        errors = field_errors(error)
        return _page(request, moderator, session, source, values, errors, "Fix the fields.", 400)
    try:
        changed = edit_source(
            session,
            source=source,
            source_in=source_in,
            moderator=moderator.username,
            reason=form.get("reason"),
        )
    except ValueError as error:
        errors = {"reason": str(error)}
        return _page(request, moderator, session, source, values, errors, "", 400)
    if not changed:
        return _page(request, moderator, session, source, values, {}, "Nothing changed.")
    return redirect_done(urls.moderation_source(source.id), "source_edit")
