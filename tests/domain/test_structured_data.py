"""schema.org JSON-LD: a Dataset and a Claim, serialised so that no text can leave its script block."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from app.domain.figures import ClaimantKind
from app.domain.licence import DATA_LICENCE_URL
from app.domain.structured_data import (
    DatasetDescription,
    Place,
    claim_json_ld,
    dataset_json_ld,
    json_ld_text,
)
from support import record

HOSTILE = [
    "</script><script>alert(1)</script>",
    "<!-- <script>",
    "a & b &amp; <b>bold</b>",
    'quote "inside" \\ backslash',
    "line\nbreak\u2028and\u2029separators",
    "عدد المجندين \u202eRLO",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_json_ld_text_holds_no_character_that_html_reads_and_reads_back_the_same(text: str) -> None:
    written = json_ld_text({"text": text})
    assert not {"<", ">", "&"} & set(written)
    assert json.loads(written) == {"text": text}


def test_a_dataset_states_licence_version_coverage_places_and_downloads() -> None:
    data = dataset_json_ld(
        DatasetDescription(
            name="Nepal",
            description="Every sourced estimate for Nepal.",
            url="https://dash.example/countries/NPL",
            publisher="The dashboard",
            version="2026-05-03.3f9a1c2e",
            modified=date(2026, 5, 3),
            coverage=(date(2023, 12, 26), date(2025, 11, 30)),
            places=[Place("Nepal", "NPL")],
            downloads={
                "text/csv": "https://dash.example/export/figures.csv?area=NPL",
                "application/json": "https://dash.example/export/figures.json?area=NPL",
            },
        )
    )
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["license"] == DATA_LICENCE_URL
    assert data["version"] == "2026-05-03.3f9a1c2e"
    assert data["temporalCoverage"] == "2023-12-26/2025-11-30"
    assert data["dateModified"] == "2026-05-03"
    assert data["spatialCoverage"] == [{"@type": "Place", "name": "Nepal", "identifier": "NPL"}]
    assert [d["encodingFormat"] for d in data["distribution"]] == ["text/csv", "application/json"]
    assert all(d["@type"] == "DataDownload" for d in data["distribution"])


def test_an_undated_dataset_states_no_temporal_coverage() -> None:
    data = dataset_json_ld(
        DatasetDescription("x", "y", "https://x/", "p", "empty.1", None, None, [], {})
    )
    assert "temporalCoverage" not in data and "dateModified" not in data


def test_a_claim_names_its_claimant_as_author_and_its_source_as_appearance() -> None:
    figure = replace(
        record(7, "200", "200", kind=ClaimantKind.OFFICIAL_ORIGIN, published="2023-12-26"),
        claimant="Foreign minister",
        quote="about 200 </script>",
        source_title="Nepal asks Russia",
        source_url="https://news.example/a",
        source_publisher="Kathmandu Post",
        source_archive_url="https://archive.example/a",
    )
    data = claim_json_ld(
        figure,
        "https://dash.example/figures/7",
        "Nepal, enlisted: 200 persons",
        {"name": "The dashboard", "url": "https://dash.example/", "version": "v1"},
    )
    assert data["@type"] == "Claim" and data["url"] == "https://dash.example/figures/7"
    assert data["text"] == "about 200 </script>"
    assert data["author"] == {"@type": "Organization", "name": "Foreign minister"}
    assert data["appearance"] == {
        "@type": "CreativeWork",
        "url": "https://news.example/a",
        "name": "Nepal asks Russia",
        "publisher": {"@type": "Organization", "name": "Kathmandu Post"},
        "datePublished": "2023-12-26",
        "archivedAt": "https://archive.example/a",
    }
    assert data["isPartOf"]["@type"] == "Dataset" and data["isPartOf"]["version"] == "v1"
    assert "</script>" not in json_ld_text(data)


def test_a_witness_is_a_person() -> None:
    figure = record(8, "5", "5", kind=ClaimantKind.TESTIMONY, published=None)
    data = claim_json_ld(figure, "https://x/figures/8", "t", {})
    assert data["author"]["@type"] == "Person"
    assert "datePublished" not in data["appearance"]
