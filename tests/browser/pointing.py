"""Pointing at a chart's marks in a real browser."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def hover_over(page: Page, point: Locator) -> tuple[float, float]:
    """Move the mouse to the middle of a chart's point (scrolled into view); return where."""
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    return x, y
