"""SourceIn: a moderator's edit of a source record, validated whole, every error reported."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from app.domain.dates import PartialDate
from app.domain.sources import Provenance, ProvenanceError, SourceKind, check_provenance
from app.figure_input import checked_url, clean_text, parse_flag, parse_partial_date

SOURCE_FIELDS = (
    "publisher",
    "title",
    "published",
    "kind",
    "original_publisher",
    "original_url",
    "archive_url",
    "text_damaged",
)
_LIMIT_NAMES = {
    "publisher": "source_publisher",
    "title": "source_title",
    "original_publisher": "source_original_publisher",
}


class SourceIn(BaseModel):
    """A source record's editable fields (its URL is its identity and stays)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    publisher: str
    title: str = ""
    published: PartialDate | None = None
    kind: SourceKind = SourceKind.UNKNOWN
    original_publisher: str | None = None
    original_url: str | None = None
    archive_url: str | None = None
    text_damaged: bool = False

    @field_validator("publisher", "title", "original_publisher", mode="before")
    @classmethod
    def _text(cls, value: Any, info: ValidationInfo) -> str:
        name = info.field_name or ""
        return clean_text(str(value or ""), _LIMIT_NAMES.get(name, name))

    @field_validator("publisher")
    @classmethod
    def _required(cls, value: str) -> str:
        if not value:
            raise ValueError("is required")
        return value

    @field_validator("original_publisher")
    @classmethod
    def _optional(cls, value: str) -> str | None:
        return value or None

    @field_validator("published", mode="before")
    @classmethod
    def _date(cls, value: Any) -> PartialDate | None:
        return parse_partial_date(value)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return str(value or "").strip() or SourceKind.UNKNOWN.value

    @field_validator("original_url", "archive_url", mode="before")
    @classmethod
    def _url(cls, value: Any) -> str | None:
        text = str(value or "").strip()
        return checked_url(text) if text else None

    @field_validator("text_damaged", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> bool:
        return parse_flag(value)

    @model_validator(mode="after")
    def _consistent(self) -> SourceIn:
        provenance = Provenance(
            self.publisher, self.kind, self.original_publisher, self.original_url
        )
        try:
            check_provenance(provenance)
        except ProvenanceError as error:
            field = error.field.removeprefix("source_")
            raise ValueError(f"{field}: {error.message}") from None
        return self

    def columns(self) -> dict[str, Any]:
        """Return the source table's column values this edit sets."""
        return {
            "publisher": self.publisher,
            "title": self.title,
            "published": self.published.value if self.published else None,
            "published_precision": self.published.precision.value if self.published else None,
            "kind": self.kind.value,
            "original_publisher": self.original_publisher,
            "original_url": self.original_url,
            "archive_url": self.archive_url,
            "text_damaged": self.text_damaged,
        }
