"""Posted forms: read once as raw text, checked for origin and CSRF token before any handler runs."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from app.models import Moderator
from app.secret_key import keyed_hash
from app.web.deps import app_state
from app.web.http.sessions import current_sid

CSRF_FIELD = "csrf_token"
MAX_FIELDS = 100


@dataclass(frozen=True)
class PostedForm:
    """A urlencoded form body: its text as received and its fields (first value of each name)."""

    raw: str
    fields: dict[str, str]
    same_origin: bool
    token_valid: bool

    @property
    def trusted(self) -> bool:
        """Return True when the form came from our own page in this visitor's session."""
        return self.same_origin and self.token_valid

    def get(self, name: str) -> str:
        """Return a field's value, or an empty string when absent."""
        return self.fields.get(name, "")


def csrf_token(request: Request) -> str:
    """Return the CSRF token for this visitor's session."""
    return keyed_hash(app_state(request).secret_key, "csrf", current_sid(request))


def _same_origin(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    given = urlsplit(origin)
    ours = (str(request.base_url), app_state(request).settings.public_base_url)
    return any(
        (given.scheme, given.netloc) == (expected.scheme, expected.netloc)
        for expected in map(urlsplit, ours)
    )


FORGED = "This form was not sent from this site's own page in your session, so it was refused."


async def read_form(request: Request) -> PostedForm:
    """Return the posted urlencoded form with the results of its origin and CSRF checks."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise HTTPException(415, "Send the form as application/x-www-form-urlencoded.")
    body = await request.body()
    try:
        raw = body.decode("utf-8")
        pairs = parse_qsl(raw, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(
            400, "The form could not be read (it is not valid UTF-8 form data)."
        ) from None
    if "\x00" in raw:
        raise HTTPException(400, "The form could not be read (it holds a raw NUL byte).")
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    given = fields.get(CSRF_FIELD, "")
    token_valid = bool(given) and hmac.compare_digest(given, csrf_token(request))
    return PostedForm(raw, fields, _same_origin(request), token_valid)


async def checked_form(request: Request) -> PostedForm:
    """Return the posted form, refusing it (403) unless its origin and CSRF token are right."""
    form = await read_form(request)
    if not form.trusted:
        raise HTTPException(403, FORGED)
    return form


RawForm = Annotated[PostedForm, Depends(read_form)]
CheckedForm = Annotated[PostedForm, Depends(checked_form)]


def moderator_page(request: Request, moderator: Moderator) -> dict[str, Any]:
    """Return what every moderator page shows: who is logged in, and the form token its forms carry
    (the logout form among them)."""
    return {"moderator": moderator, "csrf_token": csrf_token(request), "csrf_field": CSRF_FIELD}
