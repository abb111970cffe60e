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
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.main import create_app

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


def main(paths: list[str]) -> None:
    """Print one line per path: raw bytes, gzipped bytes, chart markers."""
    with TestClient(create_app()) as client:
        for path in paths:
            response = client.get(path)
            body = response.content
            print(
                f"{path}\tstatus {response.status_code}\t{len(body):,} bytes"
                f"\t{len(gzip.compress(body, 6)):,} gzipped\t{_marks(response.text):,} chart markers"
            )


if __name__ == "__main__":
    main(sys.argv[1:] or ["/countries/NPL"])
