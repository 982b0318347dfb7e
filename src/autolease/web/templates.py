"""One Jinja2 environment for every surface, and `render()`.

Templates are named with their surface's prefix: `web/base.html` (the shared layout),
`console/home.html` (from `autolease/console/templates/home.html`), `h5/…`. Autoescape is on
for every template; an undefined variable is an error, not an empty string.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
)
from starlette.requests import Request
from starlette.responses import HTMLResponse

from autolease.web import i18n
from autolease.web.assets import VENDOR, AssetUrls
from autolease.web.settings import WebSettings
from autolease.web.surface import Surface


def build_environment(surfaces: tuple[Surface, ...]) -> Environment:
    loaders: dict[str, BaseLoader] = {"web": PackageLoader("autolease.web", "templates")}
    loaders |= {
        s.name: ChoiceLoader([PackageLoader(p, "templates") for p in s.packages]) for s in surfaces
    }
    return Environment(
        loader=PrefixLoader(loaders, delimiter="/"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class WebUi:
    """What the pages share in a process (`app.state.web`), built by `web.setup.install`."""

    env: Environment
    catalogues: i18n.Catalogues
    assets: AssetUrls
    surfaces: tuple[Surface, ...]
    settings: WebSettings
    login_csrf_key: bytes

    def surface_of(self, path: str) -> Surface | None:
        return next((s for s in self.surfaces if s.owns(path)), None)


def ui_of(request: Request) -> WebUi:
    ui: WebUi = request.app.state.web
    return ui


def lang_of(request: Request) -> str:
    """The page language of a request (the `lang` cookie, Accept-Language, the default)."""
    cached: str | None = getattr(request.state, "lang", None)
    if cached is None:
        cached = i18n.negotiate(
            request.cookies.get(i18n.LANG_COOKIE),
            request.headers.get("accept-language"),
            ui_of(request).settings.default_lang,
        )
        request.state.lang = cached
    return cached


def gettext_of(request: Request) -> Any:
    """The `gettext` of the request's language (for messages made in Python code)."""
    return ui_of(request).catalogues.get(lang_of(request)).gettext


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a template to an HTML response. Every template sees `request`, `principal`
    (the `WebPrincipal` or None), `csrf_token`, `lang`, `html_lang`, `_`, `gettext`,
    `ngettext`, `static_url(path)`, `vendor_url(name)` and `surface`; `context` adds to them
    (and may set `csrf_token`, as the login page does)."""
    ui = ui_of(request)
    lang = lang_of(request)
    translations = ui.catalogues.get(lang)
    principal = getattr(request.state, "web_principal", None)

    def gettext(message: str, **params: Any) -> str:
        text: str = translations.gettext(message)
        return text % params if params else text

    def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
        text: str = translations.ngettext(singular, plural, n)
        return text % {"num": n, **params}

    values: dict[str, Any] = {
        "request": request,
        "principal": principal,
        "csrf_token": principal.csrf_token if principal is not None else "",
        "lang": lang,
        "html_lang": i18n.HTML_LANG.get(lang, lang),
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
        "static_url": ui.assets.url,
        "vendor_url": lambda lib: ui.assets.url(VENDOR[lib]),
        "surface": ui.surface_of(request.url.path),
    }
    values.update(context or {})
    html = ui.env.get_template(name).render(values)
    response = HTMLResponse(html, status_code=status, headers=dict(headers or {}))
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
