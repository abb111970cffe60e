"""The application factory: engine at startup, static files, routers, error pages, headers."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.db import make_engine, make_sessionmaker, writing
from app.secret_key import resolve_secret_key
from app.settings import Settings, load_settings
from app.web.api import docs as api_docs
from app.web.api import routes as api_routes
from app.web.deps import AppState, set_app_state
from app.web.downloads import routes as download_routes
from app.web.downloads.built_ahead import DownloadPrebuilder
from app.web.downloads.kept_files import remove_stray_parts
from app.web.http.security import (
    BodySizeLimitMiddleware,
    SecurityHeadersMiddleware,
    refuse_nul_in_address,
)
from app.web.http.sessions import SessionCookieMiddleware
from app.web.http.slow_readers import ReaderTimeoutMiddleware
from app.web.http.static_files import StaticUrls, load_static_assets
from app.web.http.static_files import router as static_router
from app.web.moderation import figures as moderation_figures
from app.web.moderation import login, submit
from app.web.moderation import rates as moderation_rates
from app.web.moderation import sources as moderation_sources
from app.web.pages import citing, coverage, embeds, feeds
from app.web.pages import routes as page_routes
from app.web.pages.page_cache import BodyCache, page_reads
from app.web.templating import make_templates, render


@cache  # once per process
def _freeze_startup_objects() -> None:
    """Move what exists once the first application starts out of the garbage collector's reach.

    Modules, the application and its templates live as long as the process. Frozen, they are not
    traversed again by every full collection, whose pauses otherwise set the latency of the
    slowest requests (docs/benchmarks.md). Done once per process, after collecting what is
    already garbage, so that nothing collectable is kept.
    """
    gc.collect()
    gc.freeze()


def _engines(settings: Settings) -> tuple[Engine, Engine]:
    """Return the engines of the primary database and of the one public reads use (the replica
    when DATABASE_REPLICA_URL names one, else the primary's own)."""
    prepared = settings.database_prepared_statements
    engine = make_engine(settings.database_url, settings.sql_echo, prepared_statements=prepared)
    if not settings.database_replica_url:
        return engine, engine
    replica = settings.database_replica_url
    return engine, make_engine(replica, settings.sql_echo, prepared_statements=prepared)


def _reachability(engine: Engine) -> str:
    """Return "ok" when the database answers a statement, else "unreachable"."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return "unreachable"
    return "ok"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return the dashboard application for these settings (read from the environment if None)."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _freeze_startup_objects()
        if settings.export_cache_dir:
            remove_stray_parts(Path(settings.export_cache_dir))
        prebuilder = None
        if settings.export_prebuild_seconds > 0 and settings.export_cache_dir:
            prebuilder = DownloadPrebuilder(read_engine, settings, settings.export_prebuild_seconds)
            prebuilder.start()
        yield
        if prebuilder is not None:
            prebuilder.stop()
        engine.dispose()
        read_engine.dispose()

    app = FastAPI(
        title="Foreign recruits in Russia's army: sourced estimates",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # No redirect from /path/ to /path: Starlette builds it from the Host header it is sent.
        redirect_slashes=False,
        dependencies=[Depends(refuse_nul_in_address)],
    )
    engine, read_engine = _engines(settings)
    sessions = make_sessionmaker(read_engine)
    static_assets = load_static_assets()
    set_app_state(
        app,
        AppState(
            settings=settings,
            engine=engine,
            read_engine=read_engine,
            sessions=sessions,
            primary_sessions=make_sessionmaker(engine),
            write_sessions=make_sessionmaker(writing(engine)),
            templates=make_templates(StaticUrls(static_assets)),
            static_assets=static_assets,
            body_cache=BodyCache(settings.page_cache_bytes, settings.page_cache_entries),
            # The version a kept page is checked against comes from the database it is read from.
            page_reads=page_reads(read_engine),
            secret_key=resolve_secret_key(settings),
        ),
    )

    served_over_https = settings.public_base_url.lower().startswith("https://")
    app.add_middleware(
        ReaderTimeoutMiddleware, prefix="/export/", seconds=settings.export_reader_timeout_seconds
    )
    app.add_middleware(SessionCookieMiddleware, always_secure=served_over_https)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware, strict_transport=served_over_https)
    if settings.forwarded_allow_ips.strip():
        # Outermost, so that every other part sees the client and scheme the proxy forwarded.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)

    app.include_router(static_router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        report = {"database": _reachability(engine)}
        if read_engine is not engine:
            report["replica"] = _reachability(read_engine)
        healthy = all(state == "ok" for state in report.values())
        return JSONResponse(
            {"status": "ok" if healthy else "error", **report}, status_code=200 if healthy else 503
        )

    app.include_router(page_routes.router)
    app.include_router(citing.router)
    app.include_router(embeds.router)
    app.include_router(coverage.router)
    app.include_router(feeds.router)
    app.include_router(submit.router)
    app.include_router(login.router)
    app.include_router(moderation_figures.router)
    app.include_router(moderation_sources.router)
    app.include_router(moderation_rates.router)
    app.include_router(api_routes.router)
    app.include_router(download_routes.router)
    app.include_router(api_docs.router)

    @app.exception_handler(HTTPException)
    async def html_errors(request: Request, error: HTTPException) -> Response:
        wants_html = "text/html" in request.headers.get(
            "accept", ""
        ) or not request.url.path.startswith(("/api/", "/export/", "/static/", "/healthz"))
        if 300 <= error.status_code < 400 and error.headers:
            return RedirectResponse(error.headers["Location"], status_code=error.status_code)
        if error.status_code >= 400 and wants_html:
            return render(
                request,
                "error.html",
                {"status_code": error.status_code, "message": error.detail},
                status_code=error.status_code,
            )
        return await http_exception_handler(request, error)

    @app.exception_handler(OperationalError)
    async def database_unavailable(request: Request, error: OperationalError) -> Response:
        return PlainTextResponse(
            "The database is not available at the moment. Nothing was changed; try again shortly.\n",
            status_code=503,
            headers={"Retry-After": "5"},
        )

    return app
