"""Every benchmark in one run, as ratios: the pages and the API against the bare endpoint, the API
against Datasette, the first render after a change, the CSV download against the storage's raw
limit, and what the country page weighs as the figures grow.

    .venv/bin/python bench/report.py --figures 10000 100000 1000000 --databases sqlite postgres \\
        --write-docs

For each database and size, on the synthetic database of the load benchmark (made once under
var/bench/, or as bench_N_seedS on PostgreSQL), it runs in turn:

- the load benchmark (bench/load_benchmark.py, without its export): every page, the API and the
  bare endpoint under load, and on SQLite Datasette answering the same Nepal query;
- the first render after a change (bench/first_render_benchmark.py): one figure of Nepal's
  killed retracted or reinstated per round, then each page's first request;
- the CSV download against the storage's raw limit (bench/export_benchmark.py): built while it
  streams, the best of a few rounds, with the server's memory;
- what the country page weighs (bench/page_weight.py): its HTML, gzipped and not.

Each database and size is one JSON line of var/bench/report.jsonl (started afresh by each run),
written as soon as it is measured. At the end it prints one table of ratios, a column per
database and size, writes it as Markdown beside the JSON lines (report.md) and draws the
requests/s chart (report.svg); --write-docs writes both into docs/benchmarks.md (between its
report markers) and docs/benchmarks.svg. --from-json makes the table, the Markdown and the chart
from a results file without measuring. It prints figures only: no targets are asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench import export_benchmark, first_render_benchmark, load_benchmark, page_weight  # noqa: E402
from bench.chart import chart  # noqa: E402

WEIGHED_PAGE = "/countries/NPL"
DOCS = PROJECT_ROOT / "docs" / "benchmarks.md"
DOCS_CHART = PROJECT_ROOT / "docs" / "benchmarks.svg"
START_MARK = "<!-- report:start (written by bench/report.py --write-docs) -->"
END_MARK = "<!-- report:end -->"
NONE = "–"
SHARES = (
    ("country", "country page / bare: req/s ratio (p99 ms)"),
    ("overview", "overview `/` / bare: req/s ratio (p99 ms)"),
    ("metric", "metric page `/metrics/killed` / bare: req/s ratio (p99 ms)"),
    ("api", "API `/api/v1/figures?area=NPL` / bare: req/s ratio (p99 ms)"),
)

Result = dict[str, Any]


def measure_dataset(
    database: str, figures: int, url: str, arguments: argparse.Namespace, load: dict[str, Any]
) -> Result:
    """Run every measurement on one database and size; return its results as one JSON object."""
    started, load_averages = datetime.now(UTC), [os.getloadavg()[0]]
    run = load_benchmark.measure(database, figures, url, **load, export=False)
    load_averages.append(os.getloadavg()[0])
    first_render = first_render_benchmark.measure(database, figures, url, arguments.rounds)
    load_averages.append(os.getloadavg()[0])
    download = export_benchmark.build_against_limit(
        url, load_benchmark.figures_published(url), arguments.download_rounds
    )
    load_averages.append(os.getloadavg()[0])
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as cache_dir:
        settings = first_render_benchmark.in_process_settings(url, cache_dir)
        weights = page_weight.weigh_pages([WEIGHED_PAGE], settings)
    return {
        "database": database,
        "figures": figures,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        # The one-minute load average before, between and after the measurements.
        "load_averages": [*load_averages, os.getloadavg()[0]],
        "load": asdict(run),
        "first_render": first_render,
        "download": download,
        "page_weight": {weight.path: asdict(weight) for weight in weights},
    }


def _measure(result: Result, name: str) -> dict[str, Any] | None:
    return next((m for m in result["load"]["measures"] if m["name"] == name), None)


def _rate(result: Result, name: str) -> float | None:
    """Return the requests/s of a path, None when it was not measured or failed."""
    measure = _measure(result, name)
    if measure is None or measure["errors"] < 0 or not measure["requests_per_second"]:
        return None
    return float(measure["requests_per_second"])


def _share_of(result: Result, name: str, of: str) -> str:
    rate, other = _rate(result, name), _rate(result, of)
    if rate is None or other is None:
        return NONE
    return f"{rate / other:.2f} ({_measure(result, name)['p99_ms']:,.1f})"  # type: ignore[index]


def _bare(result: Result) -> str:
    rate = _rate(result, "bare")
    return NONE if rate is None else f"{rate:,.0f} ({_measure(result, 'bare')['p99_ms']:,.1f})"  # type: ignore[index]


def _datasette(result: Result) -> str:
    rate, datasette = _rate(result, "api"), _rate(result, "datasette")
    return NONE if rate is None or datasette is None else f"{rate / datasette:.2f}"


def _first_render(result: Result, name: str) -> str:
    found = result.get("first_render") or {}
    if not found.get(name):
        return NONE
    wall, processor = statistics.median(found[name]), statistics.median(found[f"{name}_cpu"])
    return f"{wall:,.0f} ({processor:,.0f})"


def _download(result: Result) -> str:
    download = result.get("download")
    if not download:
        return NONE
    return f"{download['ratio']:.2f} ({download['download_rows_per_second']:,.0f})"


def _download_memory(result: Result) -> str:
    download = result.get("download")
    if not download:
        return NONE
    growth = download["server_peak_mib"] - download["server_idle_mib"]
    return f"{download['server_peak_mib']:,.0f} (+{growth:,.1f})"


def _gzipped_bytes(result: Result) -> int | None:
    weight = (result.get("page_weight") or {}).get(WEIGHED_PAGE)
    return int(weight["gzipped_bytes"]) if weight else None


def _weight(result: Result) -> str:
    weight = (result.get("page_weight") or {}).get(WEIGHED_PAGE)
    return NONE if not weight else f"{weight['gzipped_bytes']:,} ({weight['raw_bytes']:,})"


def _largest_against_smallest(
    results: list[Result], result: Result, value: Any, digits: int = 2
) -> str:
    """Return value(largest size) / value(smallest) in the largest size's column of its database."""
    same_database = [r for r in results if r["database"] == result["database"]]
    largest = max(same_database, key=lambda r: r["figures"])
    smallest = min(same_database, key=lambda r: r["figures"])
    if result is not largest or largest is smallest:
        return NONE
    top, bottom = value(largest), value(smallest)
    return NONE if top is None or not bottom else f"{top / bottom:.{digits}f}"


