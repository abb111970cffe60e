"""The JSON API: endpoints, filters, pagination, conditional requests, JSON twins, what stays private."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import queries
from app.domain.dates import PartialDate
from app.domain.figures import ClaimantKind, FigureStatus
from app.domain.records import FigureRecord
from app.web.http.conditional import etag_for, etag_matches
from app.web.pages.builders import area_page
from app.web.site import Site
from support import (
    API_ANSWERS,
    NEPAL_SECTIONS,
    add_figure,
    csv_rows,
    figure_input,
    see_test_session,
)


@pytest.fixture
def data_client(client: TestClient, session: Session) -> Iterator[TestClient]:
    """Yield a client whose API answers and downloads both read the test's session."""
    yield see_test_session(client, session)


def published(session: Session) -> list[FigureRecord]:
    return queries.published_records(session)


def all_items(client: TestClient, query: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/figures?limit=1000&{query}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return list(body["items"])


def test_index_names_every_endpoint_and_the_version(client: TestClient, session: Session) -> None:
    body = client.get("/api/v1").json()
    assert body["dataset_version"] == queries.current_dataset_version(session)
    assert body["endpoints"]["figures"] == "/api/v1/figures"
    assert body["docs"] == "/api/docs"
    assert body["openapi"] == "/openapi.json"


def test_areas_list_the_overview_table(client: TestClient, session: Session) -> None:
    areas = client.get("/api/v1/areas").json()["areas"]
    codes = [area["code"] for area in areas]
    assert codes[:2] == ["africa", "world"]
    counts = queries.published_counts_by_area(session)
    assert {area["code"]: area["figure_count"] for area in areas} == counts
    nepal = next(area for area in areas if area["code"] == "NPL")
    assert nepal["metric_counts"] == {
        "enlisted": 7,
        "returned": 1,
        "killed": 7,
        "missing": 2,
        "captured": 1,
        "recruitment_suspects": 1,
        "pay_monthly": 4,
        "signing_bonus": 1,
    }
    assert nepal["page"] == "/countries/NPL" and nepal["api"] == "/api/v1/areas/NPL"
    assert nepal["downloads"]["csv"] == "/export/figures.csv?area=NPL"


def test_area_has_the_pages_sections_and_timeline(client: TestClient) -> None:
    body = client.get("/api/v1/areas/NPL").json()
    assert [section["metric"] for section in body["comparisons"]] == NEPAL_SECTIONS
    assert body["timeline"][0]["title"].startswith("Nepal halts work permits")
    assert body["figure_count"] == 24
    assert client.get("/api/v1/areas/npl").json()["code"] == "NPL"
    assert client.get("/api/v1/areas/world").json()["kind"] == "region"
    assert client.get("/api/v1/areas/XXX").status_code == 404


def test_comparison_has_the_numbers_the_chart_and_page_show(
    client: TestClient, session: Session
) -> None:
    body = client.get("/api/v1/areas/NPL/metrics/enlisted").json()
    # docs/comparing.md's worked example: about 200 (26 Dec 2023, the foreign minister) against
    # 14,000-15,000 (Feb 2024, an MP), two months apart, not overlapping: 14,000 / 200 = 70x.
    disagreement = body["disagreement"]
    assert (disagreement["verdict"], disagreement["factor"], disagreement["label"]) == (
        "conflict",
        "70",
        "70x",
    )
    assert (disagreement["higher"]["low"], disagreement["higher"]["high"]) == ("14000", "15000")
    assert (disagreement["lower"]["low"], disagreement["lower"]["date"]) == ("200", "26 Dec 2023")
    sides = {side["side"]: side for side in body["sides"]}
    assert set(sides) == {"official_origin"}, "sides are never pooled"
    assert sides["official_origin"]["official"]["claimant_kind"] == "official_origin"
    assert body["log_scale"] is True
    area = queries.get_area(session, "NPL")
    assert area is not None
    section = next(
        s
        for s in area_page(session, area, Site("x", "http://testserver"))["sections"]
        if s["metric"].slug == "enlisted"
    )
    group = section["group"]
    assert [figure["id"] for figure in body["figures"]] == [record.id for record in group.records]
    chart_points = {
        (figure_id, x[:10], y)
        for trace in section["charts"][0].chart["data"]
        if trace.get("mode") == "markers" and "customdata" in trace and trace["xaxis"] == "x"
        for figure_id, x, y in zip(trace["customdata"], trace["x"], trace["y"], strict=True)
    }
    api_points = {
        (point["figure_id"], point["date"], float(Decimal(value)))
        for point in body["chart_points"]
        for value in {point["low"], point["high"]} - {None}
    }
    assert api_points == chart_points


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/areas/NPL/metrics/vibes", 404),
        ("/api/v1/areas/XXX/metrics/enlisted", 404),
        ("/api/v1/areas/NPL/metrics/convictions", 404),
        ("/api/v1/metrics/vibes", 404),
        ("/api/v1/sources/999999", 404),
        ("/api/v1/figures/999999", 404),
        ("/api/v1/figures/abc", 422),
        ("/api/v1/figures/99999999999999999999999", 422),
        ("/api/v1/sources/0", 422),
    ],
)
def test_unknown_things_are_refused_as_json(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert "detail" in response.json()


def test_metrics_list_and_metric_page(client: TestClient) -> None:
    metrics = client.get("/api/v1/metrics").json()["metrics"]
    assert metrics[0]["slug"] == "enlisted" and metrics[0]["figure_count"] == 44
    body = client.get("/api/v1/metrics/enlisted").json()
    factors = [
        Decimal(c["disagreement"]["factor"])
        for c in body["comparisons"]
        if c["disagreement"]["factor"] is not None
    ]
    assert factors == sorted(factors, reverse=True)
    assert body["comparisons"][0]["area"] == "NPL"
    assert sum(c["figure_count"] for c in body["comparisons"]) == body["figure_count"] == 44


def test_sources_and_one_source(client: TestClient, session: Session) -> None:
    sources = client.get("/api/v1/sources").json()["sources"]
    counts = [source["figure_count"] for source in sources]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == len(published(session))
    first = sources[0]
    body = client.get(first["api"]).json()
    assert len(body["figures"]) == first["figure_count"]
    assert {figure["source"]["id"] for figure in body["figures"]} == {first["id"]}


def test_figure_has_citation_with_version_and_revisions(
    client: TestClient, session: Session
) -> None:
    figure = queries.figure_by_external_ref(session, "E18a")
    assert figure is not None
    body = client.get(f"/api/v1/figures/{figure.id}").json()
    version = queries.current_dataset_version(session)
    assert (body["low"], body["high"], body["bound"]) == ("14000", "15000", "range")
    assert body["as_of"] == "2024-02"
    assert body["permalink"].endswith(f"/figures/{figure.id}")
    assert body["permalink"] in body["citation"]
    assert f"dataset version {version}" in body["citation"]
    assert body["dataset_version"] == version
    assert [revision["number"] for revision in body["revisions"]] == [1]
    assert body["revisions"][0]["created"] is True
    assert body["claimant_kind"] == "independent" and body["official"] is False


def test_revisions_show_what_changed(client: TestClient, session: Session) -> None:
    figure = add_figure(session, FigureStatus.PENDING)
    queries.set_figure_status(
        session,
        figure=figure,
        status=FigureStatus.PUBLISHED,
        changed_by="reviewer",
        reason="checked",
    )
    for status in (FigureStatus.RETRACTED, FigureStatus.PUBLISHED):
        queries.set_figure_status(
            session, figure=figure, status=status, changed_by="editor", reason="again"
        )
    revisions = client.get(f"/api/v1/figures/{figure.id}").json()["revisions"]
    assert [revision["number"] for revision in revisions] == [2, 3, 4]  # from its publication
    assert revisions[0]["created"] is True and revisions[0]["changes"] == {}
    assert revisions[0]["changed_by"] == "reviewer" and revisions[0]["reason"] == "checked"
    assert revisions[1]["changes"]["status"] == {
        "before": "published",
        "after": "retracted",
        "redacted": False,
    }
    assert revisions[2]["changes"]["status"]["after"] == "published"


def test_retracted_figure_answers_gone_and_pending_not_found(
    client: TestClient, session: Session
) -> None:
    retracted = add_figure(session, FigureStatus.RETRACTED)
    gone = client.get(f"/api/v1/figures/{retracted.id}")
    assert gone.status_code == 410
    assert f"/figures/{retracted.id}" in gone.json()["detail"]
    for status in (FigureStatus.PENDING, FigureStatus.REJECTED):
        hidden = add_figure(session, status, source_url=f"https://example.org/{status}")
        assert client.get(f"/api/v1/figures/{hidden.id}").status_code == 404


def test_numbers_are_exact_text(client: TestClient, session: Session) -> None:
    figure = add_figure(
        session,
        FigureStatus.PUBLISHED,
        low="2.5",
        high="2.5",
        unit="weeks",
        metric="training_weeks",
    )
    body = client.get(f"/api/v1/figures/{figure.id}").json()
    assert (body["low"], body["high"]) == ("2.5", "2.5")


# Filters: each is checked against the same selection made in Python from the published records.


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("area=NPL", lambda r: r.area_code == "NPL"),
        ("area=npl", lambda r: r.area_code == "NPL"),
        ("area=NPL&area=IND", lambda r: r.area_code in ("NPL", "IND")),
        ("metric=killed", lambda r: r.metric_slug == "killed"),
        ("area=NPL&metric=enlisted", lambda r: (r.area_code, r.metric_slug) == ("NPL", "enlisted")),
        ("claimant_kind=independent", lambda r: r.claimant_kind is ClaimantKind.INDEPENDENT),
        (
            "claimant_kind=media&claimant_kind=testimony",
            lambda r: r.claimant_kind in (ClaimantKind.MEDIA, ClaimantKind.TESTIMONY),
        ),
        ("side=official", lambda r: r.claimant_kind.is_official),
        ("side=independent", lambda r: not r.claimant_kind.is_official),
        ("side=official&claimant_kind=media", lambda r: False),
        (
            "as_of_from=2024&as_of_to=2024",
            lambda r: r.as_of is not None and r.as_of.value.year == 2024,
        ),
        (
            "as_of_from=2025-03",
            lambda r: r.as_of is not None and r.as_of.value.isoformat() >= "2025-03-01",
        ),
        (
            "as_of_to=2024-02-13",
            lambda r: r.as_of is not None and r.as_of.value.isoformat() <= "2024-02-13",
        ),
        (
            "q=nepal",
            lambda r: (
                "nepal"
                in (
                    r.claimant + r.quote + r.source_publisher + r.source_title + r.source_url
                ).lower()
            ),
        ),
        (
            "q=NEPAL",
            lambda r: (
                "nepal"
                in (
                    r.claimant + r.quote + r.source_publisher + r.source_title + r.source_url
                ).lower()
            ),
        ),
        ("q=zzzz-not-there", lambda r: False),
    ],
)
def test_filters_select_what_they_say(
    client: TestClient, session: Session, query: str, keep: Any
) -> None:
    expected = [record.id for record in published(session) if keep(record)]
    assert [item["id"] for item in all_items(client, query)] == expected


