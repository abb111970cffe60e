"""The pages on a phone (390 by 844 CSS pixels): nothing wider than the screen, charts and map
drawn within it, and each figure of a table shown as a card with its value, claimant, date, quote
and link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

PHONE_WIDTH = 390
WIDER_THAN_THE_SCREEN = """width => Array.from(document.querySelectorAll("body *"))
  .filter(element => element.getBoundingClientRect().right > width + 1)
  .filter(element => !element.closest(".table-wrap, thead"))
  .slice(0, 5)
  .map(element => element.tagName + (element.id ? "#" + element.id : "") + " "
    + Math.round(element.getBoundingClientRect().right) + "px")"""


@pytest.mark.parametrize("path", ["/", "/countries/NPL", "/metrics/enlisted", "/figures/1"])
def test_no_page_is_wider_than_a_phone(phone_page: Page, path: str) -> None:
    """The overview, a country page, a metric page and a figure page scroll only downwards; their
    charts (the map included) are drawn within the screen."""
    response = phone_page.goto(path)
    assert response is not None and response.status == 200
    charts = phone_page.locator(".chart-canvas")
    for index in range(charts.count()):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("data-drawn", "true")
        box = chart.locator("svg.main-svg").first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    width = phone_page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE_WIDTH, phone_page.evaluate(WIDER_THAN_THE_SCREEN, PHONE_WIDTH)


def test_a_figure_is_a_card_on_a_phone(phone_page: Page) -> None:
    """On Nepal's page, the row of the foreign minister's 200 is a card: one column, each value
    under its label, the link to the figure's page first."""
    phone_page.goto("/countries/NPL")
    card = phone_page.locator(
        "section#metric-enlisted table.figures.cards tr[data-figure-id]"
    ).filter(has_text="N.P. Saud")
    expect(card).to_have_count(1)
    expect(card).to_have_css("display", "block")
    box = card.bounding_box()
    assert box is not None and box["width"] <= PHONE_WIDTH
    labels = {
        label: card.locator(f'td[data-label="{label}"]')
        for label in ("Figure", "Value", "Claimant", "When", "Quote", "Source")
    }
    for label, cell in labels.items():
        expect(cell).to_be_visible()
        assert cell.evaluate("cell => getComputedStyle(cell, '::before').content") == f'"{label}"'
    expect(labels["Value"]).to_contain_text("200")
    expect(labels["Claimant"]).to_contain_text("N.P. Saud")
    expect(labels["When"]).to_contain_text("26 Dec 2023")
    expect(labels["Quote"].locator("blockquote")).not_to_be_empty()
    expect(labels["Figure"].locator("a")).to_have_attribute("href", re.compile(r"^/figures/\d+$"))
    expect(card.locator("xpath=ancestor::table/thead")).to_have_css("position", "absolute")
    # The cells sit one under another, not side by side.
    value_box, claimant_box = labels["Value"].bounding_box(), labels["Claimant"].bounding_box()
    assert value_box is not None and claimant_box is not None
    assert claimant_box["y"] >= value_box["y"] + value_box["height"] - 1


def test_the_table_stays_a_table_on_a_wide_screen(page: Page) -> None:
    page.goto("/countries/NPL")
    row = page.locator("section#metric-enlisted table.figures.cards tbody tr").first
    expect(row).to_have_css("display", "table-row")
