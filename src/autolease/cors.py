"""CORS for the SPs' web pages: an allow-list of origins, per SP in the store plus settings.

The device collector (`GET /v1/device/collector.js`, `POST /v1/device/fingerprints`) and the
API are called from pages the SPs host, on their own origins. A request whose ``Origin`` is
allowed — `api.cors_origins` in settings, or any SP's list (`PUT /v1/sps/{code}/origins`,
`autolease sp set-origins`) — gets ``Access-Control-Allow-Origin`` naming it; a preflight
(``OPTIONS`` with ``Access-Control-Request-Method``) is answered here, 204 for an allowed
origin and 403 ``origin_not_allowed`` otherwise, before the routes (which have no OPTIONS).

Plain ASGI rather than Starlette's CORSMiddleware: that one takes a fixed list or a regex,
and the list here lives in the store and changes without a restart. No cookies are used
(credentials are headers), so ``Access-Control-Allow-Credentials`` is never sent.
"""

from __future__ import annotations

from anyio import to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from autolease.dealer import repository
from autolease.dealer.origins import OriginInvalid, canonical_origin
from autolease.exceptions import Forbidden
from autolease.runtime import Runtime

ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE"
ALLOW_HEADERS = "authorization, content-type, idempotency-key, x-api-key, x-request-id"
MAX_AGE_S = "600"


class OriginNotAllowed(Forbidden):
    code = "origin_not_allowed"


class SpCors:
    def __init__(self, app: ASGIApp, *, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime
        self.configured = frozenset(runtime.settings.api.cors_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        origin = headers.get("origin") if headers is not None else None
        if headers is None or origin is None:
            await self.app(scope, receive, send)
            return
        allowed = await self._allowed(origin)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await _preflight(origin, allowed)(scope, receive, send)
        elif allowed:
            await self.app(scope, receive, _with_allow_origin(send, origin))
        else:
            await self.app(scope, receive, send)

    async def _allowed(self, origin: str) -> bool:
        try:
            canonical = canonical_origin(origin)
        except OriginInvalid:
            return False
        if canonical in self.configured:
            return True
        return await to_thread.run_sync(self._stored, canonical)

    def _stored(self, origin: str) -> bool:
        with self.runtime.sessions() as session:
            return repository.origin_allowed(session, origin)


def _preflight(origin: str, allowed: bool) -> Response:
    if not allowed:
        refused = OriginNotAllowed(f"the origin {origin!r} is not on any SP's allow-list")
        return JSONResponse(refused.to_body(), status_code=refused.status_code)
    return Response(
        status_code=204,
        headers={
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": ALLOW_METHODS,
            "Access-Control-Allow-Headers": ALLOW_HEADERS,
            "Access-Control-Max-Age": MAX_AGE_S,
            "Vary": "Origin",
        },
    )


def _with_allow_origin(send: Send, origin: str) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers["Access-Control-Allow-Origin"] = origin
            headers.add_vary_header("Origin")
        await send(message)

    return sending
