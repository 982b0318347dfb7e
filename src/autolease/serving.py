"""How the API is served by uvicorn, the same for `autolease serve` and the demo's server."""

from __future__ import annotations

import uvicorn
from starlette.types import ASGIApp


def uvicorn_config(app: ASGIApp, *, host: str, port: int, log_level: str) -> uvicorn.Config:
    """uvicorn's own access log stays off: it prints every query string, and a query may carry
    a cursor, a token or personal data. `app.AccessLog` writes one path-only line instead."""
    return uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False)


def serve(app: ASGIApp, *, host: str, port: int) -> None:
    uvicorn.Server(uvicorn_config(app, host=host, port=port, log_level="info")).run()
