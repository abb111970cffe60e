"""The site a page belongs to: its name and public address, as the settings name them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from fastapi import Request

from app.settings import Settings
from app.web.deps import app_state


@dataclass(frozen=True)
class Site:
    """The site's name and public address (PUBLIC_BASE_URL, or the address `serve` serves)."""

    name: str
    base_url: str

    def address(self, path: str) -> str:
        """Return the public address of a path on this site."""
        return self.base_url.rstrip("/") + path


def site_of_settings(settings: Settings) -> Site:
    """Return the site these settings describe."""
    return Site(settings.site_name, settings.public_base_url)


def site_of(request: Request) -> Site:
    """Return the site a request was made to, as its settings name it (never its Host header)."""
    return site_of_settings(app_state(request).settings)


def today() -> date:
    """Return today's date in UTC: the access date of a citation made now."""
    return datetime.now(UTC).date()
