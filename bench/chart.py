"""Draw the load benchmark's requests/s as an SVG bar chart from its JSON-lines results.

.venv/bin/python bench/chart.py var/bench/results.jsonl docs/benchmarks.svg
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path

NAMES = ("bare", "overview", "country", "metric", "api", "datasette")
COLOURS = {
    "bare": "#9e9e9e",
    "overview": "#1f77b4",
    "country": "#2ca02c",
    "metric": "#9467bd",
    "api": "#ff7f0e",
    "datasette": "#d62728",
}
BAR = 14
GAP = 18
LEFT = 190
WIDTH = 900


TITLE = "Requests per second at 32 connections (higher is better); p99 latency beside each bar"


def chart(runs: list[dict[str, object]], title: str = TITLE) -> str:
    """Return the SVG text: one group of bars (requests/s per path) for each database and size."""
    peak = max(
        (float(m["requests_per_second"]) for run in runs for m in run["measures"]),  # type: ignore[attr-defined]
        default=1.0,
    )
    scale = (WIDTH - LEFT - 90) / peak
    rows: list[str] = []
    y = 40
    for run in runs:
        heading = f"{run['database']}, {int(run['figures']):,} figures"  # type: ignore[call-overload]
        rows.append(f'<text x="10" y="{y + 10}" font-weight="bold">{escape(heading)}</text>')
        y += 18
        measures = {m["name"]: m for m in run["measures"]}  # type: ignore[attr-defined]
        for name in NAMES:
            if name not in measures:
                continue
            rate = float(measures[name]["requests_per_second"])
            p99 = float(measures[name]["p99_ms"])
            width = max(rate * scale, 1)
            rows.append(f'<text x="{LEFT - 8}" y="{y + 11}" text-anchor="end">{name}</text>')
            rows.append(
                f'<rect x="{LEFT}" y="{y}" width="{width:.1f}" height="{BAR}"'
                f' fill="{COLOURS[name]}"><title>{name}: {rate:,.0f} requests/s,'
                f" p99 {p99:,.1f} ms</title></rect>"
            )
            rows.append(
                f'<text x="{LEFT + width + 6:.1f}" y="{y + 11}">{rate:,.0f}/s · p99 {p99:,.0f} ms</text>'
            )
            y += BAR + 4
        y += GAP
    height = y + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n'
        f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(title)}</text>\n'
        + "\n".join(rows)
        + "\n</svg>\n"
    )


def main() -> int:
    """Read the results file named first, write the SVG named second."""
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    runs = [json.loads(line) for line in source.read_text().splitlines() if line.strip()]
    target.write_text(chart(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
