"""What a moderator is told once an action is done: the redirect after the action names it
(`?done=approve&figure=12`) and the page it leads to says what happened, in words of its own (the
address carries a known name and a number, never text to show)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from app.domain.figures import parse_identifier

DONE_NOTICES = {
    "approve": "Approved: figure #{figure} is published.",
    "reject": "Rejected: figure #{figure} stays stored, never public.",
    "edit": "Saved: the previous state of the figure is kept as a revision.",
    "retract": (
        "Retracted: the figure is no longer shown in comparisons, downloads or the API; its page "
        "keeps the notice and the history."
    ),
    "reinstate": "Reinstated: the figure is published again.",
    "redact": "Redacted: the field is withheld from the public history.",
    "source_edit": "Saved: every figure citing this source shows the new record.",
    "rate_add": "Added: the rate is stored with its first revision.",
    "rate_edit": "Saved: the previous state of the rate is kept as a revision.",
}


def redirect_done(address: str, done: str, figure: int | None = None) -> RedirectResponse:
    """Return the redirect (303) after an action to the page that tells it was done."""
    if done not in DONE_NOTICES:
        raise ValueError(f"no notice for {done!r}")
    query = f"?done={done}" + (f"&figure={figure}" if figure is not None else "")
    return RedirectResponse(address + query, status_code=303)


def done_notice(request: Request) -> str:
    """Return the notice of the action the address says was done, or '' (unknown name, bad id)."""
    template = DONE_NOTICES.get(request.query_params.get("done", ""))
    if template is None:
        return ""
    if "{figure}" not in template:
        return template
    figure = parse_identifier(request.query_params.get("figure", ""))
    return template.format(figure=figure) if figure else ""
