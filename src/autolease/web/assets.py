"""Static files at `/static/`: versioned URLs (`?v=` a hash of the file) cached for a year."""

from __future__ import annotations

import hashlib
from importlib import resources

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_PREFIX = "/static"
LONG_CACHE = "public, max-age=31536000, immutable"


class VersionedStatic(StaticFiles):
    """Files of `autolease.web/static` (and surfaces' `static/`); a request carrying `v=`
    is cached for a year, since that URL changes with the file's content."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            versioned = b"v=" in scope.get("query_string", b"")
            response.headers["Cache-Control"] = LONG_CACHE if versioned else "no-cache"
            response.headers["X-Content-Type-Options"] = "nosniff"
        return response


class AssetUrls:
    """`url("css/base.css")` → `/static/css/base.css?v=<12 hex of its sha256>`."""

    def __init__(self, packages: tuple[str, ...]) -> None:
        self.packages = packages
        self._cache: dict[str, str] = {}

    def url(self, path: str) -> str:
        cached = self._cache.get(path)
        if cached is None:
            cached = f"{STATIC_PREFIX}/{path}?v={self._digest(path)}"
            self._cache[path] = cached
        return cached

    def _digest(self, path: str) -> str:
        for package in self.packages:
            file = resources.files(package).joinpath("static", *path.split("/"))
            if file.is_file():
                return hashlib.sha256(file.read_bytes()).hexdigest()[:12]
        raise LookupError(f"no static file {path!r}")


VENDOR = {
    "htmx": "vendor/htmx.org/2.0.11/htmx.min.js",
    "echarts": "vendor/echarts/6.1.0/echarts.min.js",
    "cytoscape": "vendor/cytoscape/3.35.0/cytoscape.min.js",
    "swagger_js": "vendor/swagger-ui-dist/5.36.0/swagger-ui-bundle.js",
    "swagger_css": "vendor/swagger-ui-dist/5.36.0/swagger-ui.css",
    "swagger_favicon": "vendor/swagger-ui-dist/5.36.0/favicon-32x32.png",
}
"""Paths (for `static_url`) of the vendored libraries; a test keeps them in step with
VENDOR.toml."""
