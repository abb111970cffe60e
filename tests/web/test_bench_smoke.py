"""The load benchmark runs end to end on a tiny dataset: it only has to work and print its table.

It runs the Python parts only (the Python load generator, no wrk, no Datasette) on SQLite, for
a fraction of a second per path; the numbers it prints are not checked.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.settings import PROJECT_ROOT


def test_the_load_benchmark_runs_and_prints_its_table(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "bench" / "load_benchmark.py"),
            "--figures",
            "300",
            "--duration",
            "0.3",
            "--connections",
            "4",
            "--tool",
            "python",
            "--no-datasette",
            "--data-dir",
            str(tmp_path),
            "--json",
            str(tmp_path / "results.jsonl"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout
    assert "== sqlite, 300 figures" in output
    for name in ("overview", "country", "metric", "api", "bare"):
        assert f"\n{name} " in output, name
    assert "ratio country / bare endpoint:" in output
    assert "CSV export of" in output
    assert (tmp_path / "results.jsonl").read_text().count("\n") == 1
    tables = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "bench" / "tables.py"),
            str(tmp_path / "results.jsonl"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "| sqlite | 300 | country `/countries/NPL` |" in tables
    assert "| sqlite | 300 | " in tables.split("\n\n")[1]
