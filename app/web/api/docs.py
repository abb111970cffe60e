"""The interactive API documentation, served with its Swagger UI assets from this server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import swagger_ui_bundle
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.domain.exports import EXPORT_COLUMNS
from app.web import urls
from app.web.templating import render

router = APIRouter(include_in_schema=False)
SWAGGER_UI_DIR = Path(str(swagger_ui_bundle.swagger_ui_path))
SWAGGER_UI_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-bundle.js.map": "application/json",
    "swagger-ui.css": "text/css",
    "swagger-ui.css.map": "application/json",
}
ASSET_CACHE = "public, max-age=86400"
DATA_OPENAPI = f"{urls.API_PREFIX}/openapi.json"
DATA_PATH_PREFIXES = (urls.API_PREFIX, "/export/")
DATA_SUMMARY = "Published figures, their sources and comparisons, as JSON and CSV."


def _references(node: Any) -> set[str]:
    """Return the names of the component schemas a piece of OpenAPI refers to."""
    if isinstance(node, dict):
        found = {str(value).rsplit("/", 1)[-1] for key, value in node.items() if key == "$ref"}
        for value in node.values():
            found |= _references(value)
        return found
    if isinstance(node, list):
        return set().union(*(_references(value) for value in node)) if node else set()
    return set()


def data_only(schema: dict[str, Any]) -> dict[str, Any]:
    """Return an OpenAPI description cut down to the data paths and the schemas they use."""
    paths = {
        path: item for path, item in schema["paths"].items() if path.startswith(DATA_PATH_PREFIXES)
    }
    available = schema.get("components", {}).get("schemas", {})
    wanted = _references(paths)
    pending = list(wanted)
    while pending:
        for name in _references(available.get(pending.pop(), {})) - wanted:
            wanted.add(name)
            pending.append(name)
    return {
        **schema,
        "info": {**schema["info"], "summary": DATA_SUMMARY},
        "paths": paths,
        "components": {"schemas": {name: available[name] for name in sorted(wanted)}},
    }


@router.get(urls.API_DOCS, name="api_docs")
def api_docs(request: Request) -> Response:
    """The API documentation: what the data is, how to filter and download it, and Swagger UI."""
    return render(
        request,
        "api_docs.html",
        {
            "openapi_url": urls.OPENAPI,
            "data_openapi_url": DATA_OPENAPI,
            "api_prefix": urls.API_PREFIX,
            "export_columns": EXPORT_COLUMNS,
            "assets": f"{urls.API_DOCS}/assets",
        },
    )


@router.get(urls.API_DOCS + "/assets/{name}", name="api_docs_asset")
def api_docs_asset(name: str) -> FileResponse:
    """One of Swagger UI's files, from the installed package."""
    media_type = SWAGGER_UI_FILES.get(name)
    if media_type is None:
        raise HTTPException(404, f"No documentation asset called {name[:40]!r}.")
    return FileResponse(
        SWAGGER_UI_DIR / name, media_type=media_type, headers={"Cache-Control": ASSET_CACHE}
    )


@router.get(DATA_OPENAPI, name="data_openapi")
def data_openapi_json(request: Request) -> JSONResponse:
    """The OpenAPI description of the API and the downloads (the whole site's is /openapi.json)."""
    return JSONResponse(data_only(request.app.openapi()))
