"""Static files: versioned addresses, brotli and gzip by Accept-Encoding, a year's cache only for
the current version, the partial Plotly bundle, and committed compressed siblings that are fresh."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest
from fastapi.testclient import TestClient

from app.web.http.static_files import (
    IMMUTABLE,
    STATIC_DIRECTORY,
    accepted_encodings,
    lacking_precompressed,
    load_static_assets,
    precompress_large_files,
)

BUNDLE = "vendor/plotly-geo.min.js"
VERSIONED = re.compile(r'(/static/[\w./-]+)\?v=([0-9a-f]{12})"')


def raw_get(client: TestClient, url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Return the status, headers and body exactly as sent (not decoded by the client)."""
    with client.stream("GET", url, headers=headers) as response:
        return response.status_code, dict(response.headers), b"".join(response.iter_raw())


def versioned_addresses(client: TestClient, page: str) -> dict[str, str]:
    """Return the static addresses a page names, each with the version it names."""
    return dict(VERSIONED.findall(client.get(page).text))


def test_pages_name_static_files_by_content_version(client: TestClient) -> None:
    """The country page loads the partial Plotly bundle, the chart script and the style sheet by
    addresses carrying their content hash; the overview hands the map its versioned geometry."""
    addresses = versioned_addresses(client, "/countries/NPL")
    assets = load_static_assets()
    for name in (BUNDLE, "js/charts.js", "css/site.css", "favicon.svg"):
        assert addresses[f"/static/{name}"] == assets[name].version
    assert "/static/vendor/plotly.min.js" not in client.get("/countries/NPL").text
    overview = client.get("/").text
    assert (
        f'data-topojson="/static/geo/world_110m.json?v={assets["geo/world_110m.json"].version}"'
        in (overview)
    )


def test_the_bundle_is_plotly_geo_only(client: TestClient) -> None:
    """What is served is the geo partial bundle (scatter, choropleth, scattergeo), not the full one."""
    body = client.get(f"/static/{BUNDLE}").text
    assert "plotly.js (geo - minified)" in body[:200]
    assert len(body) < 2_000_000


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("*", "br"),
        ("identity", None),
        ("", None),
    ],
)
def test_compressed_forms_by_accept_encoding(
    client: TestClient, accept: str, encoding: str | None
) -> None:
    """The brotli or gzip form is sent when accepted, decompressing to the file's exact bytes."""
    original = (STATIC_DIRECTORY / BUNDLE).read_bytes()
    status, headers, body = raw_get(client, f"/static/{BUNDLE}", **{"Accept-Encoding": accept})
    assert status == 200
    assert headers["vary"] == "Accept-Encoding"
    assert headers["content-type"].startswith("text/javascript")
    assert headers.get("content-encoding") == encoding
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](body)
    assert decoded == original
    if encoding == "br":
        assert len(body) < len(original) / 3


def test_a_year_of_cache_only_for_the_current_version(client: TestClient) -> None:
    """The versioned address may be kept a year; the bare one or an old version is revalidated,
    and a revalidation of the same representation answers 304."""
    version = load_static_assets()["css/site.css"].version
    _, current, _ = raw_get(
        client, f"/static/css/site.css?v={version}", **{"Accept-Encoding": "br"}
    )
    assert current["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert current["content-encoding"] == "br"
    for address in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        _, headers, _ = raw_get(client, address)
        assert headers["cache-control"] == "no-cache"
    status, headers, body = raw_get(
        client,
        "/static/css/site.css",
        **{"Accept-Encoding": "br", "If-None-Match": current["etag"]},
    )
    assert (status, body) == (304, b"")
    status, _, _ = raw_get(
        client,
        "/static/css/site.css",
        **{"Accept-Encoding": "gzip", "If-None-Match": current["etag"]},
    )
    assert status == 200


@pytest.mark.parametrize(
    "address",
    ["/static/nothing.js", "/static/../app/main.py", "/static/vendor/plotly-geo.min.js.br"],
)
def test_only_the_static_files_are_served(client: TestClient, address: str) -> None:
    assert client.get(address).status_code == 404


def test_accepted_encodings_drop_refused_codings() -> None:
    assert accepted_encodings("gzip;q=0, br; q=1.0 , deflate;q=bad") == {"br"}
    assert accepted_encodings(None) == set()


def test_committed_compressed_siblings_are_fresh() -> None:
    """Every large static file has .br and .gz siblings holding its current bytes: run
    `make static-assets` after changing one."""
    assert lacking_precompressed() == []


def test_a_stale_sibling_is_ignored(tmp_path: Path) -> None:
    """A sibling left from an older version of its file is never served: the file is compressed
    afresh, and the build step writes new siblings."""
    script = tmp_path / "big.js"
    script.write_bytes(b"var answer = 42;\n" * 5000)
    (tmp_path / "big.js.br").write_bytes(brotli.compress(b"var answer = 41;\n" * 5000))
    (tmp_path / "big.js.gz").write_bytes(gzip.compress(b"var answer = 41;\n" * 5000))
    asset = load_static_assets(tmp_path)["big.js"]
    assert brotli.decompress(asset.bodies["br"]) == script.read_bytes()
    assert gzip.decompress(asset.bodies["gzip"]) == script.read_bytes()
    assert lacking_precompressed(tmp_path) == [script]
    assert sorted(path.name for path in precompress_large_files(tmp_path)) == [
        "big.js.br",
        "big.js.gz",
    ]
    assert lacking_precompressed(tmp_path) == []
    assert brotli.decompress((tmp_path / "big.js.br").read_bytes()) == script.read_bytes()
