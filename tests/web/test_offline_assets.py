"""Pages work with no internet: nothing the templates or the static files load comes from another
host (Plotly's bundle included: its CDN, cloud and logo addresses are rewritten when vendored)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT
from app.web.http.vendored import made_offline, other_hosts

STATIC = PROJECT_ROOT / "static"
LOADED_FROM_ELSEWHERE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*"
    r"\b(?:src|href|data|srcset)\s*=\s*[\"']?(?:https?:)?//",
    re.IGNORECASE,
)
CSS_IMPORT_ELSEWHERE = re.compile(r"(?:url\(|@import)\s*[\"']?(?:https?:)?//", re.IGNORECASE)


def _static_texts() -> list[Path]:
    return sorted(
        path for path in STATIC.rglob("*") if path.suffix in {".js", ".css", ".html", ".svg"}
    )


@pytest.mark.parametrize("path", _static_texts(), ids=lambda path: str(path.relative_to(STATIC)))
def test_no_static_file_names_another_host(path: Path) -> None:
    assert other_hosts(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "path",
    sorted((PROJECT_ROOT / "templates").glob("*.html")),
    ids=lambda path: path.name,
)
def test_no_template_loads_anything_from_another_host(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert LOADED_FROM_ELSEWHERE.findall(text) == []
    assert CSS_IMPORT_ELSEWHERE.findall(text) == []


def test_vendoring_rewrites_plotly_addresses_and_refuses_unknown_ones() -> None:
    bundle = 'topojsonURL:{dflt:"https://cdn.plot.ly/un/"};ns="http://www.w3.org/2000/svg"'
    assert (
        made_offline(bundle) == 'topojsonURL:{dflt:"/static/geo/"};ns="http://www.w3.org/2000/svg"'
    )
    with pytest.raises(ValueError, match=re.escape("https://tracker.example")):
        made_offline('fetch("https://tracker.example/x")')
