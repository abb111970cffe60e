"""Print the load benchmark's results as the Markdown tables of docs/benchmarks.md.

.venv/bin/python bench/tables.py var/bench/results.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ORDER = ("bare", "country", "api", "metric", "overview", "datasette")


def _number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _measures(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {measure["name"]: measure for measure in run["measures"]}


def latency_table(runs: list[dict[str, Any]]) -> list[str]:
    """Return the table of requests/s and latency per database, size and path."""
    lines = [
        "| database | figures | path | req/s | p50 ms | p99 ms | first request ms |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        measures = _measures(run)
        for name in ORDER:
            if (measure := measures.get(name)) is None:
                continue
            path = measure["path"] if name != "datasette" else "Datasette, same query"
            lines.append(
                f"| {run['database']} | {run['figures']:,} | {name} `{path}` "
                f"| {_number(measure['requests_per_second'])} | {_number(measure['p50_ms'], 1)} "
                f"| {_number(measure['p99_ms'], 1)} | {_number(measure.get('first_ms'))} |"
            )
    return lines


def ratio_table(runs: list[dict[str, Any]]) -> list[str]:
    """Return the table of ratios measured within each run, with the export and memory figures."""
    lines = [
        "| database | figures | country / bare | overview / bare | API / Datasette "
        "| CSV first build rows/s | CSV cached rows/s | export peak MiB (one process) "
        "| peak MiB (all processes) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        measures = _measures(run)

        def rate(name: str, measures: dict[str, dict[str, Any]] = measures) -> float | None:
            measure = measures.get(name)
            return measure["requests_per_second"] if measure else None

        def ratio(top: str, bottom: str) -> str:
            high, low = rate(top), rate(bottom)
            return "–" if high is None or not low else f"{high / low:.2f}"

        export = run.get("export") or {}
        memory = run.get("memory_mib") or {}
        lines.append(
            f"| {run['database']} | {run['figures']:,} | {ratio('country', 'bare')} "
            f"| {ratio('overview', 'bare')} | {ratio('api', 'datasette')} "
            f"| {_number(export.get('first_rows_per_second'))} "
            f"| {_number(export.get('cached_rows_per_second'))} "
            f"| {_number(memory.get('export_peak_process'))} | {_number(memory.get('peak_total'))} |"
        )
    return lines


def main(argv: list[str]) -> int:
    """Print both tables for the JSON-lines file named."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    runs = [json.loads(line) for line in Path(argv[0]).read_text().splitlines() if line.strip()]
    print("\n".join([*latency_table(runs), "", *ratio_table(runs)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
