"""What each citable thing is cited as: a figure, an area's page, a metric's page, the dataset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.citations import Citation
from app.domain.dataset import version_date
from app.domain.records import FigureRecord
from app.domain.vocabulary import KIND_LABELS

CITATION_KEY_PREFIX = "foreign-recruits"
DATASET_TITLE = "Foreign nationals recruited into Russia's army: every sourced estimate"


@dataclass(frozen=True)
class CitedVersion:
    """Who publishes the dataset, which version is cited, and when it was read."""

    site_name: str
    version: str
    accessed: date

    def citation(self, key: str, title: str, url: str, summary: str = "") -> Citation:
        """Return the citation of one thing in this version of the dataset."""
        return Citation(
            key=f"{CITATION_KEY_PREFIX}-{key}",
            title=title,
            summary=summary,
            author=self.site_name,
            url=url,
            version=self.version,
            accessed=self.accessed,
            issued=version_date(self.version),
        )


def figure_citation(record: FigureRecord, permalink: str, cited: CitedVersion) -> Citation:
    """Return a figure's citation: who claimed what and when, where it was reported, its permalink."""
    when = "date not stated" if record.date_label == "not stated" else record.date_label
    title = (
        f"{record.area_name}, {record.metric_label.lower()}: {record.value_label}, according to "
        f"{record.claimant} ({KIND_LABELS[record.claimant_kind.value]}), {when}"
    )
    published = f", {record.source_published.label()}" if record.source_published else ""
    source_title = f' "{record.source_title}"' if record.source_title else ""
    provenance = f" ({record.provenance_label})" if record.provenance_label else ""
    archived = f", archived at {record.source_archive_url}" if record.source_archive_url else ""
    summary = (
        f"Reported by {record.source_publisher}{source_title}{published}{provenance}, "
        f"{record.source_url}{archived}. Figure #{record.id} of the dataset."
    )
    return cited.citation(f"figure-{record.id}", title, permalink, summary)


def area_title(name: str) -> str:
    """Return the title of a country's or region's slice of the dataset."""
    return f"{name}: sourced estimates of recruits in Russia's army"


def area_citation(code: str, name: str, url: str, cited: CitedVersion) -> Citation:
    """Return the citation of a country's or region's page: every estimate for it."""
    return cited.citation(code.lower(), area_title(name), url)


def metric_citation(slug: str, label: str, url: str, cited: CitedVersion) -> Citation:
    """Return the citation of a metric's page: one metric across countries and regions."""
    title = f"{label}: sourced estimates by country and region, official against independent"
    return cited.citation(f"metric-{slug}", title, url)


def dataset_citation(url: str, cited: CitedVersion) -> Citation:
    """Return the citation of the whole dataset in its current version."""
    return cited.citation("dataset", DATASET_TITLE, url)
