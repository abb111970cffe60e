"""A page and its JSON twin in the API show the same data: the same groups, counts, verdicts and
figures, in the same order (both are built by one function per page)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.domain.group_charts import SECTION_TABLE_ROWS

ROW = re.compile(r'<tr id="figure-(\d+)" data-figure-id="\d+">')
AREA_ROW = re.compile(r'<tr data-area="([^"]+)">\s*<th scope="row">.*?</th>\s*<td>(\d+)</td>', re.S)


def _section(page: str, slug: str) -> str:
    start = page.index(f'<section class="metric-section" id="metric-{slug}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize("code", ["NPL", "IND", "CUB", "KEN"])
def test_an_area_page_and_its_json_show_the_same_groups_and_figures(
    client: TestClient, code: str
) -> None:
    page = client.get(f"/countries/{code}").text
    data: dict[str, Any] = client.get(f"/api/v1/areas/{code}").json()
    comparisons = data["comparisons"]
    assert comparisons, code
    in_page = re.findall(r'<section class="metric-section" id="metric-([a-z_]+)"', page)
    assert in_page == [comparison["metric"] for comparison in comparisons]
    count = data["figure_count"]
    assert f"<p>{count} published figure{'s' if count != 1 else ''}.</p>" in page
    assert data["metric_counts"] == {c["metric"]: c["figure_count"] for c in comparisons}
    for comparison in comparisons:
        section = _section(page, comparison["metric"])
        listed = [int(found) for found in ROW.findall(section)]
        figure_ids = [figure["id"] for figure in comparison["figures"]]
        assert listed == figure_ids[-SECTION_TABLE_ROWS:], comparison["metric"]
        assert f'href="#metric-{comparison["metric"]}"' in page
        assert f"({comparison['figure_count']})" in page
        label = comparison["disagreement"]["label"]
        assert html.escape(label.split(":")[0], quote=False) in section, (
            comparison["metric"],
            label,
        )


@pytest.mark.parametrize("slug", ["killed", "enlisted", "pay_monthly"])
def test_a_metric_page_and_its_json_list_the_same_areas_in_the_same_order(
    client: TestClient, slug: str
) -> None:
    page = client.get(f"/metrics/{slug}").text
    data: dict[str, Any] = client.get(f"/api/v1/metrics/{slug}").json()
    rows = [(code, int(count)) for code, count in AREA_ROW.findall(page)]
    assert rows, slug
    assert rows == [(c["area"], c["figure_count"]) for c in data["comparisons"]]
    for comparison in data["comparisons"]:
        start = page.index(f'<tr data-area="{comparison["area"]}">')
        row = page[start : page.index("</tr>", start)]
        label = comparison["disagreement"]["label"]
        assert html.escape(label.split(":")[0], quote=False) in row, (comparison["area"], label)
