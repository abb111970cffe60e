"""Parsing what people enter: FigureIn, the one input of the form, the importer and the API, and
the text, number, date and address rules it shares with the other inputs."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

import pycountry
from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.domain.dates import PartialDate, PartialDateError
from app.domain.figures import Bound, BoundsError, ClaimantKind, check_bounds
from app.domain.sources import Provenance, ProvenanceError, SourceKind, check_provenance
from app.domain.vocabulary import unit_problem

_NUMBER = re.compile(r"^([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?$")
TEXT_LIMITS = {
    "qualifier": 300,
    "unit": 40,
    "counted_as": 300,
    "claimant": 500,
    "quote": 5000,
    "source_url": 2000,
    "source_publisher": 300,
    "source_title": 500,
    "source_original_publisher": 300,
    "notes": 5000,
    "external_ref": 100,
    "submitter_name": 200,
    "submitter_contact": 300,
}
_MULTILINE = {"quote", "notes"}
# Characters that change the direction of the text around them or that show nothing: allowed in
# quotes and notes (a right-to-left language may need them; pages isolate those in <bdi>), refused
# in single-line fields, where they can make a name or a link display as something else.
INVISIBLE_OR_DIRECTIONAL = {
    "\u061c": "ARABIC LETTER MARK",
    "\u180e": "MONGOLIAN VOWEL SEPARATOR",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2060": "WORD JOINER",
    "\u2061": "FUNCTION APPLICATION",
    "\u2062": "INVISIBLE TIMES",
    "\u2063": "INVISIBLE SEPARATOR",
    "\u2064": "INVISIBLE PLUS",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}
MAX_DECIMAL_PLACES = 6
MAX_SIGNIFICANT_DIGITS = 15
MAX_URL_BYTES = 2000


def clean_text(value: str, field: str) -> str:
    """Return the text trimmed, refusing control characters (newlines and tabs only where
    multi-line) and, in single-line fields, invisible and text-direction characters."""
    text = value.strip()
    multiline = field in _MULTILINE
    allowed = "\n\t\r" if multiline else ""
    for character in text:
        if unicodedata.category(character) == "Cc" and character not in allowed:
            raise ValueError("contains a control character")
        if not multiline and character in INVISIBLE_OR_DIRECTIONAL:
            name = INVISIBLE_OR_DIRECTIONAL[character]
            raise ValueError(
                f"contains an invisible or text-direction character (U+{ord(character):04X} "
                f"{name}), which could make it display as something else: remove it"
            )
    limit = TEXT_LIMITS.get(field)
    if limit is not None and len(text) > limit:
        raise ValueError(f"is too long: {len(text):,} characters, at most {limit:,}")
    return text


def checked_size(number: Decimal, places: int = MAX_DECIMAL_PLACES) -> Decimal:
    """Return the number if both databases keep it exactly (in a column of `places` decimal
    places); raise ValueError if not."""
    # PostgreSQL rounds past 6 decimal places, and the tables' bound checks compare values as
    # double precision, which tells apart every pair of numbers of at most 15 digits.
    _sign, digits, exponent = number.normalize().as_tuple()
    if not isinstance(exponent, int):
        raise ValueError("must be a finite number")
    if -exponent > places:
        raise ValueError(f"use at most {places} digits after the decimal point")
    if len(digits) + max(exponent, 0) > MAX_SIGNIFICANT_DIGITS:
        raise ValueError(f"is too large or too precise: at most {MAX_SIGNIFICANT_DIGITS} digits")
    return number


def parse_number(value: Any, places: int = MAX_DECIMAL_PLACES) -> Decimal | None:
    """Return the number written plainly (15000, 15,000 or 2.5), None when empty."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return checked_size(value, places)
    if isinstance(value, int):
        return checked_size(Decimal(value), places)
    text = str(value).strip()
    if text == "":
        return None
    if len(text) > 30 or not _NUMBER.match(text):
        raise ValueError("write a number in digits, such as 15000 or 2.5 (no words or signs)")
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError("is not a number") from None
    return checked_size(number, places)


