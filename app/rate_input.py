"""RateIn: one sourced exchange rate as imported or entered by a moderator, validated whole."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pycountry
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from app.domain.dates import DatePrecision, PartialDate
from app.figure_input import checked_url, clean_text, parse_number, parse_partial_date

# The columns of a rates CSV file and the fields of the moderators' rate form, in order.
RATE_COLUMNS = (
    "currency",
    "usd_per_unit",
    "as_of",
    "quote",
    "source_url",
    "source_publisher",
    "source_title",
    "source_published",
    "external_ref",
    "notes",
)
RATE_DECIMAL_PLACES = 12  # the column's scale (app.db.ExactRate): 0.0000786 USD per Uzbek som
REQUIRED_RATE_COLUMNS = frozenset(
    {"currency", "usd_per_unit", "as_of", "quote", "source_url", "source_publisher"}
)


class RateIn(BaseModel):
    """A currency's value in USD on a day or in a month, with the source sentence stating it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    currency: str
    usd_per_unit: Decimal
    as_of: PartialDate
    quote: str
    source_url: str
    source_publisher: str
    source_title: str = ""
    source_published: PartialDate | None = None
    external_ref: str | None = None
    notes: str = ""

    @field_validator(
        "quote", "source_url", "source_publisher", "source_title", "notes", mode="before"
    )
    @classmethod
    def _clean_text(cls, value: Any, info: ValidationInfo) -> str:
        return clean_text(str(value or ""), info.field_name or "")

    @field_validator("quote", "source_publisher")
    @classmethod
    def _required(cls, value: str) -> str:
        if not value:
            raise ValueError("is required")
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> str:
        code = str(value or "").strip().upper()
        if not code:
            raise ValueError("is required")
        if code == "USD":
            raise ValueError("must not be USD: a rate states what one unit of another currency is")
        if not code.isascii() or pycountry.currencies.get(alpha_3=code) is None:
            raise ValueError("is not an ISO 4217 currency code (such as RUB, LKR, KES)")
        return code

    @field_validator("usd_per_unit", mode="before")
    @classmethod
    def _positive(cls, value: Any) -> Decimal:
        text = str(value if value is not None else "").strip()
        if not text:
            raise ValueError("is required")
        if not text.isascii():
            raise ValueError("write the number in ASCII digits, such as 0.013")
        number = parse_number(text, RATE_DECIMAL_PLACES)
        if number is None or number <= 0:
            raise ValueError("must be more than 0 (US dollars for one unit of the currency)")
        return number

    @field_validator("as_of", mode="before")
    @classmethod
    def _day_or_month(cls, value: Any) -> PartialDate:
        date = parse_partial_date(value)
        if date is None:
            raise ValueError("is required (YYYY-MM-DD, or YYYY-MM when the source gives a month)")
        if date.precision is DatePrecision.YEAR:
            raise ValueError("needs a month at least: YYYY-MM-DD, or YYYY-MM")
        return date

    @field_validator("source_published", mode="before")
    @classmethod
    def _date(cls, value: Any) -> PartialDate | None:
        return parse_partial_date(value)

    @field_validator("source_url", mode="after")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value:
            raise ValueError("is required")
        return checked_url(value)

    @field_validator("external_ref", mode="before")
    @classmethod
    def _reference(cls, value: Any) -> str | None:
        return clean_text(str(value or ""), "external_ref") or None
