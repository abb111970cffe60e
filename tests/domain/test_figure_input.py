"""FigureIn, the input schema the form, the importer and the API share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from app.domain.dates import DatePrecision
from app.domain.figures import Bound
from app.figure_input import FigureIn, field_errors, normalise_url

CONTEXT = {"areas": {"NPL", "world"}, "metrics": {"enlisted", "pay_monthly"}}


def valid(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "area": "NPL",
        "metric": "enlisted",
        "low": "14,000",
        "high": "15000",
        "bound": "range",
        "qualifier": "between",
        "unit": "persons",
        "as_of": "2024-02",
        "claimant": "Opposition MP",
        "claimant_kind": "independent",
        "quote": "between 14,000 and 15,000 Nepalese are fighting",
        "source_url": "HTTPS://Example.org/a#frag",
        "source_publisher": "Example",
    }
    values.update(changes)
    return values


def errors_of(values: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        FigureIn.model_validate(values, context=CONTEXT)
    return field_errors(raised.value)


def test_valid_figure_is_parsed_and_normalised() -> None:
    figure = FigureIn.model_validate(valid(area="npl"), context=CONTEXT)
    assert figure.area == "NPL"
    assert (figure.low, figure.high, figure.bound) == (Decimal(14000), Decimal(15000), Bound.RANGE)
    assert figure.as_of is not None and figure.as_of.precision is DatePrecision.MONTH
    assert figure.source_url == "https://example.org/a"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"area": "XXX"}, "area", "not a known country"),
        ({"area": ""}, "area", "is required"),
        ({"metric": "vibes"}, "metric", "not one of the metrics"),
        ({"low": "many"}, "low", "write a number"),
        ({"low": "-5"}, "low", "write a number"),
        ({"high": "1e9"}, "high", "write a number"),
        ({"low": "", "high": ""}, "low", "give a number"),
        ({"low": "16000"}, "high", "above the low end"),
        ({"bound": "exact"}, "high", "low equal to high"),
        ({"bound": "sometimes"}, "bound", "not one of the choices"),
        ({"bound": ""}, "bound", "is required"),
        ({"claimant_kind": "aliens"}, "claimant_kind", "not one of the choices"),
        ({"quote": "   "}, "quote", "is required"),
        ({"quote": "x" * 5001}, "quote", "too long"),
        ({"claimant": "a\x00b"}, "claimant", "control character"),
        ({"unit": ""}, "unit", "is required"),
        ({"unit": "people"}, "unit", "'people' is not a unit of enlisted: use 'persons'"),
        ({"unit": "per month"}, "unit", "use 'persons'"),
        ({"currency": "USD"}, "currency", "for money only"),
        ({"metric": "pay_monthly", "unit": "per month"}, "currency", "is required for money"),
        ({"metric": "pay_monthly"}, "unit", "use 'per month'"),
        ({"currency": "XYZ"}, "currency", "ISO 4217"),
        ({"as_of": "Feb 2024"}, "as_of", "YYYY"),
        ({"period_start": "2025", "period_end": "2024"}, "period_end", "before it starts"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "http:// or https://"),
        ({"source_url": "ftp://example.org/x"}, "source_url", "http:// or https://"),
        ({"source_url": ""}, "source_url", "is required"),
        ({"source_publisher": ""}, "source_publisher", "is required"),
    ],
)
def test_each_wrong_field_is_named_with_a_reason(
    changes: dict[str, Any], field: str, message: str
) -> None:
    errors = errors_of(valid(**changes))
    assert field in errors, errors
    assert message in errors[field]


def test_every_wrong_field_is_reported_at_once() -> None:
    errors = errors_of(valid(area="XXX", metric="nope", quote="", source_url="mailto:x@y"))
    assert {"area", "metric", "quote", "source_url"} <= set(errors)


def test_currency_is_upper_cased_and_kept() -> None:
    figure = FigureIn.model_validate(
        valid(metric="pay_monthly", low="75000", high="200000", unit="per month", currency="rub"),
        context=CONTEXT,
    )
    assert figure.currency == "RUB"


def test_markup_and_sql_are_kept_literally() -> None:
    text = "<script>alert(1)</script>'; DROP TABLE figures; --"
    figure = FigureIn.model_validate(valid(claimant=text, quote=text), context=CONTEXT)
    assert figure.claimant == text
    assert figure.quote == text


def test_url_normalisation_keeps_path_and_query() -> None:
    assert (
        normalise_url("HTTPS://WWW.Example.ORG/Path?q=1#top") == "https://www.example.org/Path?q=1"
    )
