"""A source's provenance in words, and the rules a copy's original follows."""

from __future__ import annotations

import pytest

from app.domain.sources import (
    Provenance,
    ProvenanceError,
    SourceKind,
    check_provenance,
    provenance_label,
)


@pytest.mark.parametrize(
    ("provenance", "words"),
    [
        (
            Provenance("News Directory 3", SourceKind.REPRINT, "The Cipher Brief", None, True),
            "reprinted by News Directory 3 from The Cipher Brief;"
            " numbers or words missing in this copy",
        ),
        (
            Provenance("The Island", SourceKind.WIRE, "AFP"),
            "wire copy of AFP, as published by The Island",
        ),
        (Provenance("US DoD", SourceKind.OFFICIAL), "official document or statement"),
        (Provenance("Mediazona", SourceKind.ORIGINAL), "original reporting"),
        (Provenance("Somebody"), ""),
        (Provenance("Somebody", text_damaged=True), "numbers or words missing in this copy"),
    ],
)
def test_provenance_in_words(provenance: Provenance, words: str) -> None:
    assert provenance_label(provenance) == words


@pytest.mark.parametrize("kind", [SourceKind.REPRINT, SourceKind.WIRE])
def test_a_copy_names_its_original(kind: SourceKind) -> None:
    with pytest.raises(ProvenanceError) as raised:
        check_provenance(Provenance("Aggregator", kind, None, "https://original.example/a"))
    assert raised.value.field == "source_original_publisher"
    check_provenance(Provenance("Aggregator", kind, "The Cipher Brief"))


@pytest.mark.parametrize("kind", [SourceKind.ORIGINAL, SourceKind.OFFICIAL, SourceKind.UNKNOWN])
def test_only_a_copy_names_an_original(kind: SourceKind) -> None:
    with pytest.raises(ProvenanceError) as raised:
        check_provenance(Provenance("Outlet", kind, "The Cipher Brief"))
    assert raised.value.field == "source_kind"
    with pytest.raises(ProvenanceError):
        check_provenance(Provenance("Outlet", kind, None, "https://original.example/a"))
    check_provenance(Provenance("Outlet", kind))
