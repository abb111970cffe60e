"""The notice a moderator's page shows after an action comes from a fixed list, named by the
address: an unknown name, a bad number or hostile text in the address shows nothing."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from app.web.moderation.notices import DONE_NOTICES, done_notice, redirect_done


def request_for(query: str) -> Request:
    return Request({"type": "http", "query_string": query.encode(), "headers": []})


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("done=approve&figure=12", "Approved: figure #12 is published."),
        ("done=edit", DONE_NOTICES["edit"]),
        ("done=approve", ""),
        ("done=approve&figure=12x", ""),
        ("done=approve&figure=99999999999", ""),
        ("done=%3Cscript%3E", ""),
        ("done=__class__", ""),
        ("", ""),
    ],
)
def test_the_notice_is_one_of_the_known_ones(query: str, notice: str) -> None:
    assert done_notice(request_for(query)) == notice


def test_every_redirect_names_a_known_notice() -> None:
    response = redirect_done("/review/figures/3", "retract")
    assert response.status_code == 303
    assert response.headers["location"] == "/review/figures/3?done=retract"
    with pytest.raises(ValueError, match="no notice"):
        redirect_done("/review", "approved")
