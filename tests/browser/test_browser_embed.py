"""Charts taken away, in a real browser: a page on another origin (a small HTTP server on a port
of its own) frames an embed, whose chart is drawn inside the frame, and an ordinary page, which
the browser refuses to frame; a chart's SVG and PNG downloads carry its title, the claimants'
legend, the credit line and the page's address."""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import TIMEOUT_MS, PageRecord, record_into
from playwright.sync_api import Browser, Download, FrameLocator, Locator, Page, expect

from app.domain.licence import attribution_line
from app.settings import Settings

SITE_NAME = Settings().site_name
EMBED = "/embed/countries/NPL/enlisted"
ORDINARY = "/countries/NPL"
CLAIMANT_LEGEND = ["Home-country officials", "Independent", "Media (unattributed)", "Testimony"]


def _host_page(server: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another site</title>
<link rel="icon" href="data:,"></head>
<body><h1>A newspaper's article</h1>
<iframe id="embed" src="{server}{EMBED}" width="680" height="460" title="embed"></iframe>
<iframe id="ordinary" src="{server}{ORDINARY}" width="680" height="300" title="page"></iframe>
</body></html>"""


@pytest.fixture
def other_origin(live_server: str) -> Iterator[str]:
    """Serve, on a port of its own (so another origin), a page that frames an embed and an
    ordinary page of the live server; yield the page's address."""
    body = _host_page(live_server).encode()

    class HostPage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = self.path == "/article.html"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), HostPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/article.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def host_page(browser: Browser, live_server: str) -> Iterator[tuple[Page, PageRecord]]:
    """Yield a fresh page recording what it does (as the page fixture does), for pages of
    another origin: the test says which of its records are expected."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    record = PageRecord(base_url=live_server)
    record_into(page, record)
    yield page, record
    context.close()


def _downloaded(trigger: Locator, page: Page) -> Download:
    with page.expect_download() as download:
        trigger.click()
    return download.value


def _image_button(chart: Locator, image_format: str) -> Locator:
    chart.hover()
    return chart.locator(f'.modebar-btn[data-title^="Download as {image_format.upper()}"]')


def _svg_texts(path: Path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return [" ".join(text.split()) for text in root.itertext() if text.strip()]


def _points(frame: FrameLocator | Page) -> Locator:
    return frame.locator(".chart-canvas .scatterlayer .point")


def test_another_site_frames_an_embed_but_not_an_ordinary_page(
    host_page: tuple[Page, PageRecord], other_origin: str, live_server: str
) -> None:
    page, record = host_page
    assert urlsplit(other_origin).netloc != urlsplit(live_server).netloc
    page.goto(other_origin)
    embed = page.frame_locator("#embed")
    expect(embed.locator(".chart-canvas")).to_have_attribute("data-drawn", "true")
    expect(_points(embed).first).to_be_attached()
    assert _points(embed).count() >= 7
    expect(embed.locator(".legend .traces")).to_have_count(len(CLAIMANT_LEGEND))
    back = embed.locator(".embed-caption a.attribution")
    expect(back).to_have_attribute("href", f"{live_server}{ORDINARY}#metric-enlisted")
    expect(back).to_have_attribute("target", "_blank")
    expect(back).to_contain_text(f"Source: {SITE_NAME}, dataset version ")

    ordinary = page.locator("#ordinary").element_handle().content_frame()
    assert ordinary is not None
    assert not ordinary.url.startswith(live_server), ordinary.url
    assert ordinary.query_selector(".site-header") is None
    refused = [line for line in record.console_errors() if "frame-ancestors 'none'" in line]
    assert len(refused) == 1 and f"Framing '{live_server}/'" in refused[0], record.console
    assert [line for line in record.console_errors() if line not in refused] == []
    assert record.page_errors == [] and record.csp_violations == []
    assert record.failed_requests == [f"{live_server}{ORDINARY}: net::ERR_BLOCKED_BY_RESPONSE"]
    origins = {urlsplit(url).netloc for url in record.requests}
    assert origins == {urlsplit(other_origin).netloc, urlsplit(live_server).netloc}

    # A point clicked in the frame opens its figure in a new window: the figure page would
    # refuse to be framed.
    box = _points(embed).first.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    expect(embed.locator(".hoverlayer .hovertext")).to_contain_text("figure #")
    with page.context.expect_page() as opened:
        page.mouse.click(x, y)
    expect(opened.value).to_have_url(re.compile(re.escape(f"{live_server}/figures/") + r"\d+$"))
    expect(page.locator("#embed")).to_have_attribute("src", f"{live_server}{EMBED}")
    expect(embed.locator(".chart-canvas")).to_be_attached()


def test_an_embeds_svg_carries_its_title_legend_and_credit(
    host_page: tuple[Page, PageRecord], other_origin: str, live_server: str, tmp_path: Path
) -> None:
    page, record = host_page
    page.goto(other_origin)
    embed = page.frame_locator("#embed")
    chart = embed.locator(".chart-canvas")
    expect(chart).to_have_attribute("data-drawn", "true")
    credit = embed.locator(".embed-caption a.attribution").text_content() or ""
    found = re.search(r"dataset version (\S+),", credit)
    assert found is not None, credit
    version = found.group(1)
    download = _downloaded(_image_button(chart, "svg"), page)
    assert download.suggested_filename == f"foreign-recruits-NPL-enlisted-{version}.svg"
    download.save_as(tmp_path / "chart.svg")
    texts = _svg_texts(tmp_path / "chart.svg")
    address = f"{live_server}{ORDINARY}#metric-enlisted"
    assert "Enlisted in Nepal" in texts
    assert f"Source: {SITE_NAME}, dataset version {version}, CC BY 4.0, {address}" in texts
    for label in CLAIMANT_LEGEND:
        assert label in texts
    assert record.page_errors == [] and record.csp_violations == []


def test_a_country_pages_chart_downloads_as_svg_and_png_with_its_credit(
    page: Page, live_server: str, tmp_path: Path
) -> None:
    page.goto(ORDINARY)
    version = page.locator("code.dataset-version").first.text_content() or ""
    chart = page.locator("#chart-killed")
    expect(chart).to_have_attribute("data-drawn", "true")
    chart.scroll_into_view_if_needed()
    download = _downloaded(_image_button(chart, "svg"), page)
    assert download.suggested_filename == f"foreign-recruits-NPL-killed-{version}.svg"
    download.save_as(tmp_path / "killed.svg")
    texts = _svg_texts(tmp_path / "killed.svg")
    credit = attribution_line(SITE_NAME, version, f"{live_server}{ORDINARY}#metric-killed")
    assert "Killed in Nepal" in texts and credit in texts
    legend = [label for label in CLAIMANT_LEGEND if label in texts]
    assert legend, texts

    png = _downloaded(_image_button(chart, "png"), page)
    assert png.suggested_filename == f"foreign-recruits-NPL-killed-{version}.png"
    png.save_as(tmp_path / "killed.png")
    header = (tmp_path / "killed.png").read_bytes()[:24]
    assert header.startswith(b"\x89PNG")
    assert (
        int.from_bytes(header[16:20], "big") == 2000
    )  # 1,000 pixels wide, drawn at twice the scale
