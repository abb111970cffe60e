"""Hostile input through the real server's form, API and importer, and schemathesis against
/openapi.json."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx2

from app.domain.exports import FIGURE_COLUMNS
from app.domain.spreadsheet import neutralise_cell
from reliability.databases import Database
from reliability.hostile_strings import HOSTILE_STRINGS, INVALID_UTF8
from reliability.results import Result, RunSettings, run_cli
from reliability.server import Server, free_port
from reliability.traffic import (
    CSRF,
    TOO_LONG_TO_SEND,
    Answer,
    Tally,
    Visitor,
    describe,
    figure_fields,
)

FREE_TEXT_FIELDS = (
    "qualifier", "unit", "counted_as", "claimant", "quote", "notes", "source_publisher",
    "source_title", "submitter_name", "submitter_contact",
)  # fmt: skip
CODED_FIELDS = (
    "area", "metric", "low", "high", "bound", "currency", "as_of", "period_start", "period_end",
    "claimant_kind", "source_url", "source_published",
)  # fmt: skip
API_QUERY_PARAMETERS = (
    "area", "metric", "claimant_kind", "side", "as_of_from", "as_of_to", "q", "source", "limit",
    "offset",
)  # fmt: skip
API_PATHS = (
    "/api/v1/areas/{}", "/api/v1/areas/NPL/metrics/{}", "/api/v1/metrics/{}",
    "/api/v1/figures/{}", "/api/v1/sources/{}", "/countries/{}", "/figures/{}",
)  # fmt: skip
IMPORT_TEXT_COLUMNS = ("claimant", "quote", "notes", "qualifier", "counted_as", "unit")


def hostile_input(settings: RunSettings, database: Database) -> Result:
    """Send every hostile string through the form, the API and the importer of the real server."""
    result = Result("hostile", database.kind)
    server = Server(database.url, free_port(), settings.workers, settings.directory / "hostile.log")
    server.start()
    workers_before = server.processes()
    outcomes: dict[str, Counter[str]] = {}
    tally = Tally()
    try:
        visitor = Visitor(server.base_url, "hostile", "h", tally)
        token = _form_token(visitor)
        for number, text in enumerate(HOSTILE_STRINGS):
            tried = outcomes.setdefault(text.kind, Counter())
            source = f"https://hostile.example/{number}"
            for fields in (
                {**figure_fields("h", number, "hostile"), "source_url": source}
                | dict.fromkeys(FREE_TEXT_FIELDS, text.text),
                figure_fields("h", number, "hostile") | dict.fromkeys(CODED_FIELDS, text.text),
            ):
                answer = _post_form(visitor, token, urlencode(fields).encode())
                tried[_outcome(answer)] += 1
            for address in _api_addresses(text.text):
                response = visitor.request("api", "GET", address)
                tried[_outcome((tally.answers[-1], _reason(address, response)))] += 1
        utf8 = outcomes.setdefault("invalid UTF-8", Counter())
        for _name, encoded in INVALID_UTF8:
            valid = urlencode({**figure_fields("u", 0, "hostile"), "quote": ""}).encode()
            for body in (
                valid + b"&quote=" + quote(encoded).encode(),
                valid + b"&quote=" + encoded,
            ):
                utf8[_outcome(_post_form(visitor, token, body))] += 1
        visitor.close()
        healthy_after = server.healthy()
        workers_after = server.processes()
    finally:
        server.stop()
    importer = _import_hostile(settings, database)
    outcomes["importer"] = importer.pop("outcomes")
    result.figures.update(
        strings=len(HOSTILE_STRINGS),
        invalid_utf8=len(INVALID_UTF8),
        by_kind={kind: dict(counts) for kind, counts in outcomes.items()},
        importer=importer,
        server_healthy_after=healthy_after,
    )
    for kind, counts in outcomes.items():
        if counts.get("5xx"):
            result.problems.append(f"{counts['5xx']} server errors for {kind} input")
        if counts.get("unexplained"):
            result.problems.append(f"{counts['unexplained']} refusals without a reason for {kind}")
    if not healthy_after or workers_before != workers_after:
        result.problems.append("the server was not the same healthy server after hostile input")
    result.problems.extend(importer.get("problems", []))
    return result


def _form_token(visitor: Visitor) -> str:
    page = visitor.request("form", "GET", "/submit")
    match = CSRF.search(page.text if page is not None else "")
    if match is None:
        raise RuntimeError("the form page has no CSRF token")
    return match.group(1)


def _post_form(visitor: Visitor, token: str, body: bytes) -> tuple[Answer, str]:
    began = time.monotonic()
    try:
        response = visitor.http.post(
            "/submit",
            content=b"csrf_token=" + token.encode() + b"&" + body,
            headers={
                "content-type": "application/x-www-form-urlencoded",
                "origin": visitor.base_url,
            },
            follow_redirects=False,
        )
    except httpx2.HTTPError as error:
        return Answer("hostile", None, type(error).__name__), ""
    return describe("hostile", response, time.monotonic() - began), response.text


def _reason(address: str, response: httpx2.Response | None) -> str:
    """Return the reason a refusal gives: the JSON detail of the API, the text of a page."""
    if response is None or response.status_code < 400:
        return ""
    if address.startswith("/api/"):
        try:
            return str(response.json().get("detail", ""))
        except ValueError:
            return ""
    return response.text


def _outcome(answer_and_body: tuple[Answer, str]) -> str:
    """Return the kind of outcome: accepted, refused with a reason, unexplained, 5xx, no answer."""
    answer, body = answer_and_body
    if answer.error == TOO_LONG_TO_SEND:
        return "not sent: URL over 64 KiB"
    if answer.status is None:
        return "no answer"
    if answer.status >= 500:
        return "5xx"
    if answer.status < 400:
        return "accepted"
    if answer.status == 400 and "<form" in body:
        explained = 'class="error"' in body or "form-message" in body
        return "refused with a reason" if explained else "unexplained"
    return "refused with a reason" if body.strip() else "unexplained"


def _api_addresses(text: str) -> list[str]:
    addresses = [f"/api/v1/figures?{urlencode({name: text})}" for name in API_QUERY_PARAMETERS]
    addresses.append(f"/export/figures.csv?{urlencode({'q': text})}")
    addresses.extend(path.format(quote(text, safe="")) for path in API_PATHS)
    return addresses


def _import_hostile(settings: RunSettings, database: Database) -> dict[str, Any]:
    """Run `python -m app import --partial` on a file of hostile rows and on invalid UTF-8 files."""
    rows = []
    for number, text in enumerate(HOSTILE_STRINGS):
        for column in IMPORT_TEXT_COLUMNS:
            row = figure_fields("i", number, "import") | {column: text.text}
            row["external_ref"] = f"hostile-import-{number}-{column}"
            rows.append(row)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(FIGURE_COLUMNS)
    for row in rows:
        writer.writerow([neutralise_cell(row.get(column, "")) for column in FIGURE_COLUMNS])
    path = settings.directory / "hostile-import.csv"
    path.write_text(output.getvalue(), encoding="utf-8")
    done = run_cli(database.url, "import", str(path), "--partial")
    refused_rows = len(set(re.findall(r"^refused row (\d+)", done.stderr, re.MULTILINE)))
    imported = re.search(r"(\d+) figures imported", done.stdout)
    outcomes: Counter[str] = Counter()
    problems = []
    if done.returncode != 0 or "Traceback" in done.stderr or imported is None:
        problems.append(f"the importer failed on hostile rows: {done.stderr[-500:]}")
    else:
        outcomes["accepted"] += int(imported.group(1))
        outcomes["refused with a reason"] += refused_rows
    for name, encoded in INVALID_UTF8:
        bad = settings.directory / "invalid-utf8.csv"
        bad.write_bytes(path.read_bytes().replace(b"people were counted", encoded, 1))
        refused = run_cli(database.url, "import", str(bad))
        if (
            refused.returncode == 2
            and "UTF" in refused.stderr
            and "Traceback" not in refused.stderr
        ):
            outcomes["refused with a reason"] += 1
        else:
            problems.append(
                f"the importer did not explain a file with {name}: {refused.stderr[-300:]}"
            )
    return {
        "rows": len(rows),
        "imported": int(imported.group(1)) if imported else 0,
        "rows_refused": refused_rows,
        "invalid_utf8_files": len(INVALID_UTF8),
        "outcomes": outcomes,
        "problems": problems,
    }


def run_schemathesis(settings: RunSettings, database: Database) -> Result:
    """Run schemathesis against /openapi.json on the real server: every operation, then the data."""
    result = Result("schemathesis", database.kind)
    server = Server(database.url, free_port(), settings.workers, settings.directory / "st.log")
    server.start()
    runs = {
        "every operation: no server error": ("", "not_a_server_error"),
        "data operations: bodies and content types match the schema": (
            r"^/(api/v1|export)/",
            "not_a_server_error,response_schema_conformance,content_type_conformance",
        ),
    }
    try:
        for label, (paths, checks) in runs.items():
            report = settings.directory / f"schemathesis-{len(result.figures)}.xml"
            command = [
                str(Path(sys.executable).parent / "schemathesis"), "run",
                f"{server.base_url}/openapi.json", "--checks", checks,
                "--max-examples", str(settings.schemathesis_examples), "--seed", str(settings.seed),
                "--phases", "examples,coverage,fuzzing", "--generation-database", "none",
                "--request-timeout", "30", "--no-color", "--workers", "2",
                "--report", "junit", "--report-junit-path", str(report),
            ]  # fmt: skip
            if paths:
                command += ["--include-path-regex", paths]
            done = subprocess.run(  # noqa: S603 (the venv's schemathesis, our arguments)
                command,
                cwd=settings.directory,
                capture_output=True,
                text=True,
                timeout=1800,
                check=False,
            )
            generated = re.search(r"(\d+) generated", done.stdout)
            cases, failing = _junit_counts(report)
            result.figures[label] = {
                "operations": cases,
                "test cases": int(generated.group(1)) if generated else 0,
                "operations failing": len(failing),
            }
            if done.returncode != 0:
                summary = re.findall(r"^\s*❌ (ST\d+ .+)$", done.stdout, re.MULTILINE)
                result.problems.append(f"{label}: {'; '.join(summary) or done.stdout[-500:]}")
                result.figures[label]["failures"] = failing[:10]
    finally:
        server.stop()
    return result


def _junit_counts(path: Path) -> tuple[int, list[str]]:
    if not path.exists():
        return 0, []
    cases = list(ElementTree.parse(path).getroot().iter("testcase"))  # noqa: S314 (our own report)
    failing = [
        case.get("name", "")
        for case in cases
        if case.find("failure") is not None or case.find("error") is not None
    ]
    return len(cases), failing
