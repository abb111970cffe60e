"""The dashboard as the load benchmark serves it: the application plus /bench/bare, which answers
without doing any work, so that the benchmark can measure the server's own ceiling beside the pages.
It exists only here: the application that users reach has no such route."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from app.main import create_app


def create_bench_app() -> FastAPI:
    """Return the application with the benchmark's bare route added."""
    app = create_app()

    @app.get("/bench/bare", include_in_schema=False)
    async def bare() -> PlainTextResponse:
        """Answer without any work: the server's own ceiling for load tests."""
        return PlainTextResponse("ok\n")

    return app
