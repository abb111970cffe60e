"""Print what pages weigh as sent: their HTML's bytes, gzipped (level 6, as the server keeps them)
and not, and how many marks their charts draw. Usage (one database, any paths):

    DATABASE_URL=sqlite:///var/bench/synthetic-1000000-seed1.sqlite3 \\
        .venv/bin/python bench/page_weight.py /countries/NPL /
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.main import create_app
from app.settings import Settings

CHART_DATA = re.compile(
    r'<script type="application/json" data-chart-for="[^"]+">(.*?)</script>', re.S
)


def _marks(page: str) -> int:
    """Return how many markers the page's charts carry (a range's or a bin's two ends count two)."""
    found = 0
    for block in CHART_DATA.findall(page):
        for trace in json.loads(block)["data"]:
            if trace.get("mode") == "markers":
                found += sum(1 for x in trace.get("x", []) if x is not None)
    return found


@dataclass
class PageWeight:
    """What one page weighs as sent: its HTML's bytes, gzipped and not, and its chart markers."""

    path: str
    status: int
    raw_bytes: int
    gzipped_bytes: int
    chart_markers: int


def weigh(client: TestClient, path: str) -> PageWeight:
    """Request the page from the application and return what it weighs."""
    response = client.get(path)
    body = response.content
    return PageWeight(
        path, response.status_code, len(body), len(gzip.compress(body, 6)), _marks(response.text)
    )


def weigh_pages(paths: list[str], settings: Settings | None = None) -> list[PageWeight]:
    """Return what each page weighs, served by the application for these settings."""
    with TestClient(create_app(settings)) as client:
        return [weigh(client, path) for path in paths]


def main(paths: list[str]) -> None:
    """Print one line per path: raw bytes, gzipped bytes, chart markers."""
    for page in weigh_pages(paths):
        print(
            f"{page.path}\tstatus {page.status}\t{page.raw_bytes:,} bytes"
            f"\t{page.gzipped_bytes:,} gzipped\t{page.chart_markers:,} chart markers"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["/countries/NPL"])