def ratio_rows(results: list[Result]) -> list[tuple[str, list[str]]]:
    """Return the table of ratios: one row per measure, one cell per database and size."""
    pages = first_render_benchmark.PAGES
    rows: list[tuple[str, list[str]]] = [
        ("bare endpoint `/bench/bare`: req/s (p99 ms)", [_bare(r) for r in results])
    ]
    rows += [(label, [_share_of(r, name, "bare") for r in results]) for name, label in SHARES]
    rows.append(("API / Datasette, same query: req/s ratio", [_datasette(r) for r in results]))
    rows += [
        (
            f"first render after a change, `{pages[name]}`: median ms (processor ms)",
            [_first_render(r, name) for r in results],
        )
        for name in ("overview", "metric", "country")
    ]
    rows.append(
        (
            "CSV download build / raw limit: rows/s ratio (download rows/s)",
            [_download(r) for r in results],
        )
    )
    rows.append(
        (
            "server memory during the download: peak MiB (+ over idle)",
            [_download_memory(r) for r in results],
        )
    )
    rows.append(("country page bytes: gzipped (raw)", [_weight(r) for r in results]))
    rows.append(
        (
            "country page gzipped bytes: largest / smallest size",
            [_largest_against_smallest(results, r, _gzipped_bytes) for r in results],
        )
    )
    rows.append(
        (
            "country page req/s: largest / smallest size",
            [_largest_against_smallest(results, r, lambda s: _rate(s, "country")) for r in results],
        )
    )
    return rows


def column_titles(results: list[Result]) -> list[str]:
    """Return the title of each column: its database and size."""
    return [f"{r['database']} {r['figures']:,}" for r in results]


