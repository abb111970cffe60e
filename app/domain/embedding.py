"""Charts framed by other sites: the dataset version an embed is pinned to, what to say when it
is not the current one, and the <iframe> snippet to paste.

The database holds the current state of the data and the revisions that led to it, not a copy of
each past version, so an embed pinned to an earlier version shows the current data and says so:
it never draws today's figures under an older version's label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from app.domain.dataset import version_date

# A dataset version as app.domain.dataset writes it: the day of the last change and a hash.
VERSION_PATTERN = re.compile(r"(?:\d{4}-\d{2}-\d{2}|empty)\.[0-9a-f]{8}")

# The room the caption takes below an embed's charts, in pixels.
EMBED_CAPTION_HEIGHT = 110
EMBED_DEFAULT_WIDTH = 680


def parse_version(text: str) -> str | None:
    """Return the dataset version written in text, or None when it is not one."""
    return text if VERSION_PATTERN.fullmatch(text) else None


@dataclass(frozen=True)
class PinnedVersion:
    """The dataset version an embed asks for (None: the current one, whatever it is) and the one
    it can show, which is always the current one."""

    pinned: str | None
    current: str

    @property
    def stale(self) -> bool:
        """Return whether the embed asks for a version other than the current one."""
        return self.pinned is not None and self.pinned != self.current

    @property
    def newer_exists(self) -> bool:
        """Return whether the pinned version is an earlier one (the current version is newer);
        False for a version dated after the current one, which this data never had."""
        if not self.stale or self.pinned is None:
            return False
        pinned_day, current_day = version_date(self.pinned), version_date(self.current)
        return pinned_day is None or current_day is None or pinned_day <= current_day


def iframe_snippet(src: str, title: str, height: int) -> str:
    """Return the HTML to paste into another page to frame an embed: its address, a width the
    host's styles may override (it fills its column), a height, and a title for screen readers."""
    return (
        f'<iframe src="{_attribute(src)}" width="{EMBED_DEFAULT_WIDTH}" height="{height}" '
        f'title="{_attribute(title)}" style="width:100%;border:0" loading="lazy"></iframe>'
    )


def _attribute(text: str) -> str:
    """Return text safe inside a double-quoted HTML attribute (apostrophes left as they are)."""
    return escape(text, quote=False).replace('"', "&quot;")


def embed_height(chart_heights: list[int]) -> int:
    """Return the height of an embed's frame: its charts' and the caption's."""
    return sum(chart_heights) + EMBED_CAPTION_HEIGHT
