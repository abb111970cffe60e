"""The interactive API documentation, served with its Swagger UI assets from this server."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.domain.exports import EXPORT_COLUMNS
from app.web import links
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


@router.get(links.API_DOCS, name="api_docs")
def api_docs(request: Request) -> Response:
    """The API documentation: what the data is, how to filter and download it, and Swagger UI."""
    return render(
        request,
        "api_docs.html",
        {
            "openapi_url": links.OPENAPI,
            "api_prefix": links.API_PREFIX,
            "export_columns": EXPORT_COLUMNS,
            "assets": f"{links.API_DOCS}/assets",
        },
    )


@router.get(links.API_DOCS + "/assets/{name}", name="api_docs_asset")
def api_docs_asset(name: str) -> FileResponse:
    """One of Swagger UI's files, from the installed package."""
    media_type = SWAGGER_UI_FILES.get(name)
    if media_type is None:
        raise HTTPException(404, f"No documentation asset called {name[:40]!r}.")
    return FileResponse(
        SWAGGER_UI_DIR / name, media_type=media_type, headers={"Cache-Control": ASSET_CACHE}
    )
