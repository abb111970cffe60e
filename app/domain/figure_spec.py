"""The one specification of a figure's fields: where each is stored, how it is exported and entered.

FigureRecord (app.domain.records) declares its fields with `spec(...)`; everything that lists a
figure's fields derives from that declaration: the queries' labelled columns, the export's
columns and HXL tags and its fast row path, the API's output model, the form and the importer.
Adding a field is a migration, a model column, one `spec(...)` line, and the templates that show it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, overload

from app.domain.dates import PartialDate
from app.domain.figures import Bound, ClaimantKind
from app.domain.sources import SourceKind


class ValueKind(StrEnum):
    """How a field's value is typed, which decides how it is read, written out and entered."""

    ID = "id"
    TEXT = "text"
    OPTIONAL_TEXT = "optional_text"
    OPTIONAL_ID = "optional_id"
    NUMBER = "number"
    PARTIAL_DATE = "partial_date"
    CHOICE = "choice"
    FLAG = "flag"


# The record's annotations, as written, and the kind of value each one is.
_KIND_OF_ANNOTATION = {
    "int": ValueKind.ID,
    "int | None": ValueKind.OPTIONAL_ID,
    "str": ValueKind.TEXT,
    "str | None": ValueKind.OPTIONAL_TEXT,
    "Decimal | None": ValueKind.NUMBER,
    "PartialDate | None": ValueKind.PARTIAL_DATE,
    "Bound": ValueKind.CHOICE,
    "ClaimantKind": ValueKind.CHOICE,
    "SourceKind": ValueKind.CHOICE,
    "bool": ValueKind.FLAG,
}
_CHOICES: dict[str, type[StrEnum]] = {
    "Bound": Bound,
    "ClaimantKind": ClaimantKind,
    "SourceKind": SourceKind,
}
_SPEC_KEY = "figure_field"


@dataclass(frozen=True)
class FieldSpec:
    """One field of a figure record.

    `stored` is "table.column" (tables: figure, source, area, metric, and repeated: the figure
    this one repeats); a partial date is stored
    in that column and its `_precision` twin. `export` names its column in the CSV and JSON
    downloads (None: not exported), `hxl` its HXL hashtag, `api` its name in the API's figure
    (None: not there, or shown another way), `entered` its name in the form and the importer
    (None: not entered), `form` whether the form shows it (the importer reads every entered field).
    """

    stored: str
    export: str | None = None
    hxl: str | None = None
    api: str | None = None
    entered: str | None = None
    form: bool = True
    description: str = ""
    name: str = ""
    kind: ValueKind = ValueKind.TEXT
    choices: type[StrEnum] | None = None

    @property
    def table(self) -> str:
        """Return the table the field is stored in: figure, source, area, metric or repeated."""
        return self.stored.split(".", 1)[0]

    @property
    def column(self) -> str:
        """Return the column the field is stored in."""
        return self.stored.split(".", 1)[1]

    @property
    def stored_columns(self) -> tuple[str, ...]:
        """Return the columns the field reads: its own, and its precision for a partial date."""
        if self.kind is ValueKind.PARTIAL_DATE:
            return (self.column, f"{self.column}_precision")
        return (self.column,)


def spec(
    stored: str,
    *,
    export: str | None = None,
    hxl: str | None = None,
    api: str | None = None,
    entered: str | None = None,
    form: bool = True,
    description: str = "",
) -> Any:
    """Return a dataclass field carrying its FieldSpec (name and kind are filled in from the record)."""
    field_spec = FieldSpec(stored, export, hxl, api, entered, form, description)
    return dataclasses.field(metadata={_SPEC_KEY: field_spec})


def field_specs(record_type: type) -> tuple[FieldSpec, ...]:
    """Return the specs of a record type's fields, in declaration order, named and typed."""
    specs = []
    for record_field in dataclasses.fields(record_type):
        declared = record_field.metadata.get(_SPEC_KEY)
        if declared is None:
            raise TypeError(f"{record_type.__name__}.{record_field.name} has no spec(...)")
        annotation = str(record_field.type)
        if annotation not in _KIND_OF_ANNOTATION:
            raise TypeError(
                f"{record_type.__name__}.{record_field.name}: unknown type {annotation}"
            )
        kind = _KIND_OF_ANNOTATION[annotation]
        specs.append(
            dataclasses.replace(
                declared,
                name=record_field.name,
                kind=kind,
                choices=_CHOICES.get(annotation),
            )
        )
    return tuple(specs)


@overload
def decimal_text(value: Decimal) -> str: ...


@overload
def decimal_text(value: None) -> None: ...


@overload
def decimal_text(value: Decimal | None) -> str | None: ...


def decimal_text(value: Decimal | None) -> str | None:
    """Return a number as its shortest plain exact text (15000, 2.5): no exponent, no trailing zeros."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def plain_value(kind: ValueKind, value: Any) -> str | int | bool | None:
    """Return a record's value as JSON-ready text, number or flag: exact decimal text, partial ISO
    dates."""
    if value is None:
        return None
    if kind is ValueKind.FLAG:
        return bool(value)
    if kind is ValueKind.NUMBER:
        number: Decimal = value
        return decimal_text(number)
    if kind is ValueKind.PARTIAL_DATE:
        return str(value.iso())
    if kind is ValueKind.CHOICE:
        return str(value.value)
    return value if isinstance(value, int) else str(value)


def form_text(kind: ValueKind, value: Any) -> str:
    """Return a record's value as a form shows it for editing ('' for none; '1' for a flag set)."""
    if kind is ValueKind.FLAG:
        return "1" if value else ""
    plain = plain_value(kind, value)
    return "" if plain is None else str(plain)


def stored_values(kind: ValueKind, value: Any) -> tuple[Any, ...]:
    """Return an entered value as its stored columns' values (a partial date: date and precision)."""
    if kind is ValueKind.PARTIAL_DATE:
        partial: PartialDate | None = value
        return (partial.value, partial.precision.value) if partial else (None, None)
    if kind is ValueKind.CHOICE:
        return (value.value if value is not None else None,)
    return (value,)


def reader_of(field_spec: FieldSpec) -> Callable[..., Any] | None:
    """Return the function turning a field's stored column values into the record's value (None:
    the stored value is the record's)."""
    if field_spec.kind is ValueKind.PARTIAL_DATE:
        return PartialDate.of
    if field_spec.choices is not None:
        # A dict look-up by value: calling the enum costs ten times more, per field and record.
        return {member.value: member for member in field_spec.choices}.__getitem__
    return None