def parse_partial_date(value: Any) -> PartialDate | None:
    """Return the partial date written as YYYY, YYYY-MM or YYYY-MM-DD, None when empty."""
    if value is None or isinstance(value, PartialDate):
        return value
    text = str(value).strip()
    if text == "":
        return None
    try:
        return PartialDate.parse(text)
    except PartialDateError as error:
        raise ValueError(str(error)) from None


def normalise_url(url: str) -> str:
    """Return the URL with its scheme and host lower-cased and any fragment dropped."""
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{netloc}{path}{query}"


def checked_url(value: str) -> str:
    """Return a web address normalised; raise ValueError unless it is http(s), short, spaceless."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError("must be a web address starting with http:// or https://")
    if any(character.isspace() for character in value):
        raise ValueError("must not contain spaces")
    if len(value.encode("utf-8", "surrogatepass")) > MAX_URL_BYTES:
        raise ValueError(f"is too long: at most {MAX_URL_BYTES:,} bytes in UTF-8")
    return normalise_url(value)


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def parse_flag(value: Any) -> bool:
    """Return a yes/no cell or checkbox as a flag: 1, true, yes, on; empty, 0, false, no, off."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("write true or false")


class FigureIn(BaseModel):
    """One sourced figure as submitted, imported or posted; validated whole, every error reported."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    area: str
    metric: str
    low: Decimal | None = None
    high: Decimal | None = None
    bound: Bound | None = None
    qualifier: str = ""
    unit: str
    currency: str | None = None
    counted_as: str = ""
    as_of: PartialDate | None = None
    period_start: PartialDate | None = None
    period_end: PartialDate | None = None
    claimant: str
    claimant_kind: ClaimantKind
    quote: str
    source_url: str
    source_publisher: str
    source_title: str = ""
    source_published: PartialDate | None = None
    source_kind: SourceKind = SourceKind.UNKNOWN
    source_original_publisher: str | None = None
    source_original_url: str | None = None
    source_archive_url: str | None = None
    source_text_damaged: bool = False
    notes: str = ""
    external_ref: str | None = None
    repeats: int | None = None

    @property
    def checked_bound(self) -> Bound:
        """Return the bound, which validation guarantees is set."""
        assert self.bound is not None
        return self.bound

    @property
    def provenance(self) -> Provenance:
        """Return the provenance the input claims for its source."""
        return Provenance(
            self.source_publisher,
            self.source_kind,
            self.source_original_publisher,
            self.source_original_url,
            self.source_text_damaged,
        )

    @field_validator(
        "qualifier",
        "unit",
        "counted_as",
        "claimant",
        "quote",
        "source_url",
        "source_publisher",
        "source_title",
        "notes",
        mode="before",
    )
    @classmethod
    def _clean_text(cls, value: Any, info: ValidationInfo) -> str:
        if value is None:
            return ""
        return clean_text(str(value), info.field_name or "")

    @field_validator("claimant", "quote", "unit", "source_publisher")
    @classmethod
    def _required(cls, value: str) -> str:
        if not value:
            raise ValueError("is required")
        return value

    @field_validator("area", mode="before")
    @classmethod
    def _known_area(cls, value: Any, info: ValidationInfo) -> str:
        code = str(value or "").strip()
        code = code.upper() if len(code) == 3 else code.lower()
        if not code:
            raise ValueError("is required")
        known = (info.context or {}).get("areas")
        if known is not None and code not in known:
            raise ValueError("is not a known country code (ISO 3166-1 alpha-3) or region")
        return code

    @field_validator("metric", mode="before")
    @classmethod
    def _known_metric(cls, value: Any, info: ValidationInfo) -> str:
        slug = str(value or "").strip()
        if not slug:
            raise ValueError("is required")
        known = (info.context or {}).get("metrics")
        if known is not None and slug not in known:
            raise ValueError(f"'{slug[:40]}' is not one of the metrics")
        return slug

    @field_validator("low", "high", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Decimal | None:
        return parse_number(value)

    @field_validator("claimant_kind", mode="before")
    @classmethod
    def _choice(cls, value: Any) -> Any:
        text = str(value or "").strip()
        if not text:
            raise ValueError("is required")
        return text

    @field_validator("bound", mode="before")
    @classmethod
    def _optional_choice(cls, value: Any) -> Any:
        return str(value or "").strip() or None

    @field_validator("as_of", "period_start", "period_end", "source_published", mode="before")
    @classmethod
    def _date(cls, value: Any) -> PartialDate | None:
        return parse_partial_date(value)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> str | None:
        code = str(value or "").strip().upper()
        if not code:
            return None
        if pycountry.currencies.get(alpha_3=code) is None:
            raise ValueError("is not an ISO 4217 currency code (such as USD, RUB, KES)")
        return code

    @field_validator("source_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value:
            raise ValueError("is required")
        return checked_url(value)

    @field_validator("source_kind", mode="before")
    @classmethod
    def _source_kind(cls, value: Any) -> Any:
        return str(value or "").strip() or SourceKind.UNKNOWN.value

    @field_validator("source_original_publisher", mode="before")
    @classmethod
    def _optional_text(cls, value: Any, info: ValidationInfo) -> str | None:
        return clean_text(str(value or ""), info.field_name or "") or None

    @field_validator("source_original_url", "source_archive_url", mode="before")
    @classmethod
    def _optional_url(cls, value: Any) -> str | None:
        text = str(value or "").strip()
        return checked_url(text) if text else None

    @field_validator("source_text_damaged", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> bool:
        return parse_flag(value)

    @field_validator("external_ref", mode="before")
    @classmethod
    def _reference(cls, value: Any) -> str | None:
        text = clean_text(str(value or ""), "external_ref")
        return text or None

    @field_validator("repeats", mode="before")
    @classmethod
    def _repeated_figure(cls, value: Any, info: ValidationInfo) -> int | None:
        text = clean_text(str(value or ""), "external_ref").removeprefix("#")
        if not text:
            return None
        find_figure = (info.context or {}).get("find_figure")
        found = find_figure(text) if find_figure is not None else None
        if found is None:
            raise ValueError(f"'{text[:40]}' is not the id or reference of a stored figure")
        return int(found)

    @model_validator(mode="after")
    def _consistent(self) -> FigureIn:
        if self.low is None and self.high is None:
            raise ValueError("low: give a number: low, high or both")
        if self.bound is None:
            raise ValueError("bound: is required")
        try:
            check_bounds(self.low, self.high, self.bound)
        except BoundsError as error:
            raise ValueError(f"{error.field}: {error.message}") from None
        if (problem := unit_problem(self.metric, self.unit, self.currency)) is not None:
            raise ValueError(problem)
        try:
            check_provenance(self.provenance)
        except ProvenanceError as error:
            raise ValueError(str(error)) from None
        if (
            self.period_start
            and self.period_end
            and self.period_start.value > self.period_end.value
        ):
            raise ValueError("period_end: the period must not end before it starts")
        return self


def field_errors(error: ValidationError) -> dict[str, str]:
    """Return one message per field from a validation error (model-level ones keyed by their field)."""
    messages: dict[str, str] = {}
    for item in error.errors():
        location = [str(part) for part in item["loc"]]
        message = str(item["msg"]).removeprefix("Value error, ")
        field = location[0] if location else ""
        if not field and ": " in message:
            field, message = message.split(": ", 1)
        if item["type"] == "missing":
            message = "is required"
        elif item["type"] == "enum":
            message = "is not one of the choices"
        messages.setdefault(field or "form", message)
    return messages
