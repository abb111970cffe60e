"""Builders for the API, export and import tests: figures in any status, clients that see them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import FigureStatus
from app.figure_input import FigureIn
from app.models import Figure
from app.web.downloads.routes import get_read_session

# What the demo data (both seed files) holds for Nepal: its metric sections in vocabulary order,
# and the references of its enlisted figures.
NEPAL_SECTIONS = [
    "enlisted",
    "returned",
    "killed",
    "missing",
    "captured",
    "recruitment_suspects",
    "pay_monthly",
    "signing_bonus",
]
NEPAL_ENLISTED = {"A07", "E11a", "E17a", "E18a", "RAS024", "RAS026", "RAS033"}


def figure_input(**changes: object) -> FigureIn:
    """Return a valid figure input (Nepal, killed, 7 persons) with some fields changed."""
    values: dict[str, object] = {
        "area": "NPL",
        "metric": "killed",
        "low": "7",
        "high": "7",
        "bound": "exact",
        "unit": "persons",
        "claimant": "Test claimant",
        "claimant_kind": "media",
        "quote": "seven were killed",
        "source_url": "https://example.org/test",
        "source_publisher": "Example",
    }
    values.update(changes)
    return FigureIn.model_validate(values)


def add_figure(session: Session, status: FigureStatus, **changes: object) -> Figure:
    """Store a figure that reached this status the way moderation moves it (with revisions)."""
    first = FigureStatus.PUBLISHED if status is FigureStatus.RETRACTED else status
    figure = queries.add_figure(
        session, figure_input(**changes), status=first, changed_by="test", reason="test"
    )
    if status is FigureStatus.RETRACTED:
        queries.set_figure_status(
            session, figure=figure, status=status, changed_by="test", reason="test"
        )
    return figure


def see_test_session(client: TestClient, session: Session) -> TestClient:
    """Return the client with downloads reading through the test's session too."""

    def test_read_session() -> Iterator[Session]:
        yield session

    client.app.dependency_overrides[get_read_session] = test_read_session  # type: ignore[attr-defined]
    return client


def csv_rows(text: str) -> list[dict[str, str]]:
    """Return the rows of CSV text (a leading byte-order mark ignored)."""
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
