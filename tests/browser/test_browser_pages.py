"""The dashboard in a real browser: charts drawn by Plotly, navigation, permalinks, error pages."""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Locator, Page, expect

from app.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from conftest import PageRecord

SCREENSHOT = PROJECT_ROOT / "docs" / "country-page.png"


def expect_charts_drawn(page: Page, points: bool = True) -> Locator:
    """Assert every chart on the page is drawn as SVG (with scatter points if asked); return them."""
    charts = page.locator(".chart-canvas")
    expect(charts.first).to_be_attached()
    for index in range(charts.count()):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("data-drawn", "true")
        expect(chart.locator("svg.main-svg").first).to_be_attached()
        if points:
            expect(chart.locator(".scatterlayer .point").first).to_be_attached()
    return charts


def test_overview_map_then_nepal(page: Page, live_server: str) -> None:
    """The overview draws its map and chart; Nepal's link opens its page with the 75x enlisted gap."""
    with page.expect_request(lambda request: "world_110m" in request.url) as geometry:
        page.goto("/")
    assert re.fullmatch(
        re.escape(f"{live_server}/static/geo/world_110m.json?v=") + "[0-9a-f]{12}",
        geometry.value.url,
    )
    response = geometry.value.response()
    assert response is not None and response.status == 200
    charts = expect_charts_drawn(page, points=False)
    assert charts.count() >= 2
    expect(page.locator("#world-map .choroplethlocation").first).to_be_attached()
    assert page.locator("#world-map .choroplethlocation").count() > 10
    expect(page.locator("#headline-chart .scatterlayer .point").first).to_be_attached()

    page.locator("#countries-table tr[data-area=NPL] a").click()
    expect(page).to_have_url(f"{live_server}/countries/NPL")
    section = page.locator("section.metric-section#metric-enlisted")
    expect(section.locator(".chart-canvas")).to_have_attribute("data-drawn", "true")
    expect(section.locator(".chart-canvas svg.main-svg").first).to_be_attached()
    assert section.locator(".chart-canvas .scatterlayer .point").count() > 0
    expect(section.locator(".factor")).to_have_text("70x")
    rows = section.locator("table.figures tr[data-figure-id]")
    expect(rows.filter(has_text="N.P. Saud")).to_have_count(1)
    expect(rows.filter(has_text="Bimala Rai Paudyal")).to_have_count(1)
    home = section.locator("table.sides tr[data-side=official_origin]")
    expect(home).to_contain_text("Home government")
    expect(home).to_contain_text("N.P. Saud")
    # Nepal killed: "at least 14" states no date, so it sits in its own lane, not in time.
    killed = page.locator("section.metric-section#metric-killed .chart-canvas")
    expect(killed).to_have_attribute("data-drawn", "true")
    expect(killed.locator(".x2tick text")).to_have_text("date not stated")
    # Russia's 104 (Nov 2025) and the foreign ministry's 73 (May 2025) are within 180 days.
    expect(page.locator("section.metric-section#metric-killed .factor").first).to_have_text("1.4x")


@pytest.mark.parametrize(
    "path", ["/countries/NPL", "/regions/world", "/metrics/enlisted", "/metrics/killed"]
)
def test_every_chart_drawn(page: Page, path: str) -> None:
    """Every chart on the page is drawn by Plotly, with its points."""
    response = page.goto(path)
    assert response is not None and response.status == 200
    expect_charts_drawn(page)
    if path.startswith("/metrics/"):
        expect(page.locator("#metric-chart")).to_have_attribute("data-drawn", "true")
        expect(page.locator("#metric-table tr[data-area=NPL]")).to_have_count(1)


