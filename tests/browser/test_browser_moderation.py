"""A figure's way from the public form to the country page, through a moderator's approval, in a
real browser, on a server with a database of its own (fresh_server): the run's database is not
written to."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from accessibility import serious_violations
from playwright.sync_api import Expect, Locator, Page

if TYPE_CHECKING:
    from conftest import FreshServer, PageRecord

expect = Expect()
expect.set_options(timeout=15_000)

CLAIMANT = "Browser Test Claimant"
QUOTE = "777 Nepalis were counted by the browser test"
SELECTS = {"area": "NPL", "metric": "killed", "bound": "exact", "claimant_kind": "independent"}
TYPED = {
    "low": "777",
    "high": "777",
    "unit": "persons",
    "as_of": "2026-01",
    "claimant": CLAIMANT,
    "quote": QUOTE,
    "source_url": "https://example.org/browser-test",
    "source_publisher": "Example",
}
INVALID = {"low": "many", "quote": ""}
# Plotly's data on the chart element: every plotted [y, figure id] pair.
PLOTTED = """element => element.data.flatMap(
  trace => (trace.y || []).map((y, i) => [y, trace.customdata ? trace.customdata[i] : null])
)"""


@pytest.fixture
def server_url(fresh_server: FreshServer) -> str:
    """Point the page (and its same-host check) at the fresh server instead of live_server."""
    return fresh_server.base_url


def killed_chart(page: Page) -> Locator:
    """Return Nepal's killed chart once Plotly has drawn it with its points."""
    chart = page.locator("section#metric-killed div.chart-canvas#chart-killed")
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator(".scatterlayer .point").first).to_be_attached()
    return chart


def send(page: Page) -> int:
    """Click the form's send button; return the status of the answer to the POST."""
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith("/submit")
    ) as answer:
        page.get_by_role("button", name="Send for review").click()
    return answer.value.status


def test_submission_published_after_approval(
    page: Page, page_record: PageRecord, fresh_server: FreshServer
) -> None:
    """A wrong submission is shown again with its errors and input; a right one stays off the public
    pages until a moderator approves it, then shows in Nepal's killed table and chart."""
    base_url = fresh_server.base_url

    # A member of the public first sends the form with two wrong fields.
    page.goto("/submit")
    for name, value in SELECTS.items():
        page.select_option(f"#field-{name}", value)
    for name, value in {**TYPED, **INVALID}.items():
        page.fill(f"#field-{name}", value)
    page_record.allow_console_error(
        "Failed to load resource: the server responded with a status of 400 (Bad Request) "
        f"({base_url}/submit)"
    )
    assert send(page) == 400
    # The page opens on a summary, focused, that links each refused field; a link focuses it.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("h2")).to_have_text("Some fields need another look")
    links = summary.locator("a")
    expect(links).to_have_count(len(INVALID))
    for index, name in enumerate(INVALID):
        expect(links.nth(index)).to_have_attribute("href", f"#field-{name}")
    assert serious_violations(page) == []
    links.nth(len(INVALID) - 1).click()
    expect(page.locator("#field-quote")).to_be_focused()
    links.nth(0).click()
    expect(page.locator("#field-low")).to_be_focused()
    label_top = "document.querySelector('label[for=field-low]').getBoundingClientRect().top"
    assert page.evaluate(label_top) >= 0
    for name in INVALID:
        field = page.locator(f".field:has(#field-{name})")
        expect(field.locator(".error")).to_be_visible()
        expect(page.locator(f"#field-{name}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("form.figure-form .error")).to_have_count(len(INVALID))
    for name, value in {**SELECTS, **TYPED, **INVALID}.items():
        expect(page.locator(f"#field-{name}")).to_have_value(value)

    # Corrected, it is accepted and its private status page says it is pending.
    page.fill("#field-low", TYPED["low"])
    page.fill("#field-quote", TYPED["quote"])
    assert send(page) == 303
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/submissions/[A-Za-z0-9_-]+$"))
    status_url = page.url
    expect(page.locator("dd.status-pending")).to_contain_text("pending")

    # Pending, it is on no public page.
    page.goto("/countries/NPL")
    chart = killed_chart(page)
    points_before = chart.locator(".scatterlayer .point").count()
    assert 777 not in [y for y, _ in chart.evaluate(PLOTTED)]
    expect(page.locator("section#metric-killed tr[data-figure-id]")).not_to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(CLAIMANT)

    # The moderator logs in, finds it in the queue and approves it as submitted.
    page.goto("/login")
    page.fill("#username", fresh_server.moderator)
    page.fill("#password", fresh_server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/review")
    entry = page.locator("article.queue-entry").filter(has_text=CLAIMANT)
    expect(entry).to_have_count(1)
    entry.get_by_role("link", name=re.compile(r"^Submission #\d+$")).click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/review/submissions/\d+$"))
    expect(page.locator("h1")).to_contain_text("pending")
    page.get_by_role("button", name="Approve as submitted").click()
    expect(page).to_have_url(
        re.compile(rf"^{re.escape(base_url)}/review\?done=approve&figure=\d+$")
    )
    expect(page.locator("#notice")).to_have_text(
        re.compile(r"^Approved: figure #\d+ is published\.$")
    )
    expect(page.locator("article.queue-entry").filter(has_text=CLAIMANT)).to_have_count(0)

    # Logged out, the public sees it in Nepal's killed table and chart.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{base_url}/")
    page.goto("/countries/NPL")
    row = page.locator("section#metric-killed table.figures tr[data-figure-id]").filter(
        has_text=CLAIMANT
    )
    expect(row).to_have_count(1)
    expect(row.locator("td.value")).to_have_text("777 persons")
    expect(row).to_contain_text(QUOTE)
    figure_id = row.get_attribute("data-figure-id")
    assert figure_id and figure_id.isdigit()
    chart = killed_chart(page)
    expect(chart.locator(".scatterlayer .point")).to_have_count(points_before + 1)
    assert [777, int(figure_id)] in chart.evaluate(PLOTTED)

    # Its status page now says approved and links to the published figure.
    page.goto(status_url)
    expect(page.locator("dd.status-approved")).to_contain_text("approved")
    link = page.get_by_role("link", name=f"figure #{figure_id}")
    expect(link).to_have_attribute("href", f"/figures/{figure_id}")
    link.click()
    expect(page).to_have_url(f"{base_url}/figures/{figure_id}")
    expect(page.locator("blockquote.quote")).to_contain_text(QUOTE)
