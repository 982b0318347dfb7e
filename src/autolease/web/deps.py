"""FastAPI dependencies of the pages: who is logged in, roles, CSRF.

Only the `autolease_session` cookie authenticates a page: `Authorization` and `X-Api-Key`
are never read here, so an SP API key or a staff token opens no page.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData

from autolease.auth.principal import Role
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.web import csrf, sessions
from autolease.web.errors import LoginRequired, PageError
from autolease.web.sessions import WebPrincipal
from autolease.web.templates import ui_of

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def get_web_principal(request: Request, session: SessionDep, runtime: RuntimeDep) -> WebPrincipal:
    """The logged-in user of this page, allowed on its surface (else a 403 page).

    No live session: a plain GET is redirected (303) to the surface's login page with
    `?next=`; an HTMX request or a POST gets a 401 (HTMX: with `HX-Redirect`).
    """
    ui = ui_of(request)
    idle = timedelta(minutes=ui.settings.idle_minutes)
    found = sessions.resolve(
        session, request.cookies.get(sessions.COOKIE_NAME), runtime.clock.now(), idle
    )
    if found is None:
        raise LoginRequired()
    surface = ui.surface_of(request.url.path)
    if surface is not None and found.role not in surface.roles:
        raise PageError(403, "surface_not_allowed", "this account cannot open these pages")
    request.state.web_principal = found
    return found


WebPrincipalDep = Annotated[WebPrincipal, Depends(get_web_principal)]


def require_web_roles(
    *roles: Role,
) -> Callable[[WebPrincipal], Coroutine[Any, Any, WebPrincipal]]:
    """A dependency that lets only these roles through (else a 403 page)."""
    allowed = frozenset(roles)

    async def check(principal: WebPrincipalDep) -> WebPrincipal:
        if principal.role not in allowed:
            raise PageError(403, "role_not_allowed", "your role may not open this page")
        return principal

    return check


async def read_form(request: Request) -> FormData | None:
    """The request's form (cached by Starlette for the endpoint), None when it sends none;
    a broken form is a 400 page."""
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        return None
    try:
        return await request.form()
    except Exception as exc:  # multipart errors and bad encodings
        raise PageError(400, "bad_form", "the form could not be read") from exc


async def check_csrf(request: Request, principal: WebPrincipalDep) -> WebPrincipal:
    """On POST/PUT/PATCH/DELETE, the `csrf_token` form field or the `X-CSRF-Token` header
    must equal the session's token (constant time), else a 403."""
    if request.method in UNSAFE_METHODS:
        given = request.headers.get(sessions.CSRF_HEADER)
        if given is None:
            form = await read_form(request)
            value = form.get(sessions.CSRF_FIELD) if form is not None else None
            given = value if isinstance(value, str) else None
        if not csrf.tokens_match(given, principal.csrf_token):
            raise PageError(403, "csrf_failed", "the form's security token is missing or stale")
    return principal


CsrfDep = Annotated[WebPrincipal, Depends(check_csrf)]