def test_kenya_page_shows_several_claimants(page: Page) -> None:
    """Kenya's page (second research file): the killed section holds an NGO's verified count and
    Ukraine's intelligence's named dead, set against each other as sides, with their points drawn."""
    response = page.goto("/countries/KEN")
    assert response is not None and response.status == 200
    expect_charts_drawn(page, points=False)
    killed = page.locator("section.metric-section#metric-killed")
    expect(killed.locator(".chart-canvas")).to_have_attribute("data-drawn", "true")
    expect(killed.locator(".chart-canvas .scatterlayer .point").first).to_be_attached()
    rows = killed.locator("table.figures tr[data-figure-id]")
    expect(rows.filter(has_text="VOCAL Africa")).to_have_count(1)
    expect(rows.filter(has_text="military intelligence (HUR)")).to_have_count(1)
    expect(killed.locator("table.sides tr[data-side=official_ukraine]")).to_have_count(1)
    returned = page.locator("section.metric-section#metric-returned table.figures")
    expect(returned.locator("tr[data-figure-id]")).to_have_count(3)
    claimants = page.locator("table.figures tr[data-figure-id]")
    assert claimants.count() >= 15


def test_figure_permalink_page(page: Page) -> None:
    """A figure's page shows its quote and a citation holding its permalink."""
    page.goto("/countries/NPL")
    first_row = page.locator("#metric-enlisted table.figures tr[data-figure-id]").first
    figure_id = first_row.get_attribute("data-figure-id")
    quote = first_row.locator("blockquote").inner_text().strip()
    assert figure_id and quote

    response = page.goto(f"/figures/{figure_id}")
    assert response is not None and response.status == 200
    expect(page.locator("blockquote.quote")).to_contain_text(quote)
    permalink = page.locator("section[aria-labelledby=cite-title] a.permalink")
    expect(permalink).to_have_count(1)
    url = permalink.inner_text()
    assert permalink.get_attribute("href") == url
    assert url.endswith(f"/figures/{figure_id}")
    expect(page.locator("textarea.citation")).to_have_value(re.compile(re.escape(url)))


def test_unknown_country_is_404(page: Page, page_record: PageRecord, live_server: str) -> None:
    """An unknown country code answers a 404 page that links back to the overview."""
    page_record.allow_console_error(
        "Failed to load resource: the server responded with a status of 404 (Not Found) "
        f"({live_server}/countries/XXX)"
    )
    response = page.goto("/countries/XXX")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Not found")
    back = page.get_by_role("link", name="Back to the overview")
    expect(back).to_have_attribute("href", "/")
    back.click()
    expect(page).to_have_url(f"{live_server}/")


def test_clicking_a_point_opens_its_figure(page: Page, live_server: str) -> None:
    """Clicking a chart point opens the permalink of the figure it shows."""
    page.goto("/countries/NPL")
    chart = page.locator("#metric-enlisted .chart-canvas")
    expect(chart).to_have_attribute("data-drawn", "true")
    point = chart.locator(".scatterlayer .point").first
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    hover = chart.locator(".hoverlayer .hovertext")
    expect(hover).to_contain_text("figure #")
    match = re.search(r"figure #(\d+)", hover.text_content() or "")
    assert match is not None
    figure_id = match.group(1)
    expect(page.locator(f"#metric-enlisted tr[data-figure-id='{figure_id}']")).to_have_count(1)
    page.mouse.click(x, y)
    expect(page).to_have_url(f"{live_server}/figures/{figure_id}")
    expect(page.locator("blockquote.quote")).to_be_visible()


def test_screenshot_country_page(page: Page, tmp_path: Path) -> None:
    """Take Nepal's page, full length, 1280 pixels wide: the README's screenshot, which only
    `make screenshot` saves (SCREENSHOT_TO), so that test runs leave docs/ alone."""
    page.goto("/countries/NPL")
    expect_charts_drawn(page)
    target = Path(os.environ.get("SCREENSHOT_TO") or tmp_path / SCREENSHOT.name)
    target.parent.mkdir(exist_ok=True)
    page.screenshot(path=target, full_page=True)
    header = target.read_bytes()[:24]
    assert header.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", header[16:24])
    assert width == 1280
    assert height > 900


def test_favicon_is_served(page: Page) -> None:
    """The icon the browser asks for exists, so no page logs a 404 for it."""
    page.goto("/")
    icons = page.locator("link[rel~=icon]")
    href = icons.first.get_attribute("href") if icons.count() else "/favicon.ico"
    assert href
    if not href.startswith("data:"):
        assert page.request.get(href).status == 200
