"""schema.org descriptions for search engines and dataset catalogues: a `Dataset` for the overview
and each area's page, a `Claim` for each figure; and their serialisation as JSON-LD that is safe
inside an HTML `<script type="application/ld+json">` data block."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.figures import ClaimantKind
from app.domain.licence import DATA_LICENCE_URL
from app.domain.records import FigureRecord

SCHEMA_ORG = "https://schema.org"

# The characters that could end the data block (</script>, <!--) or start an entity: written as
# JSON escapes, which every JSON reader reads back as the same characters.
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_ld_text(data: Mapping[str, Any]) -> str:
    """Return the data as JSON that no text inside it can break out of a script data block."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_HTML_SAFE)


@dataclass(frozen=True)
class Place:
    """A place the data covers: a country (with its ISO 3166-1 alpha-3 code) or a region."""

    name: str
    code: str | None = None

    def json_ld(self) -> dict[str, Any]:
        """Return the place as a schema.org Place."""
        place: dict[str, Any] = {"@type": "Place", "name": self.name}
        if self.code:
            place["identifier"] = self.code
        return place


@dataclass(frozen=True)
class DatasetDescription:
    """What a schema.org Dataset says of the whole dataset or of one area's slice of it.

    `downloads` maps a media type to the absolute address of that download."""

    name: str
    description: str
    url: str
    publisher: str
    version: str
    modified: date | None
    coverage: tuple[date, date] | None
    places: Sequence[Place]
    downloads: Mapping[str, str]


def dataset_json_ld(dataset: DatasetDescription) -> dict[str, Any]:
    """Return the schema.org Dataset: name, description, licence, version, coverage, downloads."""
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Dataset",
        "name": dataset.name,
        "description": dataset.description,
        "url": dataset.url,
        "license": DATA_LICENCE_URL,
        "isAccessibleForFree": True,
        "version": dataset.version,
        "creator": {"@type": "Organization", "name": dataset.publisher},
        "publisher": {"@type": "Organization", "name": dataset.publisher},
        "spatialCoverage": [place.json_ld() for place in dataset.places],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media_type, "contentUrl": address}
            for media_type, address in dataset.downloads.items()
        ],
    }
    if dataset.modified is not None:
        data["dateModified"] = dataset.modified.isoformat()
    if dataset.coverage is not None:
        first, last = dataset.coverage
        data["temporalCoverage"] = f"{first.isoformat()}/{last.isoformat()}"
    return data


def _claimant(record: FigureRecord) -> dict[str, Any]:
    # A witness speaks for themself; the other claimants are governments, agencies, researchers
    # and outlets (a minister speaks for a ministry).
    kind = "Person" if record.claimant_kind is ClaimantKind.TESTIMONY else "Organization"
    return {"@type": kind, "name": record.claimant}


def _appearance(record: FigureRecord) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "url": record.source_url,
        "name": record.source_title or record.source_url,
        "publisher": {"@type": "Organization", "name": record.source_publisher},
    }
    if record.source_published is not None:
        work["datePublished"] = record.source_published.iso()
    if record.source_archive_url:
        work["archivedAt"] = record.source_archive_url
    return work


def claim_json_ld(
    record: FigureRecord, permalink: str, title: str, dataset: Mapping[str, str]
) -> dict[str, Any]:
    """Return the schema.org Claim of a figure: its words, its claimant (author) and the source it
    appeared in (appearance), within the dataset (`dataset` holds its name, url and version)."""
    return {
        "@context": SCHEMA_ORG,
        "@type": "Claim",
        "@id": permalink,
        "url": permalink,
        "name": title,
        "text": record.quote,
        "author": _claimant(record),
        "appearance": _appearance(record),
        "license": DATA_LICENCE_URL,
        "isPartOf": {"@type": "Dataset", **dataset},
    }