def test_text_search_takes_wildcards_literally(client: TestClient, session: Session) -> None:
    percent = add_figure(session, FigureStatus.PUBLISHED, quote="100% of them", claimant="A_B")
    add_figure(session, FigureStatus.PUBLISHED, quote="1000 of them", claimant="AxB")
    assert [item["id"] for item in all_items(client, "q=100%25")] == [percent.id]
    assert [item["id"] for item in all_items(client, "q=A_B")] == [percent.id]
    assert [item["id"] for item in all_items(client, "q=a_b")] == [percent.id]


def test_source_filter(client: TestClient, session: Session) -> None:
    figure = queries.figure_by_external_ref(session, "E18a")
    assert figure is not None
    expected = [r.id for r in published(session) if r.source_id == figure.source_id]
    assert [item["id"] for item in all_items(client, f"source={figure.source_id}")] == expected


@pytest.mark.parametrize(
    "query",
    [
        "area=XXX",
        "metric=vibes",
        "claimant_kind=government",
        "side=both",
        "as_of_from=2025-13",
        "as_of_to=last-year",
        "limit=0",
        "limit=1001",
        "offset=-1",
        "source=abc",
        "q=" + "x" * 201,
        "metrics=killed",
    ],
)
def test_bad_filters_are_refused_not_ignored(client: TestClient, query: str) -> None:
    response = client.get(f"/api/v1/figures?{query}")
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


