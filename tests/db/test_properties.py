"""Properties of the shared input schema and the form: any text is either a valid figure or
refused with a message for each wrong field; the form never answers with a server error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import Bound, ClaimantKind, check_bounds
from app.domain.records import FORM_FIELDS as FIGURE_FIELDS
from app.figure_input import FigureIn, clean_text, field_errors, parse_number
from app.secret_key import token_hash
from app.web.moderation.submit import HONEYPOT_FIELD, SUBMITTER_FIELDS
from reliability.hostile_strings import HOSTILE_STRINGS
from support import csrf_from, expected_form_errors, submission_form

CONTEXT = {"areas": {"NPL", "IND", "world"}, "metrics": {"enlisted", "killed", "pay_monthly"}}
VALID = submission_form()
NUMBERS = ["", "0", "14000", "14,000", "2.5", "1,2", "-5", "1e3", "0.000001", "0.0000001",
           "999999999999999", "1000000000000000", "12345678901234.56", " 7 ", "١٢٣"]  # fmt: skip
URLS = ["https://example.org/a", "HTTP://Example.org", "ftp://example.org/", "https://",
        "javascript:alert(1)", "https://example.org/a b"]  # fmt: skip
DATES = ["", "2024", "2024-02", "2024-02-29", "2023-02-29", "1899", "2024-13", "24-01-01"]
PLAUSIBLE: dict[str, list[str]] = {
    "area": ["NPL", "npl", "world", "WORLD", "XXX", "", " IND "],
    "metric": ["enlisted", "killed", "pay_monthly", "vibes", ""],
    "low": NUMBERS,
    "high": NUMBERS,
    "bound": [bound.value for bound in Bound] + ["", "between"],
    "currency": ["", "USD", "usd", "XYZ", "US"],
    "as_of": DATES,
    "period_start": DATES,
    "period_end": DATES,
    "source_published": DATES,
    "claimant_kind": [kind.value for kind in ClaimantKind] + ["", "government"],
    "source_url": URLS,
}
SHORT_HOSTILE = [hostile.text for hostile in HOSTILE_STRINGS if len(hostile.text) < 200]
MULTILINE = ("quote", "notes")


def field_values(field: str) -> st.SearchStrategy[str]:
    """Return plausible, random and hostile values for one field."""
    return st.one_of(
        st.sampled_from(PLAUSIBLE.get(field, [VALID.get(field, "")])),
        st.text(max_size=40),
        st.sampled_from(SHORT_HOSTILE),
    )


FIGURE_INPUTS = st.one_of(
    st.fixed_dictionaries({field: field_values(field) for field in FIGURE_FIELDS}),
    st.dictionaries(
        st.one_of(st.sampled_from(FIGURE_FIELDS), st.text(max_size=12)), st.text(max_size=30)
    ),
)


def assert_clean_text(figure: FigureIn) -> None:
    """Assert every text of an accepted figure is trimmed, within its limit and free of controls."""
    for field in ("qualifier", "unit", "counted_as", "claimant", "quote", "source_publisher"):
        text = getattr(figure, field)
        assert text == text.strip()
        assert clean_text(text, field) == text


@settings(max_examples=400, deadline=None, database=None, derandomize=True)
@given(FIGURE_INPUTS)
def test_any_text_input_is_a_figure_or_refused_with_a_message_per_field(
    values: dict[str, str],
) -> None:
    try:
        figure = FigureIn.model_validate(values, context=CONTEXT)
    except ValidationError as error:
        errors = field_errors(error)
        assert errors
        for field, message in errors.items():
            assert field in FigureIn.model_fields, (field, message)
            assert message.strip(), field
        return
    check_bounds(figure.low, figure.high, figure.checked_bound)
    for number in (figure.low, figure.high):
        assert number is None or parse_number(str(number)) == number
    assert_clean_text(figure)
    assert FigureIn.model_validate(figure.model_dump(), context=CONTEXT) == figure


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(
    st.decimals(min_value=0, max_value=Decimal("999999999.999999"), places=6),
    st.booleans(),
)
def test_numbers_within_the_limits_read_back_exactly(number: Decimal, grouped: bool) -> None:
    written = f"{number:,f}" if grouped else f"{number:f}"
    assert parse_number(written) == number


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(st.decimals(min_value=0, max_value=Decimal(10) ** 20, allow_nan=False, places=8))
def test_numbers_the_databases_cannot_keep_exactly_are_refused(number: Decimal) -> None:
    _sign, digits, exponent = number.normalize().as_tuple()
    assert isinstance(exponent, int)
    fits = -exponent <= 6 and len(digits) + max(exponent, 0) <= 15
    try:
        parsed = parse_number(f"{number:f}")
    except ValueError as error:
        assert not fits, number
        assert str(error)
    else:
        assert fits, number
        assert parsed == number


FORM_FIELDS = (*FIGURE_FIELDS, *SUBMITTER_FIELDS, HONEYPOT_FIELD)
RANDOM_FORMS = st.fixed_dictionaries(
    {
        **{field: field_values(field) for field in (*FIGURE_FIELDS, *SUBMITTER_FIELDS)},
        HONEYPOT_FIELD: st.sampled_from(["", "", "", "https://spam.example"]),
    }
)
NEARLY_VALID_FORMS = (
    st.lists(st.sampled_from(FORM_FIELDS), unique=True, max_size=3)
    .flatmap(lambda names: st.fixed_dictionaries({name: field_values(name) for name in names}))
    .map(lambda changes: {**VALID, **changes})
)


@pytest.mark.parametrize("start", ["valid", "random"])
def test_the_form_stores_or_explains_every_input(
    unlimited_client: TestClient, session: Session, start: str
) -> None:
    token = csrf_from(unlimited_client.get("/submit").text)
    strategy = RANDOM_FORMS if start == "random" else NEARLY_VALID_FORMS

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(strategy)
    def posts(fields: dict[str, Any]) -> None:
        response = unlimited_client.post(
            "/submit", data={"csrf_token": token, **fields}, follow_redirects=False
        )
        assert response.status_code < 500
        if fields[HONEYPOT_FIELD]:
            assert response.status_code == 400
            assert "Leave empty" in response.text
            return
        errors = expected_form_errors(session, fields)
        if errors:
            assert response.status_code == 400
            for field, message in errors.items():
                assert f'id="error-{field}"' in response.text, (field, message)
                assert str(escape(message)) in response.text, (field, message)
            return
        assert response.status_code == 303
        token_of_status_page = response.headers["location"].removeprefix("/submissions/")
        submission = queries.submission_by_token_hash(session, token_hash(token_of_status_page))
        assert submission is not None
        assert submission.fields == {**fields}
        assert submission.figure.quote == fields["quote"].strip()

    posts()
