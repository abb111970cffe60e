"""/coverage and its JSON twin: the same numbers, absence stated, areas without figures listed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import queries
from app.domain.dates import PartialDate


def test_the_page_and_its_json_twin_agree(client: TestClient) -> None:
    page = client.get("/coverage")
    assert page.status_code == 200
    answer = client.get("/api/v1/coverage").json()
    assert answer["dataset_version"] in page.text
    rows = re.findall(
        r'<tr data-area="([^"]+)" data-metric="([^"]+)">.*?<td>(\d+)</td>\s*<td>(\d+)</td>\s*'
        r"<td>([^<]*)</td>",
        page.text,
        re.S,
    )
    from_json = [
        (area["area"], m["metric"], str(m["figures"]), str(m["voices"]), m["latest_date"] or "")
        for area in answer["areas"]
        for m in area["metrics"]
    ]
    shown = [(a, m, f, v, "" if d == "no date stated" else d) for a, m, f, v, d in rows]
    assert shown == from_json and len(shown) > 20
    kazakhstan = next(area for area in answer["areas"] if area["area"] == "KAZ")
    cases = next(m for m in kazakhstan["metrics"] if m["metric"] == "criminal_cases")
    # A12, E29a and RCA026: A12 repeats E29a, so two voices.
    assert (cases["figures"], cases["voices"]) == (3, 2)
    assert "missing" in kazakhstan["no_figures_for"]
    assert re.search(
        r'<tr class="absent" data-area="KAZ">.*?No figure yet for: missing', page.text, re.S
    )
    assert '<a href="/coverage">Coverage</a>' in page.text


def test_an_area_named_only_on_a_timeline_is_listed_as_having_no_figure(
    client: TestClient, session: Session
) -> None:
    source = queries.source_for_fields(
        session, url="https://example.org/iceland-event", publisher="Example", published=None
    )
    queries.add_event(
        session,
        area_code="ISL",
        happened_on=PartialDate.parse("2026-02"),
        title="Iceland asks about its citizens",
        description="A statement, with no count.",
        source=source,
        external_ref=None,
    )
    answer = client.get("/api/v1/coverage").json()
    assert "ISL" in answer["areas_without_figures"]
    assert "ISL" not in {area["area"] for area in answer["areas"]}
    page = client.get("/coverage").text
    assert re.search(r'id="areas-without-figures">.*?/countries/ISL">Iceland<', page, re.S)