def test_pages_walk_every_figure_once_in_id_order(client: TestClient, session: Session) -> None:
    expected = [record.id for record in published(session)]
    seen: list[int] = []
    address: str | None = "/api/v1/figures?limit=7&metric=enlisted&metric=killed"
    kept = {r.id for r in published(session) if r.metric_slug in ("enlisted", "killed")}
    pages = 0
    while address:
        body = client.get(address).json()
        assert body["total"] == len(kept)
        assert len(body["items"]) <= 7
        seen.extend(item["id"] for item in body["items"])
        address = body["next"]
        pages += 1
    assert seen == [figure_id for figure_id in expected if figure_id in kept]
    assert pages == -(-len(kept) // 7)


def test_page_links_and_downloads_keep_the_filters(client: TestClient) -> None:
    body = client.get("/api/v1/figures?metric=killed&limit=2&offset=2").json()
    assert body["limit"] == 2 and body["offset"] == 2
    assert body["previous"] == "/api/v1/figures?metric=killed&limit=2&offset=0"
    assert body["next"] == "/api/v1/figures?metric=killed&limit=2&offset=4"
    assert body["downloads"] == {
        "csv": "/export/figures.csv?metric=killed",
        "json": "/export/figures.json?metric=killed",
        "zip": "/export/figures.zip?metric=killed",
        "datapackage": "/export/datapackage.json?metric=killed",
    }
    past_the_end = client.get("/api/v1/figures?offset=100000").json()
    assert past_the_end["items"] == [] and past_the_end["next"] is None


def test_filters_give_the_same_figures_as_the_downloads(data_client: TestClient) -> None:
    query = "metric=enlisted&side=independent&as_of_from=2024"
    api_ids = [item["id"] for item in all_items(data_client, query)]
    csv_ids = [
        int(row["figure_id"])
        for row in csv_rows(data_client.get(f"/export/figures.csv?{query}").text)
    ]
    json_ids = [
        row["figure_id"]
        for row in data_client.get(f"/export/figures.json?{query}").json()["figures"]
    ]
    assert api_ids == csv_ids == json_ids and api_ids


# Conditional requests.

CONDITIONAL_PATHS = [
    *API_ANSWERS,
    "/export/figures.csv",
    "/export/figures.csv?area=NPL&hxl=1",
    "/export/figures.json?metric=killed",
]


@pytest.mark.parametrize("path", CONDITIONAL_PATHS)
def test_conditional_requests_answer_304_until_the_data_changes(
    data_client: TestClient, session: Session, path: str
) -> None:
    first = data_client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and queries.current_dataset_version(session) in etag
    assert first.headers["cache-control"] == "no-cache"
    again = data_client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert data_client.get(path, headers={"If-None-Match": "*"}).status_code == 304
    assert data_client.get(path, headers={"If-None-Match": 'W/"other", ' + etag}).status_code == 304
    assert data_client.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200
    add_figure(session, FigureStatus.PUBLISHED)
    changed = data_client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        ('W/"v1"', True),
        ('"v1"', True),
        ('W/"v0", W/"v1"', True),
        ("*", True),
        ('W/"v2"', False),
        ("", False),
        (None, False),
    ],
)
def test_etag_comparison_is_weak(header: str | None, matches: bool) -> None:
    assert etag_matches(header, etag_for("v1")) is matches


