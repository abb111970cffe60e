"""The schema.org descriptions the pages carry as JSON-LD: the dataset on the overview, each area's
slice of it on the area's page, and each figure as a Claim on its page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from app.domain.citations import Citation
from app.domain.cited import area_title
from app.domain.dataset import version_date
from app.domain.records import FigureRecord
from app.domain.structured_data import DatasetDescription, Place, claim_json_ld, dataset_json_ld
from app.models import Area
from app.web import urls
from app.web.site import Site

DATASET_DESCRIPTION = (
    "Sourced estimates about foreign nationals recruited into Russia's armed forces for its war "
    "in Ukraine: per country, how many enlisted, were killed or went missing, how many criminal "
    "cases their home countries opened, and what they were paid. Every figure is a claim, shown "
    "with who claims it, when, the source and the sentence it came from; official and "
    "independent estimates are compared side by side."
)


def _downloads(site: Site, **filters: str) -> dict[str, str]:
    links = urls.downloads(**filters)
    return {"text/csv": site.address(links["csv"]), "application/json": site.address(links["json"])}


def _place(area: Area) -> Place:
    return Place(area.name, area.code if area.kind == "country" else None)


def overview_dataset(
    site: Site, version: str, areas: Sequence[Area], coverage: tuple[date, date] | None
) -> dict[str, Any]:
    """Return the whole dataset as a schema.org Dataset (the areas are those with figures;
    coverage: the first and last day the published figures state a date for)."""
    return dataset_json_ld(
        DatasetDescription(
            name=site.name,
            description=DATASET_DESCRIPTION,
            url=site.address("/"),
            publisher=site.name,
            version=version,
            modified=version_date(version),
            coverage=coverage,
            places=[_place(area) for area in areas if area.kind == "country"],
            downloads=_downloads(site),
        )
    )


def area_dataset(
    site: Site, version: str, area: Area, figure_count: int, coverage: tuple[date, date] | None
) -> dict[str, Any]:
    """Return an area's slice of the dataset as a schema.org Dataset (coverage: the first and
    last day its published figures state a date for)."""
    return dataset_json_ld(
        DatasetDescription(
            name=area_title(area.name),
            description=(
                f"{figure_count} published estimate{'s' if figure_count != 1 else ''} for "
                f"{area.name}. {DATASET_DESCRIPTION}"
            ),
            url=site.address(urls.area_page(area.code, area.kind)),
            publisher=site.name,
            version=version,
            modified=version_date(version),
            coverage=coverage,
            places=[_place(area)],
            downloads=_downloads(site, area=area.code),
        )
    )


def figure_claim(record: FigureRecord, citation: Citation, site: Site) -> dict[str, Any]:
    """Return a figure as a schema.org Claim, part of the dataset in the version its citation names."""
    dataset = {"name": site.name, "url": site.address("/"), "version": citation.version}
    return claim_json_ld(record, citation.url, citation.title, dataset)
