"""Browser fixtures: Debian's Chromium driven by Playwright. Every page test also checks that no
request left the server, nothing failed to load, no console error or page error was logged and no
Content-Security-Policy was violated. Tests that write use fresh_server, a server on a database of
its own, and override server_url so that their page is checked against it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest
from databases import fresh_database
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    sync_playwright,
)

from app.settings import PROJECT_ROOT
from servers import running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  var violation = {
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
  };
  window.__cspViolations.push(violation);
  if (window.__reportCspViolation) window.__reportCspViolation(violation);
});
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser with the browser marker."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class PageRecord:
    """What a page did during one test: requests, failed loads, console problems, CSP reports."""

    base_url: str
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict[str, object]] = field(default_factory=list)
    allowed_console_errors: set[str] = field(default_factory=set)

    def allow_console_error(self, text: str) -> None:
        """Accept one exact console error as part of what the test expects (a 404 page's own 404)."""
        self.allowed_console_errors.add(text)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_request_failed(self, request: Request) -> None:
        if request.failure != "net::ERR_ABORTED":
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            location = message.location.get("url")
            self.console.append(f"{message.type}: {message.text} ({location})")

    def on_page_error(self, error: Exception) -> None:
        self.page_errors.append(str(error))

    def on_csp_violation(self, violation: dict[str, object]) -> None:
        self.csp_violations.append(violation)

    def foreign_requests(self) -> list[str]:
        own = urlsplit(self.base_url)
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob")
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)
        ]

    def console_errors(self) -> list[str]:
        return [
            line
            for line in self.console
            if line.startswith("error: ")
            and line.removeprefix("error: ") not in self.allowed_console_errors
        ]

    def csp_warnings(self) -> list[str]:
        return [
            line
            for line in self.console
            if line.startswith("warning: ")
            and ("Refused to" in line or "Content Security Policy" in line)
        ]

    def problems(self) -> list[str]:
        found = [f"request to another host: {url}" for url in self.foreign_requests()]
        found += [f"request failed: {failure}" for failure in self.failed_requests]
        found += [f"console {line}" for line in self.console_errors()]
        found += [f"console {line}" for line in self.csp_warnings()]
        found += [f"page error: {error}" for error in self.page_errors]
        found += [f"CSP violation: {violation}" for violation in self.csp_violations]
        return found


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Yield a running Playwright."""
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Yield Debian's Chromium, headless."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it: apt-get install -y chromium")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def server_url(live_server: str) -> str:
    """Return the URL of the server the page visits: the run's live server, unless a test module
    overrides this fixture (with fresh_server's URL, say)."""
    return live_server


@pytest.fixture
def page_record(server_url: str) -> PageRecord:
    """Return the record the page fixture fills for this test."""
    return PageRecord(base_url=server_url)


def record_into(page: Page, record: PageRecord) -> None:
    """Record in `record` what the page (and every frame in it) requests, fails to load, logs,
    throws and reports as a Content-Security-Policy violation."""
    page.on("request", record.on_request)
    page.on("requestfailed", record.on_request_failed)
    page.on("console", record.on_console)
    page.on("pageerror", record.on_page_error)
    page.expose_function("__reportCspViolation", record.on_csp_violation)
    page.add_init_script(CSP_LISTENER)


@contextmanager
def checked_page(
    browser: Browser, page_record: PageRecord, **context_options: Any
) -> Iterator[Page]:
    """Yield a page in a fresh context (with these options, a viewport say); fail the test if the
    page misbehaved."""
    context = browser.new_context(base_url=page_record.base_url, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    record_into(page, page_record)
    yield page
    listener_installed = page.url.startswith(page_record.base_url) and page.evaluate(
        "Array.isArray(window.__cspViolations)"
    )
    context.close()
    problems = page_record.problems()
    if page_record.requests and not listener_installed:
        problems.append(f"the securitypolicyviolation listener was not installed on {page.url}")
    if problems:
        pytest.fail("the page misbehaved:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(browser: Browser, page_record: PageRecord) -> Iterator[Page]:
    """Yield a page 1280 pixels wide in a fresh context; fail the test if the page misbehaved."""
    with checked_page(browser, page_record, viewport={"width": 1280, "height": 900}) as page:
        yield page


@pytest.fixture
def phone_page(browser: Browser, page_record: PageRecord) -> Iterator[Page]:
    """Yield a page the size of a phone's screen (390 by 844 CSS pixels, touch, a device pixel
    ratio of 3); fail the test if the page misbehaved."""
    with checked_page(
        browser,
        page_record,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    ) as page:
        yield page


MODERATOR = "reviewer"
MODERATOR_PASSWORD = "browser-test-password-1"
TEST_SECRET_KEY = "browser-test-secret-key-not-for-production"


class FreshServer(NamedTuple):
    """A server on a database of its own, with one moderator."""

    base_url: str
    moderator: str
    password: str
    database_url: str


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshServer]:
    """Start the real server (as `python -m app serve`, like live_server) on a new database, migrated,
    seeded and given a moderator, so that tests may write without touching the run's database."""
    directory = tmp_path_factory.mktemp("fresh")
    with fresh_database(directory) as database_url:
        environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET_KEY}
        added = subprocess.run(
            [sys.executable, "-m", "app", "add-moderator", MODERATOR],
            cwd=PROJECT_ROOT,
            env=environment,
            input=MODERATOR_PASSWORD + "\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        if added.returncode != 0:
            raise RuntimeError(f"add-moderator failed:\n{added.stdout}{added.stderr}")
        environment = {"SECRET_KEY": TEST_SECRET_KEY}
        with running_server(database_url, directory / "server.log", environment=environment) as url:
            yield FreshServer(url, MODERATOR, MODERATOR_PASSWORD, database_url)