# Only published figures are public.

MARKER = "Zq9 private claimant"


@pytest.mark.parametrize(
    "status", [FigureStatus.PENDING, FigureStatus.REJECTED, FigureStatus.RETRACTED]
)
def test_unpublished_figures_never_appear_in_any_public_output(
    data_client: TestClient, session: Session, status: FigureStatus
) -> None:
    figure = add_figure(
        session,
        status,
        claimant=MARKER,
        quote=f"{MARKER} says 7",
        source_url="https://example.org/private-source",
        source_publisher=MARKER,
    )
    outputs = [
        "/api/v1/areas",
        "/api/v1/areas/NPL",
        "/api/v1/areas/NPL/metrics/killed",
        "/api/v1/metrics",
        "/api/v1/metrics/killed",
        "/api/v1/figures?limit=1000",
        "/api/v1/figures?limit=1000&q=Zq9",
        "/api/v1/sources",
        "/export/figures.csv",
        "/export/figures.csv?area=NPL&metric=killed&hxl=1",
        "/export/figures.json",
        "/export/figures.json?q=Zq9",
        "/",
        "/countries/NPL",
        "/metrics/killed",
    ]
    for path in outputs:
        response = data_client.get(path)
        assert response.status_code == 200, path
        assert MARKER not in response.text, path
        assert f'/figures/{figure.id}"' not in response.text, path
    assert data_client.get("/api/v1/figures?q=Zq9").json()["total"] == 0
    assert data_client.get(f"/api/v1/sources/{figure.source_id}").status_code == 404
    answer = data_client.get(f"/api/v1/figures/{figure.id}")
    assert answer.status_code == (410 if status is FigureStatus.RETRACTED else 404)
    assert MARKER not in answer.text


