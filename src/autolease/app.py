"""`create_app(settings)` builds the FastAPI application; nothing is built at import."""

from __future__ import annotations

import gc
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from autolease import __version__, errors, openapi
from autolease.api import ROUTERS, SURFACES, carries_documents, carries_samples
from autolease.config import ApiSettings, Settings, get_settings
from autolease.cors import SpCors
from autolease.request_guard import RequestGuard, RouteTable
from autolease.runtime import Runtime, build_runtime
from autolease.web import setup as web_setup

access_log = logging.getLogger("autolease.access")
_TOKEN = re.compile(r"[A-Za-z0-9._-]+")


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    the_runtime = runtime or build_runtime(settings or get_settings())
    app = FastAPI(
        title="autolease",
        version=__version__,
        description="Origination and risk control for used-car financial leasing.",
        lifespan=_lifespan,
        docs_url=None,  # served by `web.router` from the vendored Swagger UI (no CDN)
        redoc_url=None,
    )
    app.state.runtime = the_runtime
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    web_setup.install(app, the_runtime, SURFACES)  # pages: /console/, /static/, /docs

    @app.get("/health", tags=["ops"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__, "database": the_runtime.engine.dialect.name}

    app.add_middleware(
        RequestGuard,
        table=route_table(
            app, the_runtime.settings.api, the_runtime.settings.documents.max_body_bytes
        ),
    )
    app.add_middleware(SpCors, runtime=the_runtime)  # outside the guard: preflights first
    app.add_middleware(AccessLog)
    openapi.install(app)
    return app


def route_table(
    app: FastAPI, settings: ApiSettings, document_body_bytes: int | None = None
) -> RouteTable:
    def limit_of(method: str, path: str) -> int:
        if carries_samples(method, path):
            return settings.max_sample_body_bytes
        if document_body_bytes is not None and carries_documents(method, path):
            return document_body_bytes
        return settings.max_body_bytes

    return RouteTable.of(app.routes, limit_of)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    if app.state.runtime.settings.api.freeze_startup_heap:
        freeze_startup_heap()
    yield


def freeze_startup_heap() -> None:
    """Move everything alive at start-up (models, catalogues, provider tables: it lives as long
    as the process) to the collector's permanent generation, so that a full collection in a
    request no longer walks it — such collections were pauses of up to hundreds of ms."""
    gc.collect()
    gc.freeze()


class AccessLog:
    """One line per request: no bodies, no query strings, no headers (they carry secrets).

    Plain ASGI: `app.middleware("http")` would wrap every request in an extra task and copy
    the response through a stream. A caller's ``X-Request-ID`` is echoed only when it is a
    short token; otherwise a fresh one is made.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(Headers(scope=scope).get("x-request-id"))
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("X-Request-ID", request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            access_log.info(
                "%s %s %s %.1fms rid=%s",
                scope["method"],
                scope["path"],
                status,
                elapsed_ms,
                request_id,
            )


def _request_id(given: str | None) -> str:
    if given and len(given) <= 64 and _TOKEN.fullmatch(given):
        return given
    return uuid.uuid4().hex[:16]
