"""The console's shell: login, logout and the home page with its menu by role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from autolease.auth.principal import STAFF_WIDE_ROLES, Role
from autolease.console_admin.router import PART as ADMIN_PAGES
from autolease.console_analyst.router import PART as ANALYST_PAGES
from autolease.web.deps import WebPrincipalDep, require_web_roles
from autolease.web.login_routes import add_login_routes
from autolease.web.sessions import WebPrincipal
from autolease.web.surface import Surface
from autolease.web.templates import render

PREFIX = "/console"
router = APIRouter(prefix=PREFIX, include_in_schema=False)

AdminPage = Annotated[WebPrincipal, Depends(require_web_roles(Role.ADMIN))]

SURFACE = Surface(
    name="console",
    package="autolease.console",
    prefix=PREFIX,
    login_path=PREFIX + "/login",
    roles=STAFF_WIDE_ROLES,
    router=router,
    parts=(ANALYST_PAGES, ADMIN_PAGES),
)
add_login_routes(router, SURFACE)


@router.get("/")
def home(request: Request, principal: WebPrincipalDep) -> Response:
    return render(request, "console/home.html", {"role": principal.role.value})


@router.get("/admin/")
def admin_home(request: Request, _: AdminPage) -> Response:
    """The admin's index (the SP, user, API-key and audit pages are to come)."""
    return render(request, "console/admin.html")
