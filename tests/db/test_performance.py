"""What makes the pages fast must not change what they show: cached pages follow every change,
the lean CSV writer writes the bytes the reference writer writes, and the synthetic dataset
obeys the same rules as real data."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import queries
from app.db import make_engine
from app.domain.comparisons import (
    group_by_area_and_metric,
    make_group,
    summarise_by_area_and_metric,
)
from app.domain.export_rows import csv_chunks_from_rows
from app.domain.figures import Bound, FigureStatus, check_bounds
from app.domain.filters import FigureFilter
from app.main import create_app
from app.migrate import upgrade
from app.models import Figure, FigureRevision, Submission
from app.operations.synthetic import generate
from app.settings import Settings
from app.web.pages.page_cache import BodyCache, CachedBody
from support import add_figure, figure_input, reference_csv, see_test_session

BASE = "https://dashboard.example"


def test_a_cached_country_page_shows_a_publication_an_edit_and_a_retraction(
    client: TestClient, session: Session
) -> None:
    assert "Cached claimant" not in client.get("/countries/NPL").text
    figure = add_figure(session, FigureStatus.PENDING, claimant="Cached claimant")
    assert "Cached claimant" not in client.get("/countries/NPL").text
    queries.set_figure_status(
        session, figure=figure, status=FigureStatus.PUBLISHED, changed_by="test", reason="approved"
    )
    assert "Cached claimant" in client.get("/countries/NPL").text
    assert "Cached claimant" in client.get("/countries/NPL").text
    queries.edit_figure(
        session,
        figure=figure,
        figure_in=figure_input(claimant="Edited claimant"),
        changed_by="test",
        reason="typo",
    )
    page = client.get("/countries/NPL").text
    assert "Edited claimant" in page and "Cached claimant" not in page
    queries.set_figure_status(
        session, figure=figure, status=FigureStatus.RETRACTED, changed_by="test", reason="withdrawn"
    )
    assert "Edited claimant" not in client.get("/countries/NPL").text


def test_cached_overview_metric_page_and_api_follow_a_publication(
    client: TestClient, session: Session
) -> None:
    paths = ("/", "/metrics/killed", "/api/v1/figures?area=NPL&metric=killed")
    before = {path: client.get(path).text for path in paths}
    assert before == {path: client.get(path).text for path in paths}
    add_figure(session, FigureStatus.PUBLISHED, low="7777", high="7777")
    for path in paths:
        after = client.get(path)
        assert after.status_code == 200
        assert after.text != before[path], path
        shown = ("256 published figures",) if path == "/" else ("7777", "7,777")
        assert any(text in after.text for text in shown), path


def test_a_cached_api_answer_keeps_its_etag_and_304(client: TestClient) -> None:
    first = client.get("/api/v1/figures?area=NPL")
    second = client.get("/api/v1/figures?area=NPL")
    assert first.json() == second.json()
    assert first.headers["etag"] == second.headers["etag"]
    assert second.headers["content-type"] == "application/json"
    assert second.headers["content-encoding"] == "gzip"
    assert second.headers["vary"] == "Accept-Encoding"
    again = client.get("/api/v1/figures?area=NPL", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_the_body_cache_stays_within_its_size() -> None:
    cache = BodyCache(max_bytes=1000)
    for number in range(10):
        cache.put(("v", f"/{number}", ""), CachedBody(b"x" * 200, "text/html"))
    assert len(cache) == 5
    assert cache.get(("v", "/0", "")) is None
    assert cache.get(("v", "/9", "")) is not None
    cache.put(("v", "/huge", ""), CachedBody(b"x" * 900, "text/html"))
    assert cache.get(("v", "/huge", "")) is None


def test_the_lean_csv_writer_writes_the_reference_bytes(session: Session) -> None:
    texts = [("=SUM(A1)", 'line\nbreak, "quoted"'), ("'-x", "-minus"), ("@at", "'=already")]
    for number, (claimant, quote) in enumerate(texts):
        add_figure(
            session,
            FigureStatus.PUBLISHED,
            claimant=claimant,
            quote=quote,
            low="2.5",
            high="12.75",
            bound="range",
            as_of="2024-03",
            source_url=f"https://example.org/lean/{number}",
        )
    for hxl in (False, True):
        reference = reference_csv(
            queries.stream_published(session, FigureFilter()),
            permalink_for=lambda figure_id: f"{BASE}/figures/{figure_id}",
            version="2026-01-01.0123abcd",
            hxl=hxl,
        )
        lean = "".join(
            csv_chunks_from_rows(
                queries.stream_export_rows(session, FigureFilter()),
                permalink_prefix=f"{BASE}/figures/",
                version="2026-01-01.0123abcd",
                hxl=hxl,
            )
        )
        assert lean == reference


def test_the_csv_download_is_the_reference_export(client: TestClient, session: Session) -> None:
    see_test_session(client, session)
    version = queries.current_dataset_version(session)
    reference = reference_csv(
        queries.stream_published(session, FigureFilter()),
        permalink_for=lambda figure_id: f"http://127.0.0.1:8000/figures/{figure_id}",
        version=version,
    )
    assert client.get("/export/figures.csv").content == reference.encode("utf-8")


def test_a_download_is_kept_on_disk_per_version_and_served_again(
    database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=database_url, secret_key="test", export_cache_dir=str(tmp_path)
    )
    with TestClient(create_app(settings)) as client:
        first = client.get("/export/figures.csv?area=NPL")
        kept = list(tmp_path.iterdir())
        second = client.get("/export/figures.csv?area=NPL")
    assert first.status_code == second.status_code == 200
    assert len(kept) == 1 and kept[0].read_bytes() == first.content
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-disposition"] == first.headers["content-disposition"]


def _synthetic(url: str, figures: int, seed: int) -> list[tuple[object, ...]]:
    upgrade(url)
    engine = make_engine(url)
    try:
        generate(engine, figures, seed=seed)
        with Session(engine) as session:
            return [
                tuple(row)
                for row in session.execute(
                    select(Figure.area_code, Figure.metric_slug, Figure.low, Figure.high).order_by(
                        Figure.id
                    )
                )
            ]
    finally:
        engine.dispose()


def test_the_synthetic_dataset_is_valid_and_reproducible(
    empty_database_factory: Callable[[], str],
) -> None:
    url = empty_database_factory()
    first = _synthetic(url, 600, seed=7)
    assert first == _synthetic(empty_database_factory(), 600, seed=7)
    engine = make_engine(url)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Figure)) == 600
        first_revisions = select(func.count()).where(FigureRevision.number == 1)
        assert session.scalar(first_revisions) == 600
        statuses = set(session.scalars(select(Figure.status).distinct()))
        assert statuses == {"pending", "published", "rejected", "retracted"}
        pending = select(func.count()).where(Figure.status == "pending")
        pending_submissions = select(func.count()).where(Submission.status == "pending")
        assert session.scalar(pending) == session.scalar(pending_submissions)
        later = select(func.count()).where(FigureRevision.number == 2)
        assert (session.scalar(later) or 0) > 0
        kinds = set(session.scalars(select(Figure.claimant_kind).distinct()))
        assert len(kinds) == 8
        for figure in session.scalars(select(Figure).limit(200)):
            # Every generated figure reads as the form would accept it (BoundsError otherwise).
            check_bounds(figure.low, figure.high, Bound(figure.bound))
            assert figure.quote.strip() and figure.claimant.strip() and figure.unit
        version = queries.current_dataset_version(session)
    engine.dispose()
    assert not version.startswith("empty")


def _assert_summaries_match_full_groups(session: Session) -> int:
    metrics = ("enlisted", "killed")
    records = queries.published_records(session, metric_slugs=metrics)
    groups = {
        (group.area_code, group.metric_slug): group for group in group_by_area_and_metric(records)
    }
    summaries = summarise_by_area_and_metric(queries.dated_claims(session, metrics), 5)
    assert set(summaries) == set(groups)
    for key, group in groups.items():
        summary = summaries[key]
        assert summary.figure_count == len(group.records)
        assert summary.disagreement == group.disagreement
        assert summary.sides == group.sides
        assert summary.latest_id == group.latest.id
        assert summary.latest_official_ids == tuple(r.id for r in group.official_records[-5:])
        assert summary.latest_independent_ids == tuple(r.id for r in group.independent_records[-5:])
    return len(groups)


def test_the_overview_summaries_are_those_of_the_full_groups(session: Session) -> None:
    assert _assert_summaries_match_full_groups(session) > 5


def test_the_overview_summaries_are_those_of_the_full_groups_on_synthetic_data(
    empty_database_factory: Callable[[], str],
) -> None:
    url = empty_database_factory()
    _synthetic(url, 3000, seed=3)
    engine = make_engine(url)
    with Session(engine) as session:
        assert _assert_summaries_match_full_groups(session) > 100
    engine.dispose()


def test_the_metric_page_lists_the_latest_figures_of_each_side_and_links_to_all(
    client: TestClient, session: Session
) -> None:
    for day in range(1, 8):
        add_figure(session, FigureStatus.PUBLISHED, as_of=f"2025-04-0{day}", claimant_kind="media")
    records = queries.published_records(session, area_code="NPL", metric_slug="killed")
    independent = [r.id for r in make_group(records).records if not r.claimant_kind.is_official]
    page = client.get("/metrics/killed").text
    row = page[page.index('<tr data-area="NPL">') :]
    row = row[: row.index("</tr>")]
    listed = [int(found) for found in re.findall(r'href="/figures/(\d+)"', row)]
    assert [i for i in listed if i in independent] == independent[-5:]
    assert f"{len(independent) - 5} earlier" in row
    assert 'href="/countries/NPL/metrics/killed"' in row
