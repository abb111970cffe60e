"""Kept downloads cannot fill the disk and leave nothing behind: a size cap (oldest out first),
partial files of dead writers removed at start-up; kept answers are capped in number too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.web.downloads.kept_files import keep_within, remove_stray_parts
from app.web.pages.page_cache import BodyCache, CachedBody


def _file(directory: Path, name: str, size: int, age: int) -> Path:
    path = directory / name
    path.write_bytes(b"x" * size)
    stamp = 1_700_000_000 + age
    os.utime(path, (stamp, stamp))
    return path


def test_the_oldest_kept_files_go_first_until_the_rest_fit_the_cap(tmp_path: Path) -> None:
    oldest = _file(tmp_path, "v1-aaa", 400, 1)
    middle = _file(tmp_path, "v1-bbb", 400, 2)
    newest = _file(tmp_path, "v1-ccc", 400, 3)
    lock = _file(tmp_path, ".build-lock", 10_000, 0)
    assert keep_within(tmp_path, 900) == [oldest]
    assert not oldest.exists() and middle.exists() and newest.exists() and lock.exists()
    assert keep_within(tmp_path, 400) == [middle]
    assert keep_within(tmp_path, 400) == []
    assert newest.exists()


def test_partial_files_of_writers_gone_are_removed_and_those_being_written_stay(
    tmp_path: Path,
) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(finished.stdout)
    stray = _file(tmp_path, f"v1-aaa.{dead_pid}.140.part", 100, 1)
    unnamed = _file(tmp_path, "v1-bbb.part", 100, 1)
    being_written = _file(tmp_path, f"v1-ccc.{os.getpid()}.141.part", 100, 1)
    kept = _file(tmp_path, "v1-ddd", 100, 1)
    assert sorted(remove_stray_parts(tmp_path)) == sorted([stray, unnamed])
    assert being_written.exists() and kept.exists()
    assert remove_stray_parts(tmp_path / "missing") == []


def test_kept_answers_are_capped_in_number_as_well_as_in_size() -> None:
    cache = BodyCache(max_bytes=10**9, max_entries=3)
    for number in range(10):
        cache.put((f"v{number}", "/api/v1", ""), CachedBody(b"{}", "application/json"))
    assert len(cache) == 3
    assert cache.get(("v9", "/api/v1", "")) is not None
    assert cache.get(("v0", "/api/v1", "")) is None
