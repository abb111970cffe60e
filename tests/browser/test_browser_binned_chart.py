"""A chart that draws bins, in a real browser: on a server with a database of its own holding more
of Nepal's enlisted figures than a page's charts draw one by one, the chart is drawn (no console
error, no Content-Security-Policy violation: the page fixture fails on any), a bin's hover reads
"N figures, from X to Y", clicking it opens nothing, and the page says what the chart shows."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect
from pointing import hover_over

from app import queries
from app.db import make_engine, transaction
from app.domain.chart_bins import CHART_MARK_LIMIT
from app.domain.figures import FigureStatus
from support import add_daily_copies, figure_input

if TYPE_CHECKING:
    from conftest import FreshServer


@pytest.fixture
def server_url(fresh_server: FreshServer) -> str:
    """Point the page (and its same-host check) at the fresh server instead of live_server."""
    return fresh_server.base_url


@pytest.fixture(scope="module")
def many_enlisted(fresh_server: FreshServer) -> None:
    """Store more of Nepal's enlisted figures than the page's marks, and publish one more the
    way moderation does (a new dataset version: no page kept from before is served)."""
    engine = make_engine(fresh_server.database_url)
    try:
        with transaction(engine) as session:
            add_daily_copies(session, "NPL", "enlisted", CHART_MARK_LIMIT + 100)
            queries.add_figure(
                session,
                figure_input(metric="enlisted", low="1500", high="1500", as_of="2024-05-05"),
                status=FigureStatus.PUBLISHED,
                changed_by="test",
                reason="test",
            )
    finally:
        engine.dispose()


def test_a_binned_chart_is_drawn_and_hovered_as_bins(
    page: Page, fresh_server: FreshServer, many_enlisted: None
) -> None:
    page.goto("/countries/NPL")
    section = page.locator("#metric-enlisted")
    expect(section.locator(".binned-chart")).to_contain_text(
        re.compile(r"This chart shows [\d,]+ figures in [\d,]+ monthly bins per claimant kind")
    )
    chart = section.locator(".chart-canvas")
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator(".gtitle")).to_contain_text("monthly bins")
    x, y = hover_over(page, chart.locator(".scatterlayer .point").last)
    expect(chart.locator(".hoverlayer .hovertext")).to_contain_text(
        re.compile(r"[\d,]+ figures?, (from [\d,]+ to [\d,]+|at [\d,]+)")
    )
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    assert page.url == f"{fresh_server.base_url}/countries/NPL"  # a bin is no one figure
