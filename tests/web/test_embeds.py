"""Embeds through the real application: the chart alone with its credit line, pinned versions,
the snippet the area page offers, the images' title and credit, and who may frame what."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy.orm import Session

from app.domain.figures import FigureStatus
from app.domain.licence import attribution_line
from app.models import Area
from app.settings import Settings
from app.web.deps import app_state_of
from app.web.pages.charts import escape_plotly
from support import add_figure

SITE = Settings()
NEPAL_ENLISTED_EMBED = "/embed/countries/NPL/enlisted"
NEPAL_SECTION = f"{SITE.public_base_url}/countries/NPL#metric-enlisted"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "co"'
FRAMED_PAGES = [
    NEPAL_ENLISTED_EMBED,
    "/embed/regions/world/enlisted",
    "/embed/countries/XXX/enlisted",
]
UNFRAMED_PAGES = [
    "/",
    "/countries/NPL",
    "/countries/NPL/metrics/enlisted",
    "/metrics/enlisted",
    "/figures/1",
    "/sources",
    "/api/v1/areas/NPL",
    "/export/figures.csv?area=NPL",
    "/static/css/embed.css",
    "/countries/XXX",
    "/embedded/countries/NPL/enlisted",
]


class _Elements(HTMLParser):
    """Collects the attributes of every element of some tags, and the text of textareas."""

    def __init__(self, *tags: str) -> None:
        super().__init__()
        self.tags = tags
        self.found: list[dict[str, str | None]] = []
        self.textareas: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.tags:
            self.found.append(dict(attrs))
        if tag == "textarea":
            self._textarea = dict(attrs).get("id") or ""
            self.textareas[self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.textareas[self._textarea] += data


def _elements(text: str, *tags: str) -> _Elements:
    parser = _Elements(*tags)
    parser.feed(text)
    return parser


def _canvas(text: str, chart_id: str) -> dict[str, str | None]:
    canvases = _elements(text, "div").found
    return next(found for found in canvases if found.get("id") == chart_id)


def test_an_embed_is_the_pages_chart_alone_with_its_credit_line(client: TestClient) -> None:
    page = client.get("/countries/NPL")
    response = client.get(NEPAL_ENLISTED_EMBED)
    assert response.status_code == 200
    assert response.template.name == "embed.html"  # type: ignore[attr-defined]
    context = response.context  # type: ignore[attr-defined]
    sections = page.context["sections"]  # type: ignore[attr-defined]
    section = next(s for s in sections if s["group"].metric_slug == "enlisted")
    assert [drawn.chart for drawn in context["charts"]] == [d.chart for d in section["charts"]]
    version = page.context["dataset_version"]  # type: ignore[attr-defined]
    credit = attribution_line(SITE.site_name, version, NEPAL_SECTION)
    assert context["credit"] == credit
    assert "site-header" not in response.text and "site-footer" not in response.text
    assert "A newer version" not in response.text
    links = _elements(response.text, "a").found
    back = [link for link in links if link.get("class") == "attribution"]
    assert back == [
        {"class": "attribution", "href": NEPAL_SECTION, "target": "_blank", "rel": "noopener"}
    ]
    assert str(escape(credit)) in response.text
    canvas = _canvas(response.text, "chart-enlisted")
    assert canvas["data-export-title"] == "Enlisted in Nepal"
    assert canvas["data-export-credit"] == escape_plotly(credit)


def test_a_region_has_embeds_and_a_lowercase_code_is_sent_to_the_capitals(
    client: TestClient,
) -> None:
    region = client.get("/embed/regions/world/enlisted")
    assert region.status_code == 200
    assert region.context["title"] == "Enlisted in All foreign nationals"  # type: ignore[attr-defined]
    moved = client.get("/embed/countries/npl/enlisted?version=x", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == "/embed/countries/NPL/enlisted?version=x"


@pytest.mark.parametrize(
    "path",
    [
        "/embed/countries/XXX/enlisted",
        "/embed/countries/NPL/no_such_metric",
        "/embed/countries/world/enlisted",
        "/embed/regions/NPL/enlisted",
    ],
)
def test_no_embed_of_what_does_not_exist(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_an_embed_without_figures_or_dates_says_so(client: TestClient, session: Session) -> None:
    empty = client.get("/embed/countries/NPL/convictions")
    assert empty.status_code == 200
    assert "No published figures of convictions in Nepal yet." in empty.text
    add_figure(session, FigureStatus.PUBLISHED, metric="convictions", unit="persons")
    undated = client.get("/embed/countries/NPL/convictions")
    assert "None of the 1 published figures of convictions in Nepal states a date" in undated.text
    assert "data-chart-for" not in undated.text


@pytest.mark.parametrize("version", ["latest", "2026-05-03", "<script>", "2026-05-03.3f9a1c2e%00"])
def test_a_pin_that_is_no_version_is_refused(client: TestClient, version: str) -> None:
    response = client.get(f"{NEPAL_ENLISTED_EMBED}?version={version}")
    assert response.status_code == 400
    assert "<script>" not in response.text


def test_an_embed_pinned_to_the_current_version_says_nothing_more(client: TestClient) -> None:
    version = client.get(NEPAL_ENLISTED_EMBED).context["dataset_version"]  # type: ignore[attr-defined]
    pinned = client.get(f"{NEPAL_ENLISTED_EMBED}?version={version}")
    assert pinned.status_code == 200
    assert "embed-notice" not in pinned.text


def test_an_embed_pinned_to_an_earlier_version_shows_the_current_data_and_says_so(
    client: TestClient, session: Session
) -> None:
    earlier = client.get(NEPAL_ENLISTED_EMBED).context["dataset_version"]  # type: ignore[attr-defined]
    added = add_figure(
        session, FigureStatus.PUBLISHED, metric="enlisted", low="321", high="321", as_of="2026-01"
    )
    response = client.get(f"{NEPAL_ENLISTED_EMBED}?version={earlier}")
    assert response.status_code == 200
    current = response.context["dataset_version"]  # type: ignore[attr-defined]
    assert current != earlier
    drawn = {
        figure_id
        for trace in response.context["charts"][0].chart["data"]  # type: ignore[attr-defined]
        for figure_id in trace.get("customdata", [])
    }
    assert added.id in drawn
    notice = response.text.split('class="embed-notice"', 1)[1].split("</p>", 1)[0]
    assert f"embedded at dataset version <code>{earlier}</code>" in notice
    assert "A newer version of this data exists" in notice
    assert f"The chart shows the current version, <code>{current}</code>" in notice
    assert f'href="{NEPAL_SECTION}"' in notice
    # The credit line under the chart names the version of the data drawn, never the pinned one.
    assert attribution_line(SITE.site_name, current, NEPAL_SECTION) == response.context["credit"]  # type: ignore[attr-defined]
    assert earlier not in response.context["credit"]  # type: ignore[attr-defined]


def test_an_embed_pinned_to_a_version_this_data_never_had_says_so(client: TestClient) -> None:
    response = client.get(f"{NEPAL_ENLISTED_EMBED}?version=2999-01-01.0123abcd")
    notice = response.text.split('class="embed-notice"', 1)[1].split("</p>", 1)[0]
    assert "<code>2999-01-01.0123abcd</code>, which is not a version of this data" in notice
    assert "A newer version" not in notice
    assert "The chart shows the current version" in notice


def test_only_embeds_of_the_current_version_are_kept(client: TestClient) -> None:
    cache = app_state_of(client.app).body_cache  # type: ignore[arg-type]
    version = client.get(NEPAL_ENLISTED_EMBED).context["dataset_version"]  # type: ignore[attr-defined]
    kept = len(cache)
    for made_up in ("2020-01-01.00000001", "2020-01-01.00000002", "2999-01-01.00000003"):
        assert client.get(f"{NEPAL_ENLISTED_EMBED}?version={made_up}").status_code == 200
    assert len(cache) == kept
    client.get(f"{NEPAL_ENLISTED_EMBED}?version={version}")
    client.get(f"{NEPAL_ENLISTED_EMBED}?version={version}&other=1")
    assert len(cache) == kept + 1


@pytest.mark.parametrize("path", FRAMED_PAGES)
def test_embeds_may_be_framed_by_any_site(client: TestClient, path: str) -> None:
    for _ in range(2):  # rendered, then replayed from the kept pages
        headers = client.get(path).headers
        policy = [part.strip() for part in headers["content-security-policy"].split(";")]
        assert "frame-ancestors *" in policy
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
        assert "x-frame-options" not in headers
        assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", UNFRAMED_PAGES)
def test_every_other_page_refuses_to_be_framed(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    policy = [part.strip() for part in headers["content-security-policy"].split(";")]
    assert "frame-ancestors 'none'" in policy and "frame-ancestors *" not in policy
    assert headers["x-frame-options"] == "DENY"


def test_the_area_page_offers_a_snippet_per_chart_that_frames_its_embed(
    client: TestClient,
) -> None:
    page = client.get("/countries/NPL")
    version = page.context["dataset_version"]  # type: ignore[attr-defined]
    found = _elements(page.text, "textarea")
    pinned = _elements(found.textareas["embed-pinned-enlisted"], "iframe").found
    current = _elements(found.textareas["embed-current-enlisted"], "iframe").found
    assert len(pinned) == len(current) == 1
    base = f"{SITE.public_base_url}{NEPAL_ENLISTED_EMBED}"
    assert pinned[0]["src"] == f"{base}?version={version}"
    assert current[0]["src"] == base
    assert pinned[0]["title"] == f"Enlisted in Nepal: every estimate by date ({SITE.site_name})"
    assert int(pinned[0]["height"] or 0) > 340
    assert found.found and all("readonly" in frame for frame in found.found)
    framed = client.get(str(pinned[0]["src"]).removeprefix(SITE.public_base_url))
    assert framed.status_code == 200 and "embed-notice" not in framed.text
    sections = set(re.findall(r'id="metric-([a-z_]+)"', page.text))
    offered = {key.removeprefix("embed-pinned-") for key in found.textareas if "pinned" in key}
    drawn = set(re.findall(r'data-chart-for="chart-([a-z_]+?)(?:-[a-z]{3})?"', page.text))
    assert offered == drawn and offered <= sections


def test_every_chart_names_the_title_and_credit_its_image_carries(client: TestClient) -> None:
    version = client.get("/countries/NPL").context["dataset_version"]  # type: ignore[attr-defined]
    expected = {
        "/countries/NPL": ("chart-enlisted", "Enlisted in Nepal", NEPAL_SECTION),
        "/?map=killed": (
            "world-map",
            "Countries of origin: killed",
            f"{SITE.public_base_url}/?map=killed",
        ),
        "/metrics/enlisted": (
            "metric-chart",
            "Enlisted: each government",
            f"{SITE.public_base_url}/metrics/enlisted",
        ),
    }
    for path, (chart_id, title, address) in expected.items():
        canvas = _canvas(client.get(path).text, chart_id)
        assert str(canvas["data-export-title"]).startswith(title), path
        assert canvas["data-export-credit"] == escape_plotly(
            attribution_line(SITE.site_name, version, address)
        ), path
        assert str(canvas["data-export-name"]).endswith(version), path


def test_the_texts_handed_to_plotly_for_images_are_escaped(
    client: TestClient, session: Session
) -> None:
    session.add(Area(code="XHX", kind="country", name=HOSTILE, description=""))
    session.flush()
    add_figure(
        session,
        FigureStatus.PUBLISHED,
        area="XHX",
        metric="enlisted",
        claimant=HOSTILE,
        as_of="2025",
    )
    for path in ("/countries/XHX", "/embed/countries/XHX/enlisted"):
        text = client.get(path).text
        assert HOSTILE not in text and "</script><img" not in text, path
        canvas = _canvas(text, "chart-enlisted")
        assert canvas["data-export-title"] == escape_plotly(f"Enlisted in {HOSTILE}"), path
        assert "<" not in str(canvas["data-export-title"]), path
