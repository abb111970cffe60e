"""Addresses of pages, their JSON twins and their downloads, built in one place: routes, page
builders, the API and the templates (as the `urls` template global) all use these."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from app.domain.citations import CITATION_FORMATS

API_PREFIX = "/api/v1"
API_DOCS = "/api/docs"
OPENAPI = "/openapi.json"


def permalink(public_base_url: str, figure_id: int) -> str:
    """Return a figure's permanent address, the one to cite."""
    return public_base_url.rstrip("/") + figure(figure_id)


def area_page(code: str, kind: str) -> str:
    """Return the page of a country or region."""
    return f"/countries/{code}" if kind == "country" else f"/regions/{code}"


def figure(figure_id: int) -> str:
    """Return a figure's page on this site (a path; `permalink` gives the address to cite)."""
    return f"/figures/{figure_id}"


def source(source_id: int) -> str:
    """Return a source's page."""
    return f"/sources/{source_id}"


def metric(slug: str) -> str:
    """Return a metric's page across areas."""
    return f"/metrics/{slug}"


def submission_status(token: str) -> str:
    """Return a submission's private status page."""
    return f"/submissions/{token}"


def moderation_figure(figure_id: int) -> str:
    """Return a figure's page for moderators."""
    return f"/review/figures/{figure_id}"


def moderation_submission(submission_id: int) -> str:
    """Return a submission's page for moderators."""
    return f"/review/submissions/{submission_id}"


def moderation_source(source_id: int) -> str:
    """Return a source record's edit page for moderators."""
    return f"/review/sources/{source_id}"


def moderation_rate(rate_id: int) -> str:
    """Return an exchange rate's edit page for moderators."""
    return f"/review/rates/{rate_id}"


def area_metric_page(code: str, kind: str, metric: str, page: int = 1) -> str:
    """Return the page listing every figure of one area and one metric (page 1 has no parameter)."""
    address = f"{area_page(code, kind)}/metrics/{metric}"
    return address if page == 1 else f"{address}?page={page}"


def embed(code: str, kind: str, metric: str, version: str | None = None) -> str:
    """Return the chart of one area and one metric alone, for an <iframe> on another site, pinned
    to a dataset version if one is given."""
    address = f"/embed{area_page(code, kind)}/{metric}"
    return address if version is None else f"{address}?{urlencode({'version': version})}"


def area_api(code: str) -> str:
    """Return the JSON twin of an area's page."""
    return f"{API_PREFIX}/areas/{code}"


def comparison_api(code: str, metric: str) -> str:
    """Return the JSON comparison of one area and one metric."""
    return f"{API_PREFIX}/areas/{code}/metrics/{metric}"


def metric_api(slug: str) -> str:
    """Return the JSON twin of a metric's page."""
    return f"{API_PREFIX}/metrics/{slug}"


def figure_api(figure_id: int) -> str:
    """Return the JSON twin of a figure's permalink page."""
    return f"{API_PREFIX}/figures/{figure_id}"


def source_api(source_id: int) -> str:
    """Return the JSON twin of a source's page."""
    return f"{API_PREFIX}/sources/{source_id}"


# The downloads of a slice of the published figures, by format: the figures as CSV and JSON, both
# in a zip bundle with their data package, README and licence, and the data package alone.
DOWNLOAD_FILES = {
    "csv": "figures.csv",
    "json": "figures.json",
    "zip": "figures.zip",
    "datapackage": "datapackage.json",
}


def export_with_query(file_format: str, query_string: str) -> str:
    """Return a download (DOWNLOAD_FILES' format) asked for with this query string."""
    return f"/export/{DOWNLOAD_FILES[file_format]}" + (f"?{query_string}" if query_string else "")


def export(file_format: str, **filters: str | int | None) -> str:
    """Return the download of the published figures in a format (DOWNLOAD_FILES'), filtered."""
    query = urlencode({name: value for name, value in filters.items() if value is not None})
    return export_with_query(file_format, query)


def downloads(**filters: str | int | None) -> dict[str, str]:
    """Return every download of a slice of the published figures, by format."""
    return {file_format: export(file_format, **filters) for file_format in DOWNLOAD_FILES}


def citation(page: str, extension: str) -> str:
    """Return the citation of a page (a figure, an area, a metric; '' for the whole dataset) in
    the format of this extension (txt, bib, ris, json)."""
    return f"{page.rstrip('/')}/cite.{extension}"


@dataclass(frozen=True)
class CitationLink:
    """A link to one citation format of a page."""

    label: str
    media_type: str
    url: str


def citations(page: str) -> list[CitationLink]:
    """Return the links to a page's citation in every format ('' for the whole dataset)."""
    return [
        CitationLink(form.label, form.media_type.split(";")[0], citation(page, form.extension))
        for form in CITATION_FORMATS
    ]


def figures_feed() -> str:
    """Return the Atom feed of every figure published, edited or retracted."""
    return "/feeds/figures.atom"


def area_feed(code: str, kind: str) -> str:
    """Return the Atom feed of a country's or region's figures."""
    return f"{area_page(code, kind)}/feed.atom"


def metric_feed(slug: str) -> str:
    """Return the Atom feed of a metric's figures across areas."""
    return f"{metric(slug)}/feed.atom"
