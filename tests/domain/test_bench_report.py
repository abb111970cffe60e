"""The benchmark report's table of ratios, made from its JSON lines, and its place in the docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.chart import chart
from bench.report import END_MARK, START_MARK, markdown, ratio_rows, read_results, with_report


def _result(
    database: str,
    figures: int,
    rates: dict[str, tuple[float, float, int]],
    gzipped: int,
) -> dict[str, Any]:
    """Return one database and size's results as the report writes them (rates: req/s, p99, errors)."""
    return {
        "database": database,
        "figures": figures,
        "started_at": "2026-12-01T21:40:00+00:00",
        "finished_at": "2026-12-01T21:43:00+00:00",
        "cores": 2,
        "load_averages": [1.25, 2.5, 1.75, 2.0, 1.5],
        "load": {
            "database": database,
            "figures": figures,
            "tool": "wrk",
            "connections": 32,
            "duration": 3.0,
            "measures": [
                {
                    "name": name,
                    "path": f"/{name}",
                    "requests_per_second": rate,
                    "p50_ms": p99 / 2,
                    "p99_ms": p99,
                    "errors": errors,
                    "first_ms": 1.0,
                }
                for name, (rate, p99, errors) in rates.items()
            ],
            "export": {},
            "memory_mib": {},
        },
        "first_render": {
            "database": database,
            "figures": figures,
            "changes_ms": [10.0, 30.0, 20.0],
            **{name: [300.0, 100.0, 200.0] for name in ("overview", "metric", "country")},
            **{f"{name}_cpu": [30.0, 10.0, 20.0] for name in ("overview", "metric", "country")},
        },
        "download": {
            "rows": 9_500,
            "rounds": 2,
            "raw_limit_seconds": 1.0,
            "download_seconds": 2.0,
            "raw_limit_rows_per_second": 9_500.0,
            "download_rows_per_second": 4_750.0,
            "ratio": 0.5,
            "server_peak_mib": 120.0,
            "server_idle_mib": 100.0,
        },
        "page_weight": {
            "/countries/NPL": {
                "path": "/countries/NPL",
                "status": 200,
                "raw_bytes": gzipped * 8,
                "gzipped_bytes": gzipped,
                "chart_markers": 10,
            }
        },
    }


@pytest.fixture
def results(tmp_path: Path) -> list[dict[str, Any]]:
    """SQLite at two sizes (with Datasette), PostgreSQL at one, read back from JSON lines."""
    written = [
        _result(
            "sqlite",
            10_000,
            {"bare": (4000, 20.0, 0), "country": (2000, 30.0, 0), "api": (1000, 90.0, 0),
             "metric": (3000, 25.0, 0), "overview": (1000, 40.0, 0), "datasette": (50, 800.0, 0)},
            gzipped=100_000,
        ),
        _result(
            "sqlite",
            100_000,
            {"bare": (5000, 10.0, 0), "country": (1000, 50.0, 0), "api": (2500, 60.0, 0),
             "metric": (0, 0.0, -1), "overview": (2000, 35.0, 0), "datasette": (100, 700.0, 0)},
            gzipped=150_000,
        ),
        _result(
            "postgres",
            10_000,
            {"bare": (4000, 20.0, 0), "country": (3000, 25.0, 0), "api": (400, 300.0, 0),
             "metric": (2000, 30.0, 0), "overview": (2000, 30.0, 0)},
            gzipped=100_000,
        ),
    ]  # fmt: skip
    path = tmp_path / "report.jsonl"
    path.write_text("".join(json.dumps(result) + "\n" for result in written))
    return read_results(path)


def _row(results: list[dict[str, Any]], starts: str) -> list[str]:
    return next(cells for label, cells in ratio_rows(results) if label.startswith(starts))


def test_each_page_and_the_api_are_a_share_of_the_bare_endpoint_with_their_p99(
    results: list[dict[str, Any]],
) -> None:
    assert _row(results, "bare endpoint") == ["4,000 (20.0)", "5,000 (10.0)", "4,000 (20.0)"]
    assert _row(results, "country page / bare") == ["0.50 (30.0)", "0.20 (50.0)", "0.75 (25.0)"]
    assert _row(results, "overview") == ["0.25 (40.0)", "0.40 (35.0)", "0.50 (30.0)"]
    assert _row(results, "API `/api") == ["0.25 (90.0)", "0.50 (60.0)", "0.10 (300.0)"]


def test_a_failed_path_and_datasette_on_postgresql_have_no_ratio(
    results: list[dict[str, Any]],
) -> None:
    assert _row(results, "metric page")[1] == "–"
    assert _row(results, "API / Datasette") == ["20.00", "25.00", "–"]


def test_first_renders_are_medians_and_the_download_a_share_of_the_raw_limit(
    results: list[dict[str, Any]],
) -> None:
    assert _row(results, "first render after a change, `/countries/NPL`") == ["200 (20)"] * 3
    assert _row(results, "CSV download build") == ["0.50 (4,750)"] * 3
    assert _row(results, "server memory") == ["120 (+20.0)"] * 3


def test_growth_with_the_size_stands_in_the_largest_size_of_each_database_only(
    results: list[dict[str, Any]],
) -> None:
    assert _row(results, "country page bytes") == [
        "100,000 (800,000)",
        "150,000 (1,200,000)",
        "100,000 (800,000)",
    ]
    assert _row(results, "country page gzipped bytes: largest") == ["–", "1.50", "–"]
    assert _row(results, "country page req/s: largest") == ["–", "0.50", "–"]


def test_the_markdown_says_when_and_under_what_load_it_was_measured(
    results: list[dict[str, Any]],
) -> None:
    text = markdown(results)
    assert text.startswith("Measured on 1 December 2026 from 21:40 to 21:43 UTC on 2 cores,")
    assert "load average between the measurements from 1.2 to 2.5;" in text
    assert "| | sqlite 10,000 | sqlite 100,000 | postgres 10,000 |" in text
    assert "| country page req/s: largest / smallest size | – | 0.50 | – |" in text


def test_the_chart_has_its_title_once_and_a_heading_per_database_and_size(
    results: list[dict[str, Any]],
) -> None:
    drawn = chart([result["load"] for result in results], "Requests per second, 1 December")
    assert drawn.count(">Requests per second, 1 December</text>") == 1
    for heading in (
        "sqlite, 10,000 figures",
        "sqlite, 100,000 figures",
        "postgres, 10,000 figures",
    ):
        assert drawn.count(f">{heading}</text>") == 1


def test_the_docs_keep_everything_outside_the_report_markers() -> None:
    document = f"# Benchmarks\n\nbefore\n{START_MARK}\nold table\n{END_MARK}\nafter\n"
    once = with_report(document, "new table\n")
    assert once == f"# Benchmarks\n\nbefore\n{START_MARK}\n\nnew table\n\n{END_MARK}\nafter\n"
    assert with_report(once, "new table\n") == once
    with pytest.raises(ValueError, match="report:start"):
        with_report("# Benchmarks\n", "new table\n")
