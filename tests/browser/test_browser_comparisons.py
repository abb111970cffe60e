"""Comparisons as a reader sees them in Chromium: the sides table, the lane of undated figures,
and pay in two currencies drawn on charts of their own, never on one axis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from app import queries
from app.db import make_engine, transaction
from app.domain.figures import FigureStatus
from app.figure_input import FigureIn
from app.models import ExchangeRate

if TYPE_CHECKING:
    from conftest import FreshServer

HOSTILE_CLAIMANT = (
    '<a href="https://evil.example/">click</a> <span style="font-size:90px">big</span>'
)
PAY = {
    "area": "NPL",
    "metric": "pay_monthly",
    "unit": "per month",
    "as_of": "2024-03",
    "quote": "a contract for 75,000 to 200,000 roubles a month",
    "source_publisher": "Example",
}


@pytest.fixture(scope="module")
def pay_in_two_currencies(fresh_server: FreshServer) -> FreshServer:
    """Publish Nepali pay in RUB and in USD for March 2024, and a sourced RUB rate of 0.011 USD
    dated within 31 days (docs/comparing.md's worked example), on the fresh server's database."""
    engine = make_engine(fresh_server.database_url)
    with transaction(engine) as session:
        context = queries.validation_context(session)
        for changes in (
            {
                "low": "75000",
                "high": "200000",
                "bound": "range",
                "currency": "RUB",
                "claimant": "Recruits' contracts (newsroom's count)",
                "claimant_kind": "independent",
                "source_url": "https://example.org/pay/rub",
            },
            {
                "low": "2000",
                "high": "2000",
                "bound": "approximate",
                "currency": "USD",
                "claimant": "Ukraine's military intelligence",
                "claimant_kind": "official_ukraine",
                "source_url": "https://example.org/pay/usd",
            },
            {
                "metric": "missing",
                "unit": "persons",
                "low": "7",
                "high": "7",
                "bound": "exact",
                "claimant": HOSTILE_CLAIMANT,
                "claimant_kind": "media",
                "source_url": "https://example.org/missing",
            },
        ):
            figure = FigureIn.model_validate({**PAY, **changes}, context=context)
            queries.add_figure(
                session, figure, status=FigureStatus.PUBLISHED, changed_by="test", reason="test"
            )
        source = queries.source_for_fields(
            session, url="https://example.org/rates/rub", publisher="Example", published=None
        )
        session.add(
            ExchangeRate(
                currency="RUB",
                usd_per_unit=Decimal("0.011"),
                as_of=date(2024, 3, 10),
                source_id=source.id,
            )
        )
    engine.dispose()
    return fresh_server


@pytest.fixture
def server_url(pay_in_two_currencies: FreshServer) -> str:
    return pay_in_two_currencies.base_url


def test_pay_in_two_currencies_gets_a_chart_each_and_a_converted_equivalent(page: Page) -> None:
    page.goto("/countries/NPL")
    section = page.locator("section#metric-pay_monthly")
    rub, usd = section.locator("#chart-pay_monthly-rub"), section.locator("#chart-pay_monthly-usd")
    for chart, currency, other in ((rub, "RUB", "USD"), (usd, "USD", "RUB")):
        expect(chart).to_have_attribute("data-drawn", "true")
        title = chart.locator(".g-ytitle")
        expect(title).to_contain_text(currency)
        expect(title).not_to_contain_text(other)
        expect(chart.locator(".scatterlayer .point").first).to_be_attached()
    expect(section.locator("figcaption").first).to_contain_text("never a shared axis")
    # Two RUB figures fall within 31 days of the rate: this test's March 2024 range and the
    # families' RUB 195,000 of 2024 (RAS021, a year-precision date counted whole).
    expect(section.locator("td.usd", has=page.locator("strong.converted"))).to_have_count(2)
    converted = section.locator("td.usd", has=page.locator("strong.converted"), has_text="825")
    expect(converted).to_have_count(1)
    expect(section.locator("td.usd", has_text="the figure states no date")).to_have_count(1)
    expect(converted).to_contain_text("about USD 825–2,200")
    expect(converted).to_contain_text("at 0.011 USD per RUB, rate of 2024-03-10")
    # The metric page draws each currency's current figures on a chart of its own too.
    page.goto("/metrics/pay_monthly")
    titles = page.locator(".chart-canvas .g-xtitle")
    expect(titles).to_have_count(page.locator(".chart-canvas").count())
    texts = [titles.nth(index).text_content() or "" for index in range(titles.count())]
    assert len(texts) >= 2
    codes = ("RUB", "USD", "KES", "EUR", "INR", "LKR")
    assert all(sum(code in text for code in codes) == 1 for text in texts), texts


def test_the_sides_table_and_the_undated_lane(page: Page) -> None:
    """Nepal's enlisted: each government against independent sources on its own row; the
    undated 'up to 2,000' sits in the lane beside the time axis, not on it."""
    page.goto("/countries/NPL")
    section = page.locator("section#metric-enlisted")
    sides = section.locator("table.sides tbody tr")
    expect(sides.first).to_be_visible()
    expect(section.locator('table.sides tr[data-side="official_origin"] th')).to_have_text(
        "Home government"
    )
    expect(section.locator('table.sides tr[data-side="official_origin"]')).to_contain_text(
        "699 persons"
    )
    chart = section.locator(".chart-canvas").first
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator(".x2tick text")).to_have_text("date not stated")
    expect(section.locator(".refused, .factor").first).to_be_visible()


def test_text_in_a_chart_is_shown_as_text_never_as_markup(page: Page) -> None:
    """Plotly draws <a href> as a link and <span style> as styled text in hover labels and
    titles: a claimant's name reaches it escaped, and the label shows the characters."""
    page.goto("/countries/NPL")
    chart = page.locator("section#metric-missing .chart-canvas").first
    expect(chart).to_have_attribute("data-drawn", "true")
    point = chart.locator(".scatterlayer .point").last
    point.hover(force=True)
    label = chart.locator(".hoverlayer .hovertext")
    expect(label).to_contain_text('<a href="https://evil.example/">click</a>')
    assert chart.locator("a").count() == 0
    assert chart.locator(".hoverlayer [style*='font-size:90px']").count() == 0
