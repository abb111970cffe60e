"""Visitors of the real server: each loads the form (cookie and CSRF token) and posts sourced
figures whose quotes carry a unique nonce; every answer is recorded."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx2

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STACK_TRACE_MARKERS = ("Traceback", 'File "')
AREAS = ("NPL", "IND", "CUB", "KEN", "LKA", "world")
METRICS = ("enlisted", "killed", "missing", "recruited")
SHARED_SOURCES = 7
REQUEST_TIMEOUT = 90.0
TOO_LONG_TO_SEND = "too long for an HTTP client to send"


def figure_fields(nonce: str, sequence: int, run_id: str) -> dict[str, str]:
    """Return a valid submission whose quote carries the nonce; sources are shared by several."""
    count = str(100 + sequence % 900)
    return {
        "area": AREAS[sequence % len(AREAS)],
        "metric": METRICS[sequence % len(METRICS)],
        "low": count,
        "high": count,
        "bound": "exact",
        "qualifier": "",
        "unit": "persons",
        "currency": "",
        "counted_as": "",
        "as_of": "2025-06",
        "period_start": "",
        "period_end": "",
        "claimant": "Reliability suite",
        "claimant_kind": "independent",
        "quote": f"{count} people were counted, reliability nonce {nonce}.",
        "source_url": f"https://reliability.example/{run_id}/source-{sequence % SHARED_SOURCES}",
        "source_publisher": "Reliability Gazette",
        "source_title": "",
        "source_published": "2025-07-01",
        "notes": "",
        "submitter_name": "Load tester",
        "submitter_contact": "load@example.org",
        "website": "",
    }


@dataclass(frozen=True)
class Answer:
    """One request's fate: the status (None when no answer came) and what was wrong with it."""

    step: str
    status: int | None
    error: str = ""
    plain_text: bool = False
    stack_trace: bool = False
    seconds: float = 0.0
    nonce: str = ""
    token: str = ""
    at: float = field(default_factory=time.monotonic)

    @property
    def acknowledged(self) -> bool:
        """Return True for a submission the server confirmed (303 to its status page)."""
        return self.status == 303 and bool(self.token)


