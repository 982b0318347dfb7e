"""`install(app, runtime, surfaces)`: the pages' shared parts, added to an application."""

from __future__ import annotations

from fastapi import FastAPI

from autolease.runtime import Runtime
from autolease.web import csrf, errors
from autolease.web.assets import STATIC_PREFIX, AssetUrls, VersionedStatic
from autolease.web.i18n import Catalogues
from autolease.web.router import router as web_router
from autolease.web.surface import Surface
from autolease.web.templates import WebUi, build_environment


def install(app: FastAPI, runtime: Runtime, surfaces: tuple[Surface, ...]) -> WebUi:
    """Templates, catalogues, `/static/`, the page error handlers, the shared routes and each
    surface's router. Call after `autolease.errors.install(app)`."""
    packages = ("autolease.web", *(s.package for s in surfaces if s.has_static))
    ui = WebUi(
        env=build_environment(surfaces),
        catalogues=Catalogues.load(p for s in surfaces for p in s.packages),
        assets=AssetUrls(packages),
        surfaces=surfaces,
        settings=runtime.settings.web,
        login_csrf_key=csrf.login_key(runtime.audit_key),
    )
    app.state.web = ui
    errors.install(app)
    app.include_router(web_router)
    for surface in surfaces:
        app.include_router(surface.router, include_in_schema=False)
        for part in surface.parts:
            app.include_router(part.router, include_in_schema=False)
    static = VersionedStatic(packages=[(p, "static") for p in packages])
    app.mount(STATIC_PREFIX, static, name="static")
    return ui
