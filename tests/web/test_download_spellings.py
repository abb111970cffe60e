"""Equivalent download queries share one kept file: a hundred spellings of one selection make
one file, with the same bytes whichever spelling asked; another selection makes another."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterator
from itertools import product
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from app.domain.figures import ClaimantKind
from app.main import create_app
from app.settings import Settings
from support import csv_rows

OFFICIAL = [kind.value for kind in ClaimantKind if kind.is_official]
# Nepal's official figures with an as-of date: every spelling below asks for them.
AS_OF_SPELLINGS = [
    *([("as_of_from", str(year))] for year in range(1930, 1960)),
    [("as_of_from", "1990-05")],
    [("as_of_from", "2021-12-31")],
    [("as_of_from", "2022")],  # the first as-of date of the demo data
    [("as_of_to", "2100")],
    [("as_of_to", "2026-03")],  # the month of the last one
    [("as_of_from", "1950"), ("as_of_to", "2099-12")],
]
AREA_SPELLINGS = [
    [("area", "NPL")],
    [("area", "NPL"), ("area", "NPL")],
    [("area", "npl")],
    [("area", " NPL "), ("area", "")],
]
KIND_SPELLINGS = [
    [("side", "official")],
    [("claimant_kind", kind) for kind in OFFICIAL],
    [("claimant_kind", kind) for kind in reversed(OFFICIAL)],
    [("side", "official"), *(("claimant_kind", kind.value) for kind in ClaimantKind)],
    [("side", "official"), ("claimant_kind", "media"), *(("claimant_kind", k) for k in OFFICIAL)],
]
HXL_SPELLINGS = [[("hxl", word)] for word in ("1", "true", "on", "yes", "True")]


def spellings(count: int, *, hxl: bool) -> list[str]:
    """Return `count` distinct query strings of the one selection, parameters in any order."""
    generator = random.Random(15)
    combinations = list(product(AS_OF_SPELLINGS, AREA_SPELLINGS, KIND_SPELLINGS, HXL_SPELLINGS))
    generator.shuffle(combinations)
    queries = []
    for as_of, area, kinds, flag in combinations[:count]:
        parameters = [*as_of, *area, *kinds, *(flag if hxl else [])]
        generator.shuffle(parameters)
        queries.append(urlencode(parameters))
    assert len(set(queries)) == count
    return queries


@pytest.fixture
def keeping_client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """Yield a client of an application that keeps its downloads in tmp_path."""
    settings = Settings(
        database_url=database_url, secret_key="test", export_cache_dir=str(tmp_path)
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _kept(directory: Path) -> list[Path]:
    return [path for path in directory.iterdir() if not path.name.startswith(".")]


def test_a_hundred_spellings_of_one_csv_query_make_one_file(
    keeping_client: TestClient, tmp_path: Path
) -> None:
    bodies = set()
    for query in spellings(100, hxl=True):
        response = keeping_client.get(f"/export/figures.csv?{query}")
        assert response.status_code == 200, query
        bodies.add(response.content)
    assert len(bodies) == 1
    assert len(_kept(tmp_path)) == 1 and _kept(tmp_path)[0].read_bytes() in bodies
    rows = csv_rows(bodies.pop().decode("utf-8"))
    assert rows[0]["figure_id"] == "#meta+id"  # the HXL row
    figures = rows[1:]
    assert figures and {row["area"] for row in figures} == {"NPL"}
    assert {row["official"] for row in figures} == {"true"}
    assert all(row["as_of"] for row in figures)


def test_other_selections_make_other_files(keeping_client: TestClient, tmp_path: Path) -> None:
    def rows(query: str) -> tuple[bytes, list[dict[str, str]]]:
        response = keeping_client.get(f"/export/figures.csv?area=NPL&side=official&{query}")
        return response.content, csv_rows(response.text)

    dated, dated_rows = rows("as_of_from=1930&hxl=1")
    undated_too, undated_too_rows = rows("hxl=1")
    without_hxl, without_hxl_rows = rows("as_of_to=2100&hxl=0")
    later, later_rows = rows("as_of_from=2024&hxl=1")
    assert len({dated, undated_too, without_hxl, later}) == 4 and len(_kept(tmp_path)) == 4
    assert len(undated_too_rows) > len(dated_rows) > len(later_rows) > 1  # the undated ones
    assert without_hxl_rows == dated_rows[1:]


def test_json_spellings_share_one_file_whatever_their_hxl_flag(
    keeping_client: TestClient, tmp_path: Path
) -> None:
    queries = spellings(20, hxl=True) + spellings(20, hxl=False)
    bodies = {keeping_client.get(f"/export/figures.json?{query}").content for query in queries}
    assert len(bodies) == 1 and len(_kept(tmp_path)) == 1
    document = bodies.pop()
    for spelt in (b"1930", b"npl", b"side", b"as_of_from"):
        assert spelt not in document  # the JSON echoes no query


def test_zip_spellings_share_one_file_naming_the_one_spelling(
    keeping_client: TestClient, tmp_path: Path
) -> None:
    bodies = {
        keeping_client.get(f"/export/figures.zip?{query}").content
        for query in spellings(12, hxl=True)
    }
    assert len(bodies) == 1 and len(_kept(tmp_path)) == 1
    with zipfile.ZipFile(io.BytesIO(bodies.pop())) as bundle:
        readme = bundle.read("README.md").decode("utf-8")
    assert (
        "This bundle holds: the published figures of area NPL; official side;"
        " as of 2022-01-01 or later (the download's query:"
        " `area=NPL&side=official&as_of_from=2022-01-01&hxl=1`)"
    ) in readme


def test_an_empty_selection_has_one_file_however_it_is_asked(
    keeping_client: TestClient, tmp_path: Path
) -> None:
    queries = [
        "side=independent&claimant_kind=official_russia",
        "side=official&claimant_kind=media&area=NPL",
        "as_of_from=2099",
        "as_of_to=1901&metric=killed",
        "as_of_from=2025&as_of_to=2024",
    ]
    bodies = {keeping_client.get(f"/export/figures.csv?{query}").content for query in queries}
    assert len(bodies) == 1 and len(_kept(tmp_path)) == 1
    assert csv_rows(bodies.pop().decode("utf-8")) == []


def test_unknown_parameters_are_still_refused(keeping_client: TestClient, tmp_path: Path) -> None:
    assert keeping_client.get("/export/figures.csv?area=NPL&cachebuster=1").status_code == 422
    assert _kept(tmp_path) == []
