"""The submission form says what it accepts: each help text's examples and limits hold for the
input rules, and a refused form opens with a summary linking every refused field."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.domain.dates import PartialDate, PartialDateError
from app.domain.vocabulary import METRICS, unit_problem
from app.figure_input import TEXT_LIMITS, FigureIn, clean_text, field_errors, parse_number
from app.web.moderation.form_texts import FIELD_HELP, FIELD_LABELS
from support import csrf_from, submission_form


def test_the_numbers_the_help_shows_are_accepted_and_its_limits_hold() -> None:
    for example in re.findall(r"\d[\d,.]*\d", FIELD_HELP["low"].split(":")[0]):
        assert parse_number(example) == Decimal(example.replace(",", ""))
    places = int(re.search(r"at most (\d+) digits after the point", FIELD_HELP["low"])[1])  # type: ignore[index]
    assert parse_number("1." + "1" * places) is not None
    for refused in ("1." + "1" * (places + 1), "-5", "about 5", "14 000"):
        with pytest.raises(ValueError):
            parse_number(refused)


def test_the_date_help_is_what_dates_accept() -> None:
    low, high = map(int, re.search(r"from (\d{4}) to (\d{4})", FIELD_HELP["as_of"]).groups())  # type: ignore[union-attr]
    for text in (str(low), f"{high}-12", f"{low}-01-31"):
        assert PartialDate.parse(text) is not None
    for text in (str(low - 1), str(high + 1), "31/01/2024", "Jan 2024"):
        with pytest.raises(PartialDateError):
            PartialDate.parse(text)


# Not stated: the external reference is not on the form, and a unit is one of those listed.
@pytest.mark.parametrize("name", sorted(set(TEXT_LIMITS) - {"external_ref", "unit"}))
def test_each_stated_length_limit_is_the_one_applied(name: str) -> None:
    stated = re.search(r"at most ([\d,]+) (characters|bytes)", FIELD_HELP[name], re.IGNORECASE)
    assert stated is not None, FIELD_HELP[name]
    limit = int(stated[1].replace(",", ""))
    assert clean_text("x" * limit, name) == "x" * limit
    with pytest.raises(ValueError, match="too long"):
        clean_text("x" * (limit + 1), name)


def test_every_unit_the_help_names_is_accepted_for_its_metrics() -> None:
    """Each metric the help names takes exactly the units named with it; the others take the
    units said to be for most metrics."""
    _, listed = FIELD_HELP["unit"].split(": ", 1)
    units_of: dict[str, set[str]] = {}
    for segment in listed.split("; "):
        units, labels = segment.split(" for ", 1)
        for label in ["most metrics"] if labels == "most metrics" else labels.split(", "):
            units_of[label] = set(re.findall(r"'([^']+)'", units))
    for metric in METRICS:
        named = units_of.get(metric.label.lower(), units_of["most metrics"])
        assert named == set(metric.units), metric.slug
        currency = "USD" if metric.unit_kind == "money" else None
        for unit in named:
            assert unit_problem(metric.slug, unit, currency) is None
        assert unit_problem(metric.slug, "kilograms", currency) is not None


def test_the_currency_help_is_what_the_rules_ask() -> None:
    pay = submission_form(metric="pay_monthly", unit="per month", currency="")
    with pytest.raises(ValidationError) as refused:
        FigureIn.model_validate(pay)
    assert "is required for money" in field_errors(refused.value)["currency"]
    assert "pay" in FIELD_HELP["currency"] and "only for money" in FIELD_HELP["currency"]
    examples = re.search(r"such as ([A-Z, ]+)", FIELD_HELP["currency"])
    assert examples is not None
    for code in examples[1].split(", "):
        assert FigureIn.model_validate({**pay, "currency": code}).currency == code


def test_a_refused_form_opens_with_a_summary_linking_each_refused_field(
    client: TestClient,
) -> None:
    fields = submission_form(low="many", quote="", as_of="Jan 2024", source_url="ftp://x")
    token = csrf_from(client.get("/submit").text)
    page = client.post("/submit", data={"csrf_token": token, **fields}).text
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.DOTALL)
    assert summary is not None
    assert 'id="error-summary" tabindex="-1" autofocus' in summary[0]
    links = re.findall(r'<a href="#(field-\w+)">([^<]*)</a>', summary[0])
    assert [target for target, _ in links] == [
        "field-low",
        "field-as_of",
        "field-quote",
        "field-source_url",
    ]
    for target, text in links:
        assert f'id="{target}"' in page
        name = target.removeprefix("field-")
        assert unescape(text).startswith(FIELD_LABELS[name] + " ")
        assert f'aria-describedby="error-{name}"' in page
    assert "Some fields need another look" in summary[0]


def test_each_help_text_is_shown_beside_its_field(client: TestClient) -> None:
    page = unescape(client.get("/submit").text)
    for name, text in FIELD_HELP.items():
        assert f'<p class="help" id="help-{name}">{text}</p>' in page, name
