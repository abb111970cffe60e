"""Pages through the real application (TestClient): templates, context values, markup, headers."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import queries
from app.domain.comparisons import make_group
from app.domain.figures import FigureStatus
from app.domain.group_charts import SECTION_TABLE_ROWS
from app.figure_input import FigureIn
from support import NEPAL_ENLISTED, NEPAL_SECTIONS, add_daily_copies

PAGES = [
    "/",
    "/countries/NPL",
    "/countries/KEN",
    "/countries/RUS",
    "/regions/world",
    "/regions/africa",
    "/metrics/enlisted",
    "/metrics/killed",
    "/metrics/pay_monthly",
    "/sources",
    "/coverage",
]


class ScriptCollector(HTMLParser):
    """Collects the attributes of every <script> and whether it has inline code."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.external: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            if tag in ("script", "link", "img") and re.match(r"^(https?:)?//", value):
                self.external.append(value)


def _figure(**changes: object) -> FigureIn:
    values: dict[str, object] = {
        "area": "NPL",
        "metric": "killed",
        "low": "7",
        "high": "7",
        "bound": "exact",
        "unit": "persons",
        "claimant": "Test claimant",
        "claimant_kind": "media",
        "quote": "seven were killed",
        "source_url": "https://example.org/test",
        "source_publisher": "Example",
    }
    values.update(changes)
    return FigureIn.model_validate(values)


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_without_inline_or_foreign_scripts(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    collector = ScriptCollector()
    collector.feed(response.text)
    assert collector.external == []
    for script in collector.scripts:
        # Only same-origin scripts run: the others are data blocks (charts, JSON-LD).
        data_block = script.get("type") in ("application/json", "application/ld+json")
        assert script.get("src") or data_block, script
    assert "<script>" not in response.text


@pytest.mark.parametrize("path", [*PAGES, "/healthz", "/static/css/site.css", "/countries/XXX"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    policy = headers["content-security-policy"]
    script_policy = next(part for part in policy.split(";") if "script-src" in part)
    assert "'unsafe-inline'" not in script_policy and "'unsafe-eval'" not in script_policy
    assert "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_nepal_enlisted_disagreement_is_70(client: TestClient) -> None:
    response = client.get("/countries/NPL")
    assert response.template.name == "area.html"  # type: ignore[attr-defined]
    sections = {s["group"].metric_slug: s for s in response.context["sections"]}  # type: ignore[attr-defined]
    enlisted = sections["enlisted"]["group"]
    assert enlisted.disagreement.factor == Decimal(
        70
    )  # 14,000 (Feb 2024) over about 200 (Dec 2023)
    assert enlisted.disagreement.higher.low == Decimal(14000)
    assert enlisted.disagreement.lower.low == Decimal(200)
    assert {r.external_ref for r in enlisted.records} == NEPAL_ENLISTED
    assert sections["enlisted"]["charts"][0].chart["layout"]["yaxis"]["type"] == "log"
    section_html = response.text.split('id="metric-enlisted"', 1)[1].split("</section>", 1)[0]
    assert "70x" in section_html
    assert section_html.count("data-figure-id=") == 7


def test_the_overview_lists_the_headline_s_latest_figures_and_counts_them_all(
    client: TestClient, session: Session
) -> None:
    add_daily_copies(session, "world", "enlisted", SECTION_TABLE_ROWS + 5)
    count = queries.kept_summaries(session, area_code="world")[("world", "enlisted")].figure_count
    page = client.get("/").text
    start = page.index('<section aria-labelledby="headline-title">')
    headline = page[start : page.index("</section>", start)]
    assert f"The latest {SECTION_TABLE_ROWS} of the {count:,} figures in the chart" in headline
    rows = re.findall(r'<tr><td data-label="Figure"><a href="/figures/(\d+)">', headline)
    latest = [
        record.id
        for record in make_group(
            queries.published_records(session, area_code="world", metric_slug="enlisted")
        ).records[-SECTION_TABLE_ROWS:]
    ]
    assert [int(found) for found in rows] == latest


def test_country_page_lists_metric_sections_in_vocabulary_order(client: TestClient) -> None:
    response = client.get("/countries/NPL")
    slugs = [s["group"].metric_slug for s in response.context["sections"]]  # type: ignore[attr-defined]
    assert slugs == NEPAL_SECTIONS
    assert [event.external_ref for event in response.context["timeline"]] == ["A08"]  # type: ignore[attr-defined]
    assert "Nepal halts work permits" in response.text


def test_overview_headline_and_countries(client: TestClient) -> None:
    response = client.get("/")
    context = response.context  # type: ignore[attr-defined]
    headline = context["headline"]
    assert headline.area_code == "world" and headline.metric_slug == "enlisted"
    # Russian officials' 30,000 and the independent 1,500 state no date: never compared; Ukraine's
    # 5,204 named (May 2025) and 18,000 (Nov 2025) are more than 180 days apart; Ukraine is set
    # against independent sources on its own, never pooled with Russia's.
    assert headline.disagreement.label() == "not compared: no two dated figures within 180 days"
    assert [compared.side.value for compared in headline.sides] == ["official_ukraine"]
    codes = [row.area.code for row in context["rows"]]
    assert {"NPL", "IND", "CUB", "world", "africa"} <= set(codes)
    assert codes[:2] == ["africa", "world"]
    contested = [
        (row.area.code, row.metric.slug, row.disagreement.label()) for row in context["contested"]
    ]
    assert contested == [
        ("NPL", "enlisted", "70x"),
        ("CMR", "killed", "11.2x"),
        ("world", "killed", "6.5x"),
        ("TJK", "killed", "6.2x"),
        ("KEN", "killed", "6x"),
        ("PRK", "casualties", "5.5x"),
        ("KEN", "recruited", "5x"),
        ("NPL", "pay_monthly", "2.6x"),
        ("NGA", "killed", "2.5x"),
        ("KEN", "pay_monthly", "1.8x"),
    ]
    assert context["figure_count"] == 255
    assert context["map_chart"]["data"][0]["locationmode"] == "ISO-3"
    assert "world" not in context["map_chart"]["data"][0]["locations"]


def test_the_map_is_coloured_by_the_current_independent_else_government_estimate(
    client: TestClient,
) -> None:
    """Nepal's enlisted: the activist's 699 (Nov 2025) is the independent side's current figure;
    Sri Lanka has no independent one, so its government's latest, 554 (Jan 2025), colours it;
    North Korea has figures but none for enlisted, so it is grey. The table twin says the same."""
    enlisted = client.get("/").context  # type: ignore[attr-defined]
    estimates, undated = enlisted["map_chart"]["data"]
    shown = dict(zip(estimates["locations"], estimates["z"], strict=True))
    assert 10 ** shown["NPL"] == pytest.approx(699)
    assert 10 ** shown["LKA"] == pytest.approx(554)
    assert "RUS" not in shown and "RUS" not in undated["locations"]
    assert "PRK" in undated["locations"] and "PRK" not in shown
    nepal = estimates["text"][estimates["locations"].index("NPL")]
    assert "699 persons (Independent sources, Nov 2025)" in nepal and "of its 24 figures" in nepal
    areas = {area.code: area for area in enlisted["map_areas"]}
    assert areas["LKA"].estimate.side.value == "official_origin"
    page = client.get("/").text
    assert re.search(r'<tr data-area="NPL">.*?699 persons.*?Independent sources', page, re.S)
    killed = client.get("/?map=killed").context  # type: ignore[attr-defined]
    assert killed["map_metric"] == "killed"
    estimates = killed["map_chart"]["data"][0]
    assert 10 ** estimates["z"][estimates["locations"].index("NPL")] == pytest.approx(104)
    # Any other value shows the enlisted map (the page kept for it, not a new one).
    assert '<option value="enlisted" selected>' in client.get("/?map=junk").text


def test_russias_own_losses_are_context_on_its_page_and_off_the_metric_pages(
    client: TestClient,
) -> None:
    russia = client.get("/countries/RUS").text
    assert '<h2 id="context-title">Context: Russia\'s own forces</h2>' in russia
    assert '<h3 id="title-casualties">' in russia
    killed_page = client.get("/metrics/casualties").context  # type: ignore[attr-defined]
    page_areas = [group.area_code for group in killed_page["groups"]]
    api_areas = [c["area"] for c in client.get("/api/v1/metrics/casualties").json()["comparisons"]]
    assert "RUS" not in page_areas and page_areas == api_areas
    assert '<h2 id="title-killed">' in client.get("/countries/NPL").text


def test_figure_lists_link_a_repeat_to_the_figure_it_repeats(
    client: TestClient, session: Session
) -> None:
    reprint = queries.figure_by_external_ref(session, "A12")
    original = queries.figure_by_external_ref(session, "E29a")
    assert reprint is not None and original is not None
    page = client.get("/countries/KAZ").text
    row = re.search(rf'<tr id="figure-{reprint.id}".*?</tr>', page, re.S)
    assert row is not None
    assert f'repeats <a href="/figures/{original.id}">#{original.id}</a>' in row.group(0)


def test_metric_page_sorts_by_disagreement(client: TestClient) -> None:
    response = client.get("/metrics/enlisted")
    groups = response.context["groups"]  # type: ignore[attr-defined]
    factors = [g.disagreement.factor for g in groups if g.disagreement.factor is not None]
    assert factors == sorted(factors, reverse=True)
    assert groups[0].area_code == "NPL"


def test_pay_is_shown_in_its_currency_and_never_converted_without_a_rate(
    client: TestClient,
) -> None:
    response = client.get("/countries/KEN")
    assert "350,000 KES per month" in response.text
    assert "no stored KES–USD rate with a source" in response.text
    cuba = client.get("/countries/CUB")
    assert "2,000 USD per month" in cuba.text


@pytest.mark.parametrize(
    "path",
    [
        "/countries/XXX",
        "/countries/world",
        "/regions/NPL",
        "/regions/atlantis",
        "/metrics/vibes",
        "/figures/999999",
        "/figures/abc",
        "/figures/99999999999999999999999",
        "/sources/999999",
        "/no/such/page",
    ],
)
def test_unknown_things_get_a_real_404_page(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Back to the overview" in response.text


def test_lower_case_country_codes_redirect(client: TestClient) -> None:
    response = client.get("/countries/npl", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == "/countries/NPL"


def test_figure_permalink_has_quote_citation_and_history(
    client: TestClient, session: Session
) -> None:
    figure = queries.figure_by_external_ref(session, "E18a")
    assert figure is not None
    response = client.get(f"/figures/{figure.id}")
    context = response.context  # type: ignore[attr-defined]
    assert context["permalink"].endswith(f"/figures/{figure.id}")
    assert context["permalink"] in context["citation"]
    assert "14,000–15,000 persons" in context["citation"]
    assert "Bimala Rai Paudyal" in context["citation"]
    assert [revision.number for revision in context["revisions"]] == [1]
    assert "between 14,000 and 15,000 Nepalese are fighting" in response.text


def test_pending_figures_have_no_public_page(client: TestClient, session: Session) -> None:
    figure = queries.add_figure(
        session, _figure(), status=FigureStatus.PENDING, changed_by="t", reason="t"
    )
    assert client.get(f"/figures/{figure.id}").status_code == 404
    assert f'data-figure-id="{figure.id}"' not in client.get("/countries/NPL").text


def test_retracted_figures_keep_their_page_but_leave_comparisons(
    client: TestClient, session: Session
) -> None:
    figure = queries.add_figure(
        session, _figure(), status=FigureStatus.RETRACTED, changed_by="t", reason="t"
    )
    page = client.get(f"/figures/{figure.id}")
    assert page.status_code == 410 and "has been retracted" in page.text
    assert f'data-figure-id="{figure.id}"' not in client.get("/countries/NPL").text


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_text_is_escaped_on_every_page(client: TestClient, session: Session) -> None:
    figure = queries.add_figure(
        session,
        _figure(
            claimant=HOSTILE, quote=HOSTILE, qualifier=HOSTILE, counted_as=HOSTILE, notes=HOSTILE
        ),
        status=FigureStatus.PUBLISHED,
        changed_by="t",
        reason="t",
    )
    for path in (f"/figures/{figure.id}", "/countries/NPL", f"/sources/{figure.source_id}"):
        text = client.get(path).text
        assert HOSTILE not in text, path
        assert "&lt;script&gt;alert(" in text, path
    chart_json = client.get("/countries/NPL").text
    assert "</script><img" not in chart_json


def test_healthz_reports_the_database(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_plotly_and_the_map_are_served_locally(client: TestClient) -> None:
    plotly = client.get("/static/vendor/plotly-geo.min.js")
    assert plotly.status_code == 200 and "plotly.js" in plotly.text[:200]
    world = client.get("/static/geo/world_110m.json")
    assert world.status_code == 200 and "countries" in world.json()["objects"]
    assert 'topojsonURL: "/static/geo/"' in client.get("/static/js/charts.js").text
