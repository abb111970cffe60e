"""A source's provenance: what kind of document it is, the original a copy reprints, its damage."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SourceKind(StrEnum):
    """What kind of document a source is."""

    ORIGINAL = "original"
    OFFICIAL = "official"
    REPRINT = "reprint"
    WIRE = "wire"
    UNKNOWN = "unknown"

    @property
    def copies_another(self) -> bool:
        """Return True for kinds that copy another outlet's text (they name their original)."""
        return self in (SourceKind.REPRINT, SourceKind.WIRE)


SOURCE_KIND_LABELS = {
    SourceKind.ORIGINAL: "original reporting",
    SourceKind.OFFICIAL: "official document or statement",
    SourceKind.REPRINT: "reprint or aggregator",
    SourceKind.WIRE: "wire copy",
    SourceKind.UNKNOWN: "kind not recorded",
}
DAMAGED_WORDS = "numbers or words missing in this copy"


class ProvenanceError(ValueError):
    """A provenance that does not hold together, with the field to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Provenance:
    """Where a source's text comes from, as a source record or a claim about one states it."""

    publisher: str
    kind: SourceKind = SourceKind.UNKNOWN
    original_publisher: str | None = None
    original_url: str | None = None
    text_damaged: bool = False


def check_provenance(provenance: Provenance) -> None:
    """Raise ProvenanceError unless a copy names its original and only a copy names one."""
    if provenance.kind.copies_another:
        if not provenance.original_publisher:
            raise ProvenanceError(
                "source_original_publisher",
                f"is required for a {SOURCE_KIND_LABELS[provenance.kind]}: whose text it copies",
            )
        return
    if provenance.original_publisher or provenance.original_url:
        raise ProvenanceError(
            "source_kind",
            "must be 'reprint or aggregator' or 'wire copy' when the source names an original",
        )


def provenance_label(provenance: Provenance) -> str:
    """Return the provenance in words: 'reprinted by News Directory 3 from The Cipher Brief;
    numbers or words missing in this copy' (empty for an original without damage or a kind not
    recorded)."""
    kind = provenance.kind
    original = provenance.original_publisher or "an unnamed original"
    if kind is SourceKind.REPRINT:
        words = f"reprinted by {provenance.publisher} from {original}"
    elif kind is SourceKind.WIRE:
        words = f"wire copy of {original}, as published by {provenance.publisher}"
    elif kind is SourceKind.OFFICIAL:
        words = "official document or statement"
    elif kind is SourceKind.ORIGINAL:
        words = "original reporting"
    else:
        words = ""
    if provenance.text_damaged:
        words = f"{words}; {DAMAGED_WORDS}" if words else DAMAGED_WORDS
    return words
