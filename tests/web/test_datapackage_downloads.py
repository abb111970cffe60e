"""The zip bundle and the data package of the downloads, on the demo data: frictionless validates
the unpacked bundle of every figure and of a filtered slice, hostile text included, and the
standalone datapackage.json describes what its download addresses return."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import FigureStatus
from app.domain.filters import FigureFilter
from app.web.http.conditional import etag_for
from support import NEPAL_ENLISTED, add_figure, see_test_session, unpacked, validated

HOSTILE_QUOTE = '=HYPERLINK("http://evil.example","click"), "fighting", they said\nnext, line'


@pytest.fixture
def data_client(client: TestClient, session: Session) -> Iterator[TestClient]:
    """Yield a client whose downloads read the test's session."""
    yield see_test_session(client, session)


def _validated_bundle(client: TestClient, address: str, directory: Path) -> dict[str, object]:
    response = client.get(address)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    package = unpacked(response.content, directory)
    problems, rows = validated(directory / "datapackage.json")
    assert problems == []
    assert rows["figures"] == rows["figures-json"]
    package["rows"] = rows["figures"]
    return package


def test_the_bundle_of_every_figure_validates(
    data_client: TestClient, session: Session, tmp_path: Path
) -> None:
    package = _validated_bundle(data_client, "/export/figures.zip", tmp_path)
    version = queries.current_dataset_version(session)
    assert package["rows"] == queries.count_published(session, FigureFilter())
    assert package["version"] == version
    assert package["selection"] == {"description": "every published figure", "query": ""}
    assert "every published figure" in str(package["description"])
    readme = (tmp_path / "README.md").read_text("utf-8")
    assert f"dataset version {version}" in readme and "CC-BY-4.0" in readme
    csv_bytes = (tmp_path / "figures.csv").read_bytes()
    assert csv_bytes == data_client.get("/export/figures.csv").content


def test_the_bundle_of_a_filtered_slice_validates_and_names_its_filter(
    data_client: TestClient, tmp_path: Path
) -> None:
    address = "/export/figures.zip?area=NPL&metric=enlisted&hxl=1"
    package = _validated_bundle(data_client, address, tmp_path)
    assert package["rows"] == len(NEPAL_ENLISTED)
    assert package["selection"] == {
        "description": "the published figures of area NPL; metric enlisted",
        "query": "area=NPL&metric=enlisted&hxl=1",
    }
    readme = (tmp_path / "README.md").read_text("utf-8")
    assert "the published figures of area NPL; metric enlisted" in readme
    csv_lines = (tmp_path / "figures.csv").read_text("utf-8").splitlines()
    assert csv_lines[1].startswith("#meta+id,")  # the HXL row, a comment row to the validator


def test_a_hostile_quote_still_validates(
    data_client: TestClient, session: Session, tmp_path: Path
) -> None:
    add_figure(
        session,
        FigureStatus.PUBLISHED,
        area="ZMB",
        quote=HOSTILE_QUOTE,
        claimant='-1, "the claimant", @home',
        counted_as="+ named list",
    )
    package = _validated_bundle(data_client, "/export/figures.zip?area=ZMB&metric=killed", tmp_path)
    figures = json.loads((tmp_path / "figures.json").read_text("utf-8"))["figures"]
    assert HOSTILE_QUOTE in [figure["quote"] for figure in figures]
    assert "'=HYPERLINK(" in (tmp_path / "figures.csv").read_text("utf-8")
    assert package["rows"] == len(figures)


def test_the_datapackage_describes_the_downloads_at_its_addresses(
    data_client: TestClient, tmp_path: Path
) -> None:
    response = data_client.get("/export/datapackage.json?area=NPL&metric=killed")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    package = response.json()
    base = "http://127.0.0.1:8000"
    addresses = [resource["path"] for resource in package["resources"]]
    assert addresses == [
        f"{base}/export/figures.csv?area=NPL&metric=killed",
        f"{base}/export/figures.json?area=NPL&metric=killed",
    ]
    for resource in package["resources"]:
        local = tmp_path / resource["path"].rsplit("/", 1)[1].split("?")[0]
        local.write_bytes(data_client.get(resource["path"].removeprefix(base)).content)
        resource["path"] = local.name
    (tmp_path / "datapackage.json").write_text(json.dumps(package), "utf-8")
    problems, rows = validated(tmp_path / "datapackage.json")
    assert problems == [] and rows["figures"] == rows["figures-json"] > 0


def test_downloads_answer_conditional_requests_and_refuse_unknown_areas(
    data_client: TestClient, session: Session
) -> None:
    etag = etag_for(queries.current_dataset_version(session))
    for address in ("/export/figures.zip?metric=killed", "/export/datapackage.json"):
        response = data_client.get(address)
        assert response.headers["etag"] == etag
        assert data_client.get(address, headers={"if-none-match": etag}).status_code == 304
    assert data_client.get("/export/figures.zip?area=XYZ").status_code == 422
    assert data_client.get("/export/datapackage.json?area=XYZ").status_code == 422
    zipped = data_client.get("/export/figures.zip?area=NPL")
    version = queries.current_dataset_version(session)
    assert zipped.headers["content-disposition"] == (
        f'attachment; filename="figures-NPL-{version}.zip"'
    )


def test_pages_link_the_bundle_and_its_data_package(data_client: TestClient) -> None:
    page = data_client.get("/countries/NPL").text
    assert 'href="/export/figures.zip?area=NPL" type="application/zip" download' in page
    assert 'href="/export/datapackage.json?area=NPL"' in page
    api = data_client.get("/api/v1/areas").json()
    nepal = next(area for area in api["areas"] if area["code"] == "NPL")
    assert nepal["downloads"]["zip"] == "/export/figures.zip?area=NPL"
    assert nepal["downloads"]["datapackage"] == "/export/datapackage.json?area=NPL"
