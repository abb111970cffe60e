"""Attacks on the real server, most through a real TLS reverse proxy (nginx): moderator lock-out,
throttle races, rate-limit keys (proxy, IPv6), forwarded-header spoofing, Host-header redirects,
cached private pages, text-direction tricks, unpublished history, slowloris and slow readers.

Each attack class gives a row of the report: the variants tried and what came of them; a
variant that got through is a problem.
"""

from __future__ import annotations

import socket
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx2
from sqlalchemy import select

from app.db import make_engine
from app.models import Submission
from app.operations.synthetic import seed_synthetic
from app.secret_key import token_hash
from reliability.databases import Database, fresh_database
from reliability.proxy import TlsProxy
from reliability.results import Result, RunSettings, run_cli
from reliability.server import Server, free_port
from reliability.traffic import CSRF, figure_fields, post_all_at_once

MODERATOR = "security-reviewer"
PASSWORD = "security suite passphrase"  # noqa: S105 (for throwaway databases)
SUBMISSIONS_PER_HOUR = 3
FAILURES_PER_ACCOUNT = 5
CONCURRENT = 20
DEADLINE_SECONDS = 2.0
PHONE = "+977 98012 34567"


@dataclass
class Attack:
    """One attack class: the variants tried and, for each, whether the server held."""

    name: str
    outcomes: dict[str, bool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def tried(self, variant: str, held: bool, note: str = "") -> None:
        """Record one variant and whether the server held; a note says what was seen."""
        self.outcomes[variant] = held
        if note:
            self.notes.append(f"{variant}: {note}")

    def row(self) -> dict[str, Any]:
        """Return the report's row: the attack, its variants and the result."""
        failed = [variant for variant, held in self.outcomes.items() if not held]
        return {
            "attack": self.name,
            "variants": list(self.outcomes),
            "result": "held" if not failed else "GOT THROUGH: " + ", ".join(failed),
            "notes": self.notes,
        }


class Browser:
    """A browser at one loopback address, speaking to the server through the proxy (or not)."""

    def __init__(self, base_url: str, address: str, certificate: str | bool = True) -> None:
        transport = httpx2.HTTPTransport(local_address=address, verify=certificate)
        self.base_url = base_url
        self.http = httpx2.Client(base_url=base_url, transport=transport, timeout=60)

    def post_form(self, page: str, action: str, fields: dict[str, str]) -> httpx2.Response:
        """Load the page for its CSRF token, then post the fields as that page's form would."""
        match = CSRF.search(self.http.get(page).text)
        token = match.group(1) if match else ""
        return self.http.post(
            action,
            data={"csrf_token": token, **fields},
            headers={"origin": self.base_url},
            follow_redirects=False,
        )

    def log_in(self, password: str) -> int:
        """Post the login form; return the status."""
        fields = {"username": MODERATOR, "password": password, "next": "/review"}
        return self.post_form("/login", "/login", fields).status_code

    def close(self) -> None:
        """Close the browser's connections."""
        self.http.close()


def _submission(sequence: int, **changes: str) -> dict[str, str]:
    return {**figure_fields(f"sec{sequence}", sequence, "security"), **changes}


def security(settings: RunSettings, database: Database) -> Result:
    """Run every attack against the server on this database; return the report's rows."""
    result = Result("security", database.kind)
    run_cli(database.url, "add-moderator", MODERATOR, stdin=PASSWORD + "\n")
    server = Server(
        database.url,
        free_port(),
        settings.workers,
        settings.directory / "security.log",
        environment={
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "SUBMISSIONS_PER_HOUR": str(SUBMISSIONS_PER_HOUR),
            "LOGIN_FAILURES_PER_ACCOUNT": str(FAILURES_PER_ACCOUNT),
            "REQUEST_HEADER_TIMEOUT_SECONDS": str(DEADLINE_SECONDS),
            "REQUEST_BODY_TIMEOUT_SECONDS": str(DEADLINE_SECONDS),
        },
    )
    proxy = TlsProxy(settings.directory / f"nginx-{database.kind}", free_port(), server.port)
    server.extra_environment["PUBLIC_BASE_URL"] = proxy.base_url
    attacks: list[Attack] = []
    proxy.start()
    server.start()
    try:
        for check in (
            _through_the_proxy,
            _moderator_lockout,
            _throttle_races,
            _rate_limit_keys,
            _host_header_redirects,
            _private_pages_cached,
            _direction_tricks,
            _unpublished_history,
            _slowloris,
        ):
            attack = Attack(check.__name__.strip("_").replace("_", " "))
            try:
                check(attack, proxy, server)
            except Exception as error:  # a check that breaks down is a failed variant
                attack.tried("the check ran", False, f"{type(error).__name__}: {error}")
            attacks.append(attack)
        healthy = server.healthy()
    finally:
        server.stop()
        proxy.stop()
    attacks.append(_slow_readers(settings, database.kind))
    result.figures["attacks"] = [attack.row() for attack in attacks]
    for attack in attacks:
        failed = [variant for variant, held in attack.outcomes.items() if not held]
        if failed:
            result.problems.append(
                f"{attack.name}: {', '.join(failed)} ({'; '.join(attack.notes)})"
            )
    if not healthy:
        result.problems.append("the server was not healthy after the attacks")
    return result


def _through_the_proxy(attack: Attack, proxy: TlsProxy, server: Server) -> None:
    browser = Browser(proxy.base_url, "127.0.0.2", str(proxy.certificate))
    page = browser.http.get("/submit")
    attack.tried("session cookie over https is Secure", "Secure" in page.headers["set-cookie"])
    attack.tried("HSTS sent", "max-age" in page.headers.get("strict-transport-security", ""))
    posted = browser.post_form("/submit", "/submit", _submission(1))
    attack.tried("form submission from the https origin", posted.status_code == 303)
    browser.close()
    moderator = Browser(proxy.base_url, "127.0.0.3", str(proxy.certificate))
    status = moderator.log_in(PASSWORD)
    reviewed = moderator.http.get("/review", follow_redirects=False).status_code
    attack.tried("login and the review queue", (status, reviewed) == (303, 200))
    moderator.close()


def _moderator_lockout(attack: Attack, proxy: TlsProxy, server: Server) -> None:
    attacker = Browser(proxy.base_url, "127.0.0.4", str(proxy.certificate))
    guesses = [attacker.log_in(f"guess {number}") for number in range(FAILURES_PER_ACCOUNT + 1)]
    expected = [401] * FAILURES_PER_ACCOUNT + [429]
    attack.tried("guessing from one address is stopped", guesses == expected, str(guesses))
    moderator = Browser(proxy.base_url, "127.0.0.5", str(proxy.certificate))
    status = moderator.log_in(PASSWORD)
    attack.tried("the moderator elsewhere still logs in", status == 303, str(status))
    attacker.close()
    moderator.close()


def _all_at_once(
    proxy: TlsProxy, address: str, page: str, fields: Callable[[int], dict[str, str]]
) -> Counter[int]:
    browsers = [Browser(proxy.base_url, address, str(proxy.certificate)) for _ in range(CONCURRENT)]
    statuses = post_all_at_once(
        [browser.http for browser in browsers], page, fields, proxy.base_url
    )
    for browser in browsers:
        browser.close()
    return statuses


def _throttle_races(attack: Attack, proxy: TlsProxy, server: Server) -> None:
    logins = _all_at_once(
        proxy, "127.0.0.6", "/login", lambda n: {"username": MODERATOR, "password": f"race {n}"}
    )
    attack.tried(
        f"{CONCURRENT} concurrent wrong passwords",
        logins == Counter({401: FAILURES_PER_ACCOUNT, 429: CONCURRENT - FAILURES_PER_ACCOUNT}),
        str(dict(logins)),
    )
    posts = _all_at_once(proxy, "127.0.0.7", "/submit", lambda n: _submission(100 + n))
    attack.tried(
        f"{CONCURRENT} concurrent submissions",
        posts == Counter({303: SUBMISSIONS_PER_HOUR, 429: CONCURRENT - SUBMISSIONS_PER_HOUR}),
        str(dict(posts)),
    )


def _rate_limit_keys(attack: Attack, proxy: TlsProxy, server: Server) -> None:
    def statuses(browser: Browser, count: int, first: int, **headers: str) -> list[int]:
        browser.http.headers.update(headers)
        return [
            browser.post_form("/submit", "/submit", _submission(first + n)).status_code
            for n in range(count)
        ]

    one = Browser(proxy.base_url, "127.0.0.8", str(proxy.certificate))
    other = Browser(proxy.base_url, "127.0.0.9", str(proxy.certificate))
    first = statuses(one, SUBMISSIONS_PER_HOUR + 1, 200)
    attack.tried(
        "one client behind the proxy", first == [303] * SUBMISSIONS_PER_HOUR + [429], str(first)
    )
    attack.tried("another client behind the proxy", statuses(other, 1, 300) == [303])
    spoofed = statuses(one, 1, 400, **{"X-Forwarded-For": "198.51.100.77"})
    attack.tried("a spoofed X-Forwarded-For", spoofed == [429], str(spoofed))
    # As the proxy itself (its address is trusted): clients of one IPv6 /64, then of the next.
    network = [
        _as_the_proxy(server, proxy, f"2001:db8:7:7::{n + 1:x}", 500 + n)
        for n in range(SUBMISSIONS_PER_HOUR + 1)
    ]
    attack.tried(
        "IPv6 addresses of one /64", network == [303] * SUBMISSIONS_PER_HOUR + [429], str(network)
    )
    next_network = _as_the_proxy(server, proxy, "2001:db8:7:8::1", 600)
    attack.tried("the next /64", next_network == 303, str(next_network))
    for browser in (one, other):
        browser.close()


def _as_the_proxy(server: Server, proxy: TlsProxy, client: str, sequence: int) -> int:
    """Post a submission straight to the server from the proxy's address, forwarding `client`."""
    forwarded = {"X-Forwarded-For": client, "X-Forwarded-Proto": "https"}
    transport = httpx2.HTTPTransport(local_address="127.0.0.1")
    with httpx2.Client(base_url=server.base_url, transport=transport, timeout=60) as http:
        page = http.get("/submit", headers=forwarded)
        match = CSRF.search(page.text)
        # The cookie is Secure: sent back by hand over the proxy's plain http hop.
        cookie = f"sid={page.cookies.get('sid', '')}"
        response = http.post(
            "/submit",
            data={"csrf_token": match.group(1) if match else "", **_submission(sequence)},
            headers={**forwarded, "origin": proxy.base_url, "cookie": cookie},
            follow_redirects=False,
        )
    return response.status_code


def _host_header_redirects(attack: Attack, proxy: TlsProxy, server: Server) -> None:
    browser = Browser(proxy.base_url, "127.0.0.10", str(proxy.certificate))
    for path in ("/review/", "/submit/", "/api/v1/areas/"):
        response = browser.http.get(path, headers={"Host": "evil.example"})
        location = response.headers.get("location", "")
        attack.tried(f"GET {path} with Host: evil.example", "evil.example" not in location)
    browser.close()


def _private_pages_cached(attack: Attack, proxy: TlsProxy, server: Server) -> None:
    browser = Browser(proxy.base_url, "127.0.0.11", str(proxy.certificate))
    posted = browser.post_form("/submit", "/submit", _submission(700))
    status_page = posted.headers.get("location", "/submissions/none")
    for path in ("/review", "/login", status_page):
        response = browser.http.get(path)
        cached = response.headers.get("cache-control", "")
        label = "/submissions/{token}" if path == status_page else path
        attack.tried(f"{label} kept by a cache", cached == "no-store", cached)
    browser.close()


def _direction_tricks(attack: Attack, proxy: TlsProxy, server: Server) -> None:
    browser = Browser(proxy.base_url, "127.0.0.12", str(proxy.certificate))
    refused = {
        "right-to-left override in a claimant": {"claimant": "Ministry \u202egnp.exe"},
        "zero-width space in a web address": {"source_url": "https://exa\u200bmple.org/a"},
        "isolate in a publisher": {"source_publisher": "\u2067Post\u2069"},
        "Arabic-Indic digits as a number": {"low": "١٢٣", "high": "١٢٣"},
    }
    for number, (variant, changes) in enumerate(refused.items()):
        response = browser.post_form("/submit", "/submit", _submission(800 + number, **changes))
        attack.tried(variant, response.status_code == 400, str(response.status_code))
    kept = browser.post_form("/submit", "/submit", _submission(850, quote="\u202eقتل ١٢٣"))
    attack.tried("an override kept in a quote", kept.status_code == 303, str(kept.status_code))
    browser.close()


def _unpublished_history(attack: Attack, proxy: TlsProxy, server: Server) -> None:
    public = Browser(proxy.base_url, "127.0.0.13", str(proxy.certificate))
    posted = public.post_form("/submit", "/submit", _submission(900, quote=f"call {PHONE} now"))
    token = posted.headers.get("location", "").removeprefix("/submissions/")
    submission_id, figure_id = _submission_and_figure(server.database_url, token)
    moderator = Browser(proxy.base_url, "127.0.0.14", str(proxy.certificate))
    moderator.log_in(PASSWORD)
    cleaned = {**_submission(900, quote="a cleaned quote"), "edited": "1", "reason": "privacy"}
    approved = moderator.post_form(
        f"/review/submissions/{submission_id}",
        f"/review/submissions/{submission_id}/approve",
        cleaned,
    )
    page = public.http.get(f"/figures/{figure_id}").text
    api = public.http.get(f"/api/v1/figures/{figure_id}").text
    attack.tried("edit then approve", approved.status_code == 303, str(approved.status_code))
    attack.tried("the submitted quote on the public page", PHONE not in page)
    attack.tried("the submitted quote in the API", PHONE not in api)
    public.close()
    moderator.close()


def _submission_and_figure(database_url: str, token: str) -> tuple[int, int]:
    """Return the ids of the submission whose status page has this token, and of its figure."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        found = connection.execute(
            select(Submission.id, Submission.figure_id).where(
                Submission.token_hash == token_hash(token)
            )
        ).one()
    engine.dispose()
    return int(found[0]), int(found[1])


def _slowloris(attack: Attack, proxy: TlsProxy, server: Server) -> None:
    openings = {
        "a connection that sends nothing": b"",
        "headers never finished": b"GET /submit HTTP/1.1\r\nHost: x\r\n",
        "a body that stops coming": (
            b"POST /submit HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
            b"\r\nContent-Length: 5000\r\n\r\narea=NPL"
        ),
    }
    address = urlsplit(server.base_url)
    for variant, opening in openings.items():
        began = time.monotonic()
        with socket.create_connection((address.hostname, address.port)) as connection:
            connection.sendall(opening)
            connection.settimeout(DEADLINE_SECONDS + 5)
            try:
                closed = connection.recv(65536) == b""
            except TimeoutError:
                closed = False
        seconds = time.monotonic() - began
        attack.tried(variant, closed and seconds < DEADLINE_SECONDS + 3, f"{seconds:.1f} s")


def _slow_readers(settings: RunSettings, kind: str) -> Attack:
    """Four readers of a large download that never read, then a reader that does."""
    attack = Attack("slow readers")
    with fresh_database(kind, settings.directory, settings.postgres_url, "readers") as database:
        engine = make_engine(database.url)
        seed_synthetic(engine, 20_000, seed=settings.seed)
        engine.dispose()
        server = Server(
            database.url,
            free_port(),
            settings.workers,
            settings.directory / "readers.log",
            environment={"EXPORT_READER_TIMEOUT_SECONDS": "3"},
        )
        server.start()
        stalled = []
        try:
            address = urlsplit(server.base_url)
            for _ in range(4 * settings.workers):
                connection = socket.socket()
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                connection.connect((address.hostname, address.port))
                connection.sendall(b"GET /export/figures.json HTTP/1.1\r\nHost: x\r\n\r\n")
                stalled.append(connection)
            began = time.monotonic()
            try:
                download = httpx2.get(f"{server.base_url}/export/figures.json", timeout=60)
                held = download.status_code == 200 and len(download.content) > 8_000_000
                note = f"{len(download.content):,} bytes in {time.monotonic() - began:.1f} s"
            except httpx2.HTTPError as error:
                held, note = False, type(error).__name__
            attack.tried(f"{len(stalled)} stalled readers, then one that reads", held, note)
        finally:
            for connection in stalled:
                connection.close()
            server.stop()
    return attack
