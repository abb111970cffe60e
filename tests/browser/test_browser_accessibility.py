"""axe-core in Chromium on the overview, a country page, the submission form and a figure's page,
on a wide screen and on a phone: no serious or critical violation."""

from __future__ import annotations

import pytest
from accessibility import serious_violations
from playwright.sync_api import Page, expect

PAGES = ["/", "/countries/NPL", "/submit", "/figures/1"]


def _ready(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200
    charts = page.locator(".chart-canvas")
    for index in range(charts.count()):
        expect(charts.nth(index)).to_have_attribute("data-drawn", "true")


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(page: Page, path: str) -> None:
    _ready(page, path)
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation_on_a_phone(phone_page: Page, path: str) -> None:
    _ready(phone_page, path)
    assert serious_violations(phone_page) == []
