"""An area page lists each metric's latest figures; every figure is on the metric's paged list."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import queries
from app.domain import group_charts
from app.domain.comparisons import make_group
from app.domain.figures import FigureStatus
from app.web.deps import app_state_of
from app.web.pages import builders as context
from support import add_figure

ROW = re.compile(r'<tr id="figure-(\d+)" data-figure-id="\d+">')


def _killed_table(page: str) -> str:
    start = page.index('id="metric-killed"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch, session: Session) -> list[int]:
    """List 2 figures per section and 2 per page; return Nepal's killed figure ids, by date."""
    monkeypatch.setattr(group_charts, "SECTION_TABLE_ROWS", 2)  # kept when the figures are added
    monkeypatch.setattr(context, "FIGURES_PAGE_ROWS", 2)
    for day in ("2025-01-05", "2025-02-05", "2025-03-05"):
        add_figure(session, FigureStatus.PUBLISHED, as_of=day, claimant=f"Claimant of {day}")
    records = queries.published_records(session, area_code="NPL", metric_slug="killed")
    group = make_group(records)
    return [record.id for record in group.records]


def test_the_country_page_lists_the_latest_figures_and_links_to_every_one(
    client: TestClient, small_pages: list[int]
) -> None:
    section = _killed_table(client.get("/countries/NPL").text)
    assert [int(found) for found in ROW.findall(section)] == small_pages[-2:]
    assert 'href="/countries/NPL/metrics/killed"' in section
    assert f"latest 2 of the {len(small_pages)} figures" in section


def test_the_pages_of_a_metric_list_every_figure_once_in_date_order(
    client: TestClient, small_pages: list[int]
) -> None:
    listed: list[int] = []
    address: str | None = "/countries/NPL/metrics/killed"
    while address is not None:
        page = client.get(address)
        assert page.status_code == 200, address
        listed += [int(found) for found in ROW.findall(page.text)]
        following = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        address = following.group(1) if following else None
    assert listed == small_pages
    last = -(-len(small_pages) // 2)
    assert f"page {last} of {last}" in client.get(f"/countries/NPL/metrics/killed?page={last}").text


@pytest.mark.parametrize(
    "address",
    [
        "/countries/NPL/metrics/killed?page=0",
        "/countries/NPL/metrics/killed?page=99",
        "/countries/NPL/metrics/killed?page=two",
        "/countries/NPL/metrics/no-such-metric",
        "/countries/XYZ/metrics/killed",
        "/regions/NPL/metrics/killed",
        "/countries/world/metrics/enlisted",
    ],
)
def test_no_such_page_is_a_404(client: TestClient, address: str) -> None:
    assert client.get(address).status_code == 404


def test_a_region_has_the_same_pages(client: TestClient) -> None:
    page = client.get("/regions/world/metrics/enlisted")
    assert page.status_code == 200
    assert "Enlisted in" in page.text or "enlisted" in page.text.lower()
    assert ROW.search(page.text)


def test_parameters_a_page_does_not_read_make_no_new_kept_page(client: TestClient) -> None:
    cache = app_state_of(client.app).body_cache  # type: ignore[arg-type]
    for address in ("/", "/countries/NPL", "/countries/NPL/metrics/killed"):
        client.get(address)
    kept = len(cache)
    for number in range(20):
        assert client.get(f"/?utm_source={number}").status_code == 200
        assert client.get(f"/countries/NPL?x={number}").status_code == 200
        assert client.get(f"/countries/NPL/metrics/killed?page=1&x={number}").status_code == 200
    assert len(cache) == kept
