"""Kept API answers: one kept answer for every spelling of one query, served without a database
session (a 304 too) once kept, and never an answer older than the data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import ClaimantKind, FigureStatus
from app.domain.moderation import ModerationAction
from app.main import create_app
from app.models import Figure, Submission
from app.settings import Settings
from app.web.deps import app_state_of, get_session, set_app_state
from app.web.downloads.kept_files import SNAPSHOT_FLAG
from app.web.http.conditional import etag_for
from support import (
    API_ANSWERS,
    add_figure,
    csrf_from,
    seed_with_moderator,
    submission_form,
    use_test_session,
)

SPELLINGS_OF_ONE_QUERY = [
    "/api/v1/figures?area=NPL&metric=killed",
    "/api/v1/figures?metric=killed&area=NPL",
    "/api/v1/figures?area=npl&metric=killed",
    "/api/v1/figures?area=NPL&area=NPL&metric=killed&metric=killed",
    "/api/v1/figures?area=%20NPL%20&metric=killed&limit=100&offset=0",
    "/api/v1/figures?q=&metric=killed&area=NPL",
]
SPELLINGS_OF_ANOTHER = [
    "/api/v1/figures?area=NPL&area=RUS&claimant_kind=media&claimant_kind=independent&q=%20a%20",
    "/api/v1/figures?claimant_kind=independent&area=RUS&q=a&claimant_kind=media&area=NPL",
]
OFFICIAL_KINDS = "&".join(
    f"claimant_kind={kind.value}" for kind in reversed(ClaimantKind) if kind.is_official
)
SPELLINGS_OF_A_SIDE = [
    "/api/v1/figures?area=NPL&side=official&as_of_from=2024&as_of_to=2025",
    f"/api/v1/figures?as_of_to=2025-12-31&{OFFICIAL_KINDS}&as_of_from=2024-01-01&area=NPL",
    f"/api/v1/figures?area=NPL&side=official&claimant_kind=media&{OFFICIAL_KINDS}&as_of_from=2024"
    "&as_of_to=2025-12",
    "/api/v1/figures?area=npl&area=NPL&as_of_from=2024-01&as_of_to=2025&side=official&q=%20",
]
SPELLINGS_OF_NOTHING = [
    "/api/v1/figures?area=NPL&side=official&claimant_kind=media",
    "/api/v1/figures?claimant_kind=official_russia&side=independent&area=NPL&area=npl",
    "/api/v1/figures?area=NPL&as_of_from=2025&as_of_to=2024-12-31&claimant_kind=media",
]
KEPT_PATHS = [
    *API_ANSWERS,
    "/api/v1/coverage",
    "/api/v1/sources?sort=publisher&kind=original",
]


def kept_count(client: TestClient) -> int:
    return len(app_state_of(client.app).body_cache)  # type: ignore[arg-type]


def test_every_spelling_of_one_query_is_one_kept_answer(client: TestClient) -> None:
    before = kept_count(client)
    queries_asked = (SPELLINGS_OF_ONE_QUERY, SPELLINGS_OF_ANOTHER, SPELLINGS_OF_A_SIDE)
    for spellings in queries_asked:
        answers = [client.get(address) for address in spellings]
        assert {answer.status_code for answer in answers} == {200}
        assert all(answer.content == answers[0].content for answer in answers)
        assert len({answer.headers["etag"] for answer in answers}) == 1
        assert answers[0].json()["total"] > 0
    assert kept_count(client) == before + len(queries_asked)
    assert client.get(SPELLINGS_OF_ONE_QUERY[0] + "&limit=99").status_code == 200
    assert kept_count(client) == before + len(queries_asked) + 1


def test_a_side_and_a_year_are_linked_as_the_side_and_days(client: TestClient) -> None:
    body = client.get(SPELLINGS_OF_A_SIDE[1] + "&limit=1").json()
    selection = "area=NPL&side=official&as_of_from=2024-01-01&as_of_to=2025-12-31"
    assert body["next"] == f"/api/v1/figures?{selection}&limit=1&offset=1"
    assert body["downloads"]["csv"] == f"/export/figures.csv?{selection}"
    every_kind = "&".join(f"claimant_kind={kind.value}" for kind in ClaimantKind)
    assert client.get(f"/api/v1/figures?area=NPL&{every_kind}&limit=1").json()["next"] == (
        "/api/v1/figures?area=NPL&limit=1&offset=1"
    )


def test_filters_selecting_nothing_are_one_answer_that_still_checks_its_areas(
    client: TestClient,
) -> None:
    before = kept_count(client)
    answers = [client.get(address) for address in SPELLINGS_OF_NOTHING]
    assert {answer.status_code for answer in answers} == {200}
    assert all(answer.content == answers[0].content for answer in answers)
    body = answers[0].json()
    assert body["total"] == 0 and body["items"] == []
    nothing = "claimant_kind=official_russia&side=independent"
    assert body["downloads"]["csv"] == f"/export/figures.csv?{nothing}"
    assert kept_count(client) == before + 1
    for unknown in ("area=XYZ", "area=NPL&metric=nothing"):
        refused = client.get(f"/api/v1/figures?{unknown}&side=official&claimant_kind=media")
        assert refused.status_code == 422
    assert kept_count(client) == before + 1


def test_links_of_a_kept_answer_name_its_query_one_way(client: TestClient) -> None:
    body = client.get("/api/v1/figures?metric=killed&area=npl&area=NPL&limit=2").json()
    assert body["next"] == "/api/v1/figures?area=NPL&metric=killed&limit=2&offset=2"
    assert body["previous"] is None
    assert body["downloads"]["csv"] == "/export/figures.csv?area=NPL&metric=killed"


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/figures?area=NPL&unknown=1",
        "/api/v1/figures?area=XYZ",
        "/api/v1/figures?limit=0",
        "/api/v1/figures?as_of_from=2024-13",
        "/api/v1/areas/XYZ",
        "/api/v1/areas/NPL/metrics/nothing",
        "/api/v1/figures/999999",
        "/api/v1/sources?sort=nothing",
    ],
)
def test_refused_queries_make_no_kept_answer(client: TestClient, address: str) -> None:
    before = kept_count(client)
    for _ in range(3):
        refused = client.get(address, headers={"If-None-Match": "*"})
        assert refused.status_code in (404, 422), address
    assert kept_count(client) == before


class SessionRefused(Exception):
    """Raised when a request opens a database session where none should be."""


def refuse_sessions(app: FastAPI) -> None:
    """Make every database session the application opens from now on raise SessionRefused."""

    def refused() -> Iterator[Session]:
        raise SessionRefused
        yield  # a generator, as the dependency it replaces

    def refused_reads() -> Any:
        raise SessionRefused

    app.dependency_overrides[get_session] = refused
    state = app_state_of(app)
    set_app_state(app, replace(state, page_reads=replace(state.page_reads, session=refused_reads)))


def test_a_kept_answer_and_its_304_are_served_without_a_session(client: TestClient) -> None:
    first = {address: client.get(address) for address in KEPT_PATHS}
    assert {answer.status_code for answer in first.values()} == {200}
    refuse_sessions(client.app)  # type: ignore[arg-type]
    for address, answer in first.items():
        again = client.get(address)
        assert again.status_code == 200 and again.content == answer.content, address
        assert again.headers["etag"] == answer.headers["etag"]
        assert again.headers["cache-control"] == "no-cache"
        unchanged = client.get(address, headers={"If-None-Match": answer.headers["etag"]})
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert unchanged.headers["etag"] == answer.headers["etag"]
    other_spelling = client.get("/api/v1/figures?area=npl&area=NPL&limit=100")
    assert other_spelling.content == first["/api/v1/figures?area=NPL"].content
    with pytest.raises(SessionRefused):
        client.get("/api/v1/figures?area=NPL&limit=5")


def test_an_answer_too_large_to_keep_still_answers_304(session: Session, database_url: str) -> None:
    settings = Settings(
        database_url=database_url, secret_key="test-secret-key", page_cache_bytes=400
    )
    app = create_app(settings)
    use_test_session(app, session)
    with TestClient(app) as client:
        first = client.get("/api/v1/figures?area=NPL")
        assert first.status_code == 200 and kept_count(client) == 0
        etag = etag_for(queries.current_dataset_version(session))
        assert first.headers["etag"] == etag
        unchanged = client.get("/api/v1/figures?area=NPL", headers={"If-None-Match": etag})
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert unchanged.headers["etag"] == etag and kept_count(client) == 0


def submit_figure(client: TestClient, **changes: str) -> None:
    token = csrf_from(client.get("/submit").text)
    fields = {"csrf_token": token, **submission_form(**changes)}
    assert client.post("/submit", data=fields, follow_redirects=False).status_code == 303


def approve_pending(session: Session) -> int:
    """Approve the one pending submission as a moderator does; return its figure's id."""
    submission = session.scalars(select(Submission).where(Submission.status == "pending")).one()
    figure = session.get(Figure, submission.figure_id)
    assert figure is not None
    queries.decide_submission(
        session,
        submission=submission,
        figure=figure,
        action=ModerationAction.APPROVE,
        moderator="moderator",
        reason="checked",
    )
    session.flush()
    return figure.id


