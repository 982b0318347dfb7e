"""`create_app(settings)` builds the FastAPI application; nothing is built at import."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from autolease import __version__, errors
from autolease.api import ROUTERS
from autolease.config import Settings, get_settings
from autolease.runtime import Runtime, build_runtime

access_log = logging.getLogger("autolease.access")


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    the_runtime = runtime or build_runtime(settings or get_settings())
    app = FastAPI(
        title="autolease",
        version=__version__,
        description="Origination and risk control for used-car financial leasing.",
    )
    app.state.runtime = the_runtime
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/health", tags=["ops"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__, "database": the_runtime.engine.dialect.name}

    app.middleware("http")(_access_log)
    return app


async def _access_log(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """One line per request: no bodies, no query strings, no headers (they carry secrets)."""
    request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
    started = time.perf_counter()
    response = await call_next(request)
    elapsed_ms = (time.perf_counter() - started) * 1000
    response.headers["X-Request-ID"] = request_id
    access_log.info(
        "%s %s %s %.1fms rid=%s",
        request.method,
        request.url.path,
        response.status_code,
        elapsed_ms,
        request_id,
    )
    return response
