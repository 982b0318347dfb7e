"""Routes every surface shares: the language toggle and `/docs` from the vendored Swagger UI.
Not in the OpenAPI document (`include_in_schema=False`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse, RedirectResponse

from autolease.web import i18n
from autolease.web.assets import VENDOR
from autolease.web.cookies import set_lang
from autolease.web.login import safe_next
from autolease.web.templates import ui_of

router = APIRouter(include_in_schema=False)


@router.get("/web/lang")
def toggle_language(
    request: Request,
    to: Annotated[str, Query(max_length=10)] = "zh_CN",
    next: Annotated[str, Query(max_length=500)] = "/console/",
) -> RedirectResponse:
    """Set the `lang` cookie and go back to a local page (`next`)."""
    response = RedirectResponse(safe_next(next, "/console/"), status_code=303)
    set_lang(request, response, i18n.normalise(to) or i18n.DEFAULT_LANG)
    return response


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI from the package's own copy of swagger-ui-dist (no CDN)."""
    assets = ui_of(request).assets
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/openapi.json",
        title=f"{request.app.title} – API docs",
        swagger_js_url=assets.url(VENDOR["swagger_js"]),
        swagger_css_url=assets.url(VENDOR["swagger_css"]),
        swagger_favicon_url=assets.url(VENDOR["swagger_favicon"]),
    )
