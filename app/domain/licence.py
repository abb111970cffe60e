"""The dataset's licence and the attribution line to give: stated once, here, for every page's
footer, the downloads (the JSON download's `licence` field, the CSV bundle's README), the API
index and the citations."""

from __future__ import annotations

DATA_LICENCE_NAME = "CC BY 4.0"
DATA_LICENCE_TITLE = "Creative Commons Attribution 4.0 International"
DATA_LICENCE_SPDX = "CC-BY-4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENCE_SPDX = "MIT"

# What the licence covers, in a sentence people can paste into a README or a methods note.
DATA_LICENCE_SCOPE = (
    "The dataset (its figures, source records, timeline events and exchange rates as compiled "
    "here) may be shared and adapted for any purpose, provided the source is credited with the "
    "attribution line; the quotes in it remain their authors' words."
)

ATTRIBUTION_TEMPLATE = "Source: {site_name}, dataset version {version}, {licence}, {address}"


def attribution_line(site_name: str, version: str | None, address: str) -> str:
    """Return the line to credit the data with: Source: <site>, dataset version V, CC BY 4.0, <address>.

    Without a version (a page that shows no data) the line names none."""
    if version is None:
        return f"Source: {site_name}, {DATA_LICENCE_NAME}, {address}"
    return ATTRIBUTION_TEMPLATE.format(
        site_name=site_name, version=version, licence=DATA_LICENCE_NAME, address=address
    )


def licence_fields(site_name: str, version: str, address: str) -> dict[str, str]:
    """Return the licence as the JSON download and the API state it: name, SPDX id, link, scope,
    and the attribution line for this version and address."""
    return {
        "name": DATA_LICENCE_NAME,
        "title": DATA_LICENCE_TITLE,
        "spdx": DATA_LICENCE_SPDX,
        "url": DATA_LICENCE_URL,
        "scope": DATA_LICENCE_SCOPE,
        "attribution": attribution_line(site_name, version, address),
    }
