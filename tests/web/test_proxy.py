"""Behind a TLS reverse proxy: forwarded headers believed from FORWARDED_ALLOW_IPS only, the
session cookie Secure and HSTS sent when the public address is https, forms accepted from the
https origin, and rate limits counting each client behind the proxy on its own."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from app.settings import Settings
from servers import TEST_SECRET_KEY
from support import csrf_from, submission_form, use_test_session

PROXY = "10.0.0.2"
PUBLIC = "https://recruits.example"


def behind_proxy(session: Session, database_url: str, **settings: Any) -> FastAPI:
    values = {"forwarded_allow_ips": PROXY, "public_base_url": PUBLIC, **settings}
    app = create_app(Settings(database_url=database_url, secret_key=TEST_SECRET_KEY, **values))
    use_test_session(app, session)
    return app


def through(app: FastAPI, client_address: str, proxy: str = PROXY) -> TestClient:
    """Return a browser at client_address whose requests reach the app through the proxy."""
    forwarded = {
        "X-Forwarded-For": client_address,
        "X-Forwarded-Proto": "https",
        "Host": "recruits.example",
    }
    return TestClient(app, base_url=PUBLIC, client=(proxy, 50000), headers=forwarded)


def submit(browser: TestClient, number: int) -> int:
    token = csrf_from(browser.get("/submit").text)
    fields = {"csrf_token": token, **submission_form(low=str(number), high=str(number))}
    origin = {"Origin": PUBLIC, "Sec-Fetch-Site": "same-origin"}
    return browser.post("/submit", data=fields, headers=origin, follow_redirects=False).status_code


def test_through_a_trusted_tls_proxy_the_cookie_is_secure_and_forms_pass_the_origin_check(
    session: Session, database_url: str
) -> None:
    browser = through(behind_proxy(session, database_url), "198.51.100.1")
    page = browser.get("/submit")
    assert "Secure" in page.headers["set-cookie"]
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert submit(browser, 1) == 303


def test_each_client_behind_the_proxy_has_its_own_limit(
    session: Session, database_url: str
) -> None:
    app = behind_proxy(session, database_url, submissions_per_hour=2)
    first, second = through(app, "198.51.100.1"), through(app, "198.51.100.2")
    assert [submit(first, number) for number in range(3)] == [303, 303, 429]
    assert submit(second, 10) == 303


def test_forwarded_headers_from_anyone_else_are_ignored(
    session: Session, database_url: str
) -> None:
    app = behind_proxy(session, database_url, submissions_per_hour=2)
    statuses = [
        submit(through(app, f"198.51.100.{number}", proxy="203.0.113.9"), number)
        for number in range(3)
    ]
    assert statuses == [303, 303, 429]  # one client, whatever X-Forwarded-For it claims


def test_a_plain_http_site_sends_no_hsts_and_no_secure_cookie(client: TestClient) -> None:
    page = client.get("/submit")
    assert "Secure" not in page.headers["set-cookie"]
    assert "strict-transport-security" not in page.headers