def test_dataset_version_ignores_pending_work_and_follows_public_changes(
    session: Session,
) -> None:
    versions = [queries.current_dataset_version(session)]
    figure = add_figure(session, FigureStatus.PENDING)
    queries.edit_figure(
        session,
        figure=figure,
        figure_in=figure_input(low="8", high="8"),
        changed_by="t",
        reason="pending edit",
    )
    assert queries.current_dataset_version(session) == versions[-1]
    changes = [
        (FigureStatus.PUBLISHED, "publish"),
        (None, "edit"),
        (FigureStatus.RETRACTED, "retract"),
        (FigureStatus.PUBLISHED, "reinstate"),
    ]
    for status, reason in changes:
        if status is None:
            queries.edit_figure(
                session,
                figure=figure,
                figure_in=figure_input(low="9", high="9"),
                changed_by="t",
                reason=reason,
            )
        else:
            queries.set_figure_status(
                session, figure=figure, status=status, changed_by="t", reason=reason
            )
        versions.append(queries.current_dataset_version(session))
    source = queries.source_for(session, figure_input())
    queries.add_event(
        session,
        area_code="NPL",
        happened_on=PartialDate.parse("2025-01"),
        title="An event",
        description="",
        source=source,
        external_ref=None,
    )
    versions.append(queries.current_dataset_version(session))
    assert len(set(versions)) == len(versions) == 6


# Every HTML page that shows data links its JSON twin.

TWIN = re.compile(r'<link rel="alternate" type="application/json" href="([^"]+)">')


def _twin_pages(session: Session) -> list[str]:
    figure = queries.figure_by_external_ref(session, "E18a")
    assert figure is not None
    return [
        "/",
        "/countries/NPL",
        "/regions/world",
        "/metrics/enlisted",
        f"/figures/{figure.id}",
        "/sources",
        f"/sources/{figure.source_id}",
    ]


def test_every_data_page_links_its_json_twin(client: TestClient, session: Session) -> None:
    version = queries.current_dataset_version(session)
    for path in _twin_pages(session):
        page = client.get(path)
        twins = TWIN.findall(page.text)
        assert len(twins) == 1, path
        assert f'href="{twins[0]}" type="application/json"' in page.text, path
        twin = client.get(twins[0])
        assert twin.status_code == 200, twins[0]
        assert twin.headers["content-type"] == "application/json", twins[0]
        if path != "/sources":
            assert version in page.text, path


def test_area_page_offers_downloads_of_its_slices(client: TestClient) -> None:
    page = client.get("/countries/NPL").text
    assert 'href="/export/figures.csv?area=NPL"' in page
    assert 'href="/export/figures.json?area=NPL"' in page
    assert 'href="/export/figures.csv?area=NPL&amp;metric=enlisted"' in page
    assert 'href="/api/v1/areas/NPL/metrics/enlisted"' in page
    metric_page = client.get("/metrics/killed").text
    assert 'href="/export/figures.csv?metric=killed"' in metric_page


def test_citation_on_the_page_names_the_dataset_version(
    client: TestClient, session: Session
) -> None:
    figure = queries.figure_by_external_ref(session, "E18a")
    assert figure is not None
    context = client.get(f"/figures/{figure.id}").context  # type: ignore[attr-defined]
    assert f"dataset version {context['dataset_version']}" in context["citation"]
    assert context["dataset_version"] == queries.current_dataset_version(session)


def test_retracted_figure_page_has_no_json_twin(client: TestClient, session: Session) -> None:
    figure = add_figure(session, FigureStatus.RETRACTED)
    page = client.get(f"/figures/{figure.id}")
    assert page.status_code == 410  # Gone, like the API, with the notice and history
    assert not TWIN.findall(page.text)


# The documentation works offline.


def test_docs_page_uses_only_local_scripts_and_assets(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    scripts = re.findall(r"<script([^>]*)>", page.text)
    assert scripts and all('src="/' in attributes for attributes in scripts)
    # Assets are local (a link for people to follow, such as the licence's, may lead elsewhere).
    assert not re.search(r'<(script|link|img)\b[^>]*(src|href)="(https?:)?//', page.text)
    bundle = client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in bundle.text[:5000]
    assert client.get("/api/docs/assets/swagger-ui.css").status_code == 200
    assert client.get("/api/docs/assets/index.html").status_code == 404
    assert client.get("/api/docs/assets/..%2F__init__.py").status_code == 404
    initialiser = client.get("/static/js/api-docs.js").text
    assert "validatorUrl: null" in initialiser


def test_openapi_describes_the_data_endpoints(client: TestClient) -> None:
    full = client.get("/openapi.json").json()
    assert "/api/v1/figures" in full["paths"] and "/export/figures.csv" in full["paths"]
    data = client.get("/api/v1/openapi.json").json()
    assert set(data["paths"]) == {
        path for path in full["paths"] if path.startswith(("/api/v1", "/export/"))
    }
    assert "FigurePageOut" in data["components"]["schemas"]
    parameters = {p["name"] for p in data["paths"]["/api/v1/figures"]["get"]["parameters"]}
    assert {"area", "metric", "claimant_kind", "side", "as_of_from", "as_of_to", "q"} <= parameters
    assert {"limit", "offset", "source"} <= parameters
