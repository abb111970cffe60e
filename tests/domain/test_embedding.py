"""Embeds' rules: which text is a dataset version, what a pinned version says, the snippet's HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.domain.embedding import (
    EMBED_CAPTION_HEIGHT,
    PinnedVersion,
    embed_height,
    iframe_snippet,
    parse_version,
)

CURRENT = "2026-05-03.3f9a1c2e"


@pytest.mark.parametrize("text", [CURRENT, "empty.0123abcd"])
def test_a_dataset_version_is_read_as_itself(text: str) -> None:
    assert parse_version(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "latest",
        "2026-05-03",
        "2026-05-03.3F9A1C2E",
        "2026-05-03.3f9a1c2e ",
        "2026-5-3.3f9a1c2e",
    ],
)
def test_other_text_is_no_version(text: str) -> None:
    assert parse_version(text) is None


def test_no_pin_and_a_pin_to_the_current_version_are_not_stale() -> None:
    for pinned in (None, CURRENT):
        version = PinnedVersion(pinned, CURRENT)
        assert not version.stale and not version.newer_exists


@pytest.mark.parametrize("pinned", ["2025-01-09.00aa11bb", "2026-05-03.99999999"])
def test_an_earlier_version_is_stale_and_a_newer_one_exists(pinned: str) -> None:
    version = PinnedVersion(pinned, CURRENT)
    assert version.stale and version.newer_exists


def test_a_version_dated_after_the_current_one_is_stale_but_not_earlier() -> None:
    version = PinnedVersion("2027-01-01.00aa11bb", CURRENT)
    assert version.stale and not version.newer_exists


class _Frames(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.frames: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            self.frames.append(dict(attrs))


def test_the_snippet_is_one_iframe_whose_attributes_read_back_as_given() -> None:
    src = "https://example.org/embed/countries/NPL/enlisted?version=2026-05-03.3f9a1c2e&x=1"
    title = "Enlisted in \"Nepal\" <b> & Côte d'Ivoire's"
    snippet = iframe_snippet(src, title, 450)
    parser = _Frames()
    parser.feed(snippet)
    assert len(parser.frames) == 1
    frame = parser.frames[0]
    assert frame["src"] == src and frame["title"] == title
    assert frame["height"] == "450" and frame["width"] is not None
    assert "<b>" not in snippet and "'s" in snippet
    assert snippet.endswith("></iframe>")


def test_the_frame_holds_every_chart_and_the_caption() -> None:
    assert embed_height([340, 340]) == 680 + EMBED_CAPTION_HEIGHT