def text_table(results: list[Result]) -> list[str]:
    """Return the table of ratios as printed: measures down, databases and sizes across."""
    rows = [("", column_titles(results)), *ratio_rows(results)]
    label_width = max(len(label) for label, _ in rows)
    widths = [max(len(cells[i]) for _, cells in rows) for i in range(len(results))]
    return [
        f"{label:<{label_width}}  "
        + "  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))
        for label, cells in rows
    ]


def _counted(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def conditions(results: list[Result]) -> str:
    """Return when and how the results were measured, in one sentence, from the results alone."""
    first, last = results[0], results[-1]
    loads = [load for r in results for load in r["load_averages"]]
    run = first["load"]
    changes, rounds = len(first["first_render"]["changes_ms"]), first["download"]["rounds"]
    started = datetime.fromisoformat(first["started_at"])
    finished = datetime.fromisoformat(last["finished_at"])
    return (
        f"Measured on {started:%-d %B %Y} from {started:%H:%M} to {finished:%H:%M} UTC on"
        f" {first['cores']} cores, the one-minute load average between the measurements from"
        f" {min(loads):.1f} to {max(loads):.1f}; {run['tool']} at {run['connections']} connections,"
        f" {run['duration']:g} s a path; first render: medians of {_counted(changes, 'change')};"
        f" CSV download: the best of {_counted(rounds, 'round')}."
    )


def markdown(results: list[Result]) -> str:
    """Return the sentence of conditions and the table of ratios as Markdown."""
    titles = column_titles(results)
    lines = [
        conditions(results),
        "",
        "| | " + " | ".join(titles) + " |",
        "| --- |" + " ---: |" * len(titles),
    ]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in ratio_rows(results)]
    return "\n".join(lines) + "\n"


def chart_title(results: list[Result]) -> str:
    """Return the chart's title: what it shows and when it was measured."""
    run = results[0]["load"]
    started = datetime.fromisoformat(results[0]["started_at"])
    return (
        f"Requests per second at {run['connections']} connections, {run['duration']:g} s a path"
        f" ({started:%-d %B %Y}); p99 latency beside each bar"
    )


def with_report(document: str, block: str) -> str:
    """Return the document with the text between its report markers replaced by the block."""
    start, end = document.find(START_MARK), document.find(END_MARK)
    if start < 0 or end < start:
        raise ValueError(f"the document lacks {START_MARK!r} followed by {END_MARK!r}")
    return document[: start + len(START_MARK)] + "\n\n" + block + "\n" + document[end:]


def read_results(path: Path) -> list[Result]:
    """Return the results of a JSON-lines file, one per database and size."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Parse the options, measure every size on every database, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    load_benchmark.add_dataset_arguments(parser, [10_000, 100_000])
    load_benchmark.add_load_arguments(parser)
    parser.add_argument("--rounds", type=int, default=4, help="changes for the first render")
    parser.add_argument(
        "--download-rounds", type=int, default=2, help="raw limit and download, in turn"
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=PROJECT_ROOT / "var" / "bench" / "report.jsonl",
        help="the results as JSON lines, started afresh (report.md and report.svg beside it)",
    )
    parser.add_argument("--from-json", type=Path, help="report these results without measuring")
    parser.add_argument(
        "--write-docs", action="store_true", help="write docs/benchmarks.md and its chart too"
    )
    arguments = parser.parse_args(argv)
    results_path = arguments.from_json or arguments.json
    if arguments.from_json:
        results = read_results(arguments.from_json)
    else:
        load = load_benchmark.load_options(arguments)
        results_path.parent.mkdir(parents=True, exist_ok=True)
        results_path.write_text("")
        results = []
        for database, figures, url in load_benchmark.prepared_datasets(arguments):
            result = measure_dataset(database, figures, url, arguments, load)
            load_benchmark.append_json_line(results_path, result)
            results.append(result)
    if not results:
        print(f"no results in {results_path}", file=sys.stderr)
        return 1
    block = markdown(results)
    svg = chart([r["load"] for r in results], chart_title(results))
    print("\n" + conditions(results) + "\n")
    print("\n".join(text_table(results)))
    results_path.with_suffix(".md").write_text(block)
    results_path.with_suffix(".svg").write_text(svg)
    if arguments.write_docs:
        DOCS.write_text(with_report(DOCS.read_text(), block))
        DOCS_CHART.write_text(svg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