def test_after_an_approval_the_next_answer_is_the_new_one(
    client: TestClient, session: Session
) -> None:
    addresses = ["/api/v1/figures?area=NPL&limit=1000", "/api/v1/areas/NPL", "/api/v1/metrics"]
    submit_figure(client, low="4321", high="4321")
    before = {address: client.get(address) for address in addresses}
    assert "4321" not in before[addresses[0]].text
    figure_id = approve_pending(session)
    version = queries.current_dataset_version(session)
    for address, old in before.items():
        after = client.get(address, headers={"If-None-Match": old.headers["etag"]})
        assert after.status_code == 200, address
        assert after.headers["etag"] == etag_for(version) != old.headers["etag"]
        assert after.json()["dataset_version"] == version
        assert client.get(address, headers={"If-None-Match": etag_for(version)}).status_code == 304
    listed = client.get(addresses[0]).json()["items"]
    assert figure_id in [item["id"] for item in listed]
    retracted = session.get(Figure, figure_id)
    assert retracted is not None
    queries.set_figure_status(
        session, figure=retracted, status=FigureStatus.RETRACTED, changed_by="t", reason="x"
    )
    assert figure_id not in [item["id"] for item in client.get(addresses[0]).json()["items"]]
    assert client.get(f"/api/v1/figures/{figure_id}").status_code == 410


