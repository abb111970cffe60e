"""The full downloads are built ahead for each dataset version and then served from their files."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from app.db import make_engine
from app.main import create_app
from app.settings import Settings
from app.web.downloads import built_ahead as prebuild
from app.web.downloads.built_ahead import LOCK_NAME, build_full_downloads


def _settings(database_url: str, directory: Path, every: float = 0) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test",
        export_cache_dir=str(directory),
        export_prebuild_seconds=every,
    )


def test_the_full_downloads_are_built_once_and_served_from_their_files(
    database_url: str, tmp_path: Path
) -> None:
    settings = _settings(database_url, tmp_path)
    engine = make_engine(database_url)
    try:
        built = build_full_downloads(engine, settings)
        assert len(built) == 2 and all(path.is_file() for path in built)
        assert build_full_downloads(engine, settings) == []  # already there for this version
    finally:
        engine.dispose()
    with TestClient(create_app(settings)) as client:
        csv = client.get("/export/figures.csv")
        json = client.get("/export/figures.json", headers={"host": "other.example"})
        extra = client.get("/export/figures.csv?hxl=false")  # the same query, spelt out
    files = {path.read_bytes() for path in built}
    assert csv.status_code == json.status_code == 200
    assert csv.content in files and json.content in files and csv.content != json.content
    assert extra.content == csv.content
    assert sorted(path.name for path in tmp_path.iterdir() if path.name != LOCK_NAME) == sorted(
        path.name for path in built
    )


def test_another_process_building_makes_this_one_wait_its_turn(
    database_url: str, tmp_path: Path
) -> None:
    settings = _settings(database_url, tmp_path)
    engine = make_engine(database_url)
    try:
        with prebuild._build_lock(tmp_path) as holding:  # as another process would hold it
            assert holding
            assert build_full_downloads(engine, settings) == []
        assert len(build_full_downloads(engine, settings)) == 2
    finally:
        engine.dispose()


def test_a_running_server_builds_them_ahead(database_url: str, tmp_path: Path) -> None:
    with TestClient(create_app(_settings(database_url, tmp_path, every=0.05))):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if len([path for path in tmp_path.iterdir() if path.name[0] != "."]) == 2:
                break
            time.sleep(0.05)
    kept = [path for path in tmp_path.iterdir() if path.name[0] != "." and path.is_file()]
    assert len(kept) == 2
