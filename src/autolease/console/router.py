"""The console's shell: login, logout and the home page with its menu by role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from autolease.auth.principal import STAFF_WIDE_ROLES, Role
from autolease.console_admin.router import PART as ADMIN_PAGES
from autolease.console_analyst.router import PART as ANALYST_PAGES
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.web import cookies
from autolease.web.deps import CsrfDep, WebPrincipalDep, require_web_roles
from autolease.web.login import log_in, log_out, login_csrf_ok, login_form_tokens, safe_next
from autolease.web.sessions import WebPrincipal
from autolease.web.surface import Surface
from autolease.web.templates import render

PREFIX = "/console"
HOME = PREFIX + "/"
router = APIRouter(prefix=PREFIX, include_in_schema=False)

Username = Annotated[str, Form(min_length=1, max_length=64)]
Password = Annotated[str, Form(min_length=1, max_length=200)]
CsrfField = Annotated[str, Form(max_length=100)]
NextField = Annotated[str, Form(max_length=500)]
AdminPage = Annotated[WebPrincipal, Depends(require_web_roles(Role.ADMIN))]


def _login_page(
    request: Request, *, next_path: str, error: str | None = None, status: int = 200
) -> Response:
    token, cookie_value = login_form_tokens(request)
    context = {"csrf_token": token, "next": next_path, "error": error}
    response = render(request, "console/login.html", context, status=status)
    cookies.set_login_csrf(request, response, cookie_value)
    return response


@router.get("/login")
def login_form(
    request: Request,
    next: Annotated[str, Query(max_length=500)] = HOME,
) -> Response:
    return _login_page(request, next_path=safe_next(next, HOME))


@router.post("/login")
def login_submit(
    request: Request,
    runtime: RuntimeDep,
    username: Username,
    password: Password,
    csrf_token: CsrfField = "",
    next: NextField = HOME,
) -> Response:
    target = safe_next(next, HOME)
    if not target.startswith(PREFIX):
        target = HOME
    if not login_csrf_ok(request, csrf_token):
        return _login_page(request, next_path=target, error="csrf", status=403)
    outcome = log_in(request, runtime, SURFACE, username=username, password=password)
    if outcome.cookie_value is None:
        return _login_page(request, next_path=target, error=outcome.error, status=outcome.status)
    response = RedirectResponse(target, status_code=303)
    cookies.set_session(request, response, outcome.cookie_value)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, runtime: RuntimeDep, _: CsrfDep) -> Response:
    log_out(session, request, runtime, SURFACE)
    response = RedirectResponse(PREFIX + "/login", status_code=303)
    cookies.clear_session(request, response)
    return response


@router.get("/")
def home(request: Request, principal: WebPrincipalDep) -> Response:
    return render(request, "console/home.html", {"role": principal.role.value})


@router.get("/admin/")
def admin_home(request: Request, _: AdminPage) -> Response:
    """The admin's index (the SP, user, API-key and audit pages are to come)."""
    return render(request, "console/admin.html")


SURFACE = Surface(
    name="console",
    package="autolease.console",
    prefix=PREFIX,
    login_path=PREFIX + "/login",
    roles=STAFF_WIDE_ROLES,
    router=router,
    parts=(ANALYST_PAGES, ADMIN_PAGES),
)