def test_a_server_answers_kept_answers_without_a_transaction_and_follows_commits(
    empty_database: str,
) -> None:
    """With the server's own sessions (no test session): kept answers begin no transaction, and a
    committed change is in the very next answer."""
    seed_with_moderator(empty_database)
    app = create_app(Settings(database_url=empty_database, secret_key="test-secret-key"))
    state = app_state_of(app)
    begun: list[Session] = []

    def read_begun(found: Session, *_: object) -> None:
        if found.info.get(SNAPSHOT_FLAG):  # the read-only snapshots kept answers render in
            begun.append(found)

    event.listen(Session, "after_begin", read_begun)
    address = "/api/v1/figures?area=NPL&metric=killed&limit=1000"
    try:
        with TestClient(app) as client:
            first = client.get(address)
            assert first.status_code == 200 and len(begun) == 1
            for spelling in (
                "?metric=killed&area=NPL&limit=1000",
                "?area=npl&metric=killed&limit=1000",
            ):
                assert client.get("/api/v1/figures" + spelling).content == first.content
            assert (
                client.get(address, headers={"If-None-Match": first.headers["etag"]}).status_code
                == 304
            )
            assert len(begun) == 1
            with state.write_sessions() as session, session.begin():
                added = add_figure(session, FigureStatus.PUBLISHED, low="8765", high="8765")
            changed = client.get(address, headers={"If-None-Match": first.headers["etag"]})
            assert changed.status_code == 200 and len(begun) == 2
            assert added.id in [item["id"] for item in changed.json()["items"]]
            assert changed.json()["total"] == first.json()["total"] + 1
    finally:
        event.remove(Session, "after_begin", read_begun)