@dataclass
class Tally:
    """Every answer of a scenario, thread-safe; and the submissions the server acknowledged."""

    answers: list[Answer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    posting: int = 0

    def post_started(self) -> None:
        """Count one more submission on its way to the server."""
        with self.lock:
            self.posting += 1

    def add(self, answer: Answer) -> None:
        """Record one answer (a submission's answer ends its time on the way)."""
        with self.lock:
            self.answers.append(answer)
            if answer.step == "submit":
                self.posting -= 1

    def acknowledged(self) -> dict[str, str]:
        """Return the nonce and status-page token of every acknowledged submission."""
        with self.lock:
            return {answer.nonce: answer.token for answer in self.answers if answer.acknowledged}

    def statuses(self, step: str | None = None) -> Counter[str]:
        """Return how many answers had each status ('no answer' for connection errors)."""
        with self.lock:
            return Counter(
                str(answer.status) if answer.status is not None else "no answer"
                for answer in self.answers
                if step is None or answer.step == step
            )

    def server_errors(self, allowed: tuple[int, ...] = ()) -> list[Answer]:
        """Return the answers with a 5xx status other than the allowed ones."""
        with self.lock:
            return [
                answer
                for answer in self.answers
                if answer.status is not None
                and answer.status >= 500
                and answer.status not in allowed
            ]


class Visitor:
    """One browser-like client with its own cookie jar."""

    def __init__(
        self, base_url: str, run_id: str, name: str, tally: Tally, number: int = 0
    ) -> None:
        self.base_url = base_url
        self.run_id = run_id
        self.name = name
        self.tally = tally
        self.sequence = 0
        # Each visitor comes from its own loopback address, so the server sees distinct clients.
        transport = httpx2.HTTPTransport(local_address=f"127.0.0.{2 + number % 250}")
        self.http = httpx2.Client(base_url=base_url, timeout=REQUEST_TIMEOUT, transport=transport)

    def close(self) -> None:
        """Close the visitor's connections."""
        self.http.close()

    def request(
        self, step: str, method: str, path: str, **options: object
    ) -> httpx2.Response | None:
        """Send one request and record its answer; return the response, None when none came."""
        began = time.monotonic()
        try:
            response = self.http.request(method, path, **options)  # type: ignore[arg-type]
        except httpx2.InvalidURL:
            self.tally.add(Answer(step, None, TOO_LONG_TO_SEND))
            return None
        except httpx2.HTTPError as error:
            self.tally.add(
                Answer(step, None, type(error).__name__, seconds=time.monotonic() - began)
            )
            return None
        self.tally.add(describe(step, response, time.monotonic() - began))
        return response

    def submit(self) -> Answer | None:
        """Load the form, then post one figure with a new nonce; return the post's answer."""
        form = self.request("form", "GET", "/submit")
        if form is None or form.status_code != 200:
            return None
        match = CSRF.search(form.text)
        if match is None:
            return None
        self.sequence += 1
        nonce = f"{self.run_id}-{self.name}-{self.sequence}-{uuid.uuid4().hex[:6]}"
        fields = {"csrf_token": match.group(1), **figure_fields(nonce, self.sequence, self.run_id)}
        began = time.monotonic()
        self.tally.post_started()
        try:
            response = self.http.post(
                "/submit", data=fields, headers={"origin": self.base_url}, follow_redirects=False
            )
        except httpx2.HTTPError as error:
            answer = Answer("submit", None, type(error).__name__, nonce=nonce)
            self.tally.add(answer)
            return answer
        location = response.headers.get("location", "")
        token = (
            location.removeprefix("/submissions/") if location.startswith("/submissions/") else ""
        )
        answer = describe("submit", response, time.monotonic() - began, nonce=nonce, token=token)
        self.tally.add(answer)
        return answer


def describe(
    step: str, response: httpx2.Response, seconds: float, nonce: str = "", token: str = ""
) -> Answer:
    """Return the recorded answer for a response."""
    body = response.text if response.status_code >= 400 else ""
    return Answer(
        step,
        response.status_code,
        plain_text=response.headers.get("content-type", "").startswith("text/plain"),
        stack_trace=any(marker in body for marker in STACK_TRACE_MARKERS),
        seconds=seconds,
        nonce=nonce,
        token=token,
    )


def submit_many(
    base_url: str,
    run_id: str,
    clients: int,
    submissions: int,
    tally: Tally,
    keep_going: Callable[[], bool] = lambda: True,
) -> None:
    """Post `submissions` figures from `clients` concurrent visitors (fewer if told to stop)."""
    shares = [
        submissions // clients + (1 if n < submissions % clients else 0) for n in range(clients)
    ]

    def visit(number: int) -> None:
        visitor = Visitor(base_url, run_id, f"v{number}", tally, number)
        try:
            for _ in range(shares[number]):
                if not keep_going():
                    return
                visitor.submit()
        finally:
            visitor.close()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(visit, range(clients)))


def submit_until(
    base_url: str, run_id: str, clients: int, tally: Tally, stop: threading.Event, pause: float
) -> threading.Thread:
    """Start visitors that keep posting (pausing after a failed request) until `stop` is set."""

    def visit(number: int) -> None:
        visitor = Visitor(base_url, run_id, f"c{number}", tally, number)
        try:
            while not stop.is_set():
                answer = visitor.submit()
                if answer is None or not answer.acknowledged:
                    stop.wait(pause)
        finally:
            visitor.close()

    def run() -> None:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(visit, range(clients)))

    thread = threading.Thread(target=run, name="visitors", daemon=True)
    thread.start()
    return thread


def post_all_at_once(
    clients: list[httpx2.Client], path: str, fields: Callable[[int], dict[str, str]], origin: str
) -> Counter[int]:
    """Load the form at `path` in each client (its own session), then post all the forms at the
    same moment from as many threads; return the count of each status."""
    tokens = [CSRF.search(client.get(path).text) for client in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(number: int) -> None:
        token = tokens[number]
        data = {"csrf_token": token.group(1) if token else "", **fields(number)}
        barrier.wait()
        response = clients[number].post(
            path, data=data, headers={"origin": origin}, follow_redirects=False
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(number,)) for number in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses)
