"""The H5 pages: login, the SP's portal (applications and statuses), the application flow
(for SP staff, or for one applicant through a link) and an application's page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from starlette.responses import RedirectResponse, Response

from autolease.auth.principal import Role
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.exceptions import NotFound
from autolease.h5 import service
from autolease.h5.exceptions import LinkNotFound
from autolease.h5.present import document_kinds, result_of
from autolease.h5.router_api import router as api_router
from autolease.h5.router_portal import router as portal_router
from autolease.origination import service as origination
from autolease.origination.schemas import ApplicationStatus
from autolease.web import cookies
from autolease.web.deps import CsrfDep, require_web_roles
from autolease.web.errors import PageError
from autolease.web.login import log_in, log_out, login_csrf_ok, login_form_tokens, safe_next
from autolease.web.sessions import WebPrincipal
from autolease.web.surface import Surface
from autolease.web.templates import lang_of, render

PREFIX = "/h5"
HOME = PREFIX + "/"
router = APIRouter(prefix=PREFIX, include_in_schema=False)

Username = Annotated[str, Form(min_length=1, max_length=64)]
Password = Annotated[str, Form(min_length=1, max_length=200)]
CsrfField = Annotated[str, Form(max_length=100)]
NextField = Annotated[str, Form(max_length=500)]
SpPage = Annotated[WebPrincipal, Depends(require_web_roles(Role.SP_USER))]
STATUSES = tuple(s.value for s in ApplicationStatus)


def _login_page(
    request: Request, *, next_path: str, error: str | None = None, status: int = 200
) -> Response:
    token, cookie_value = login_form_tokens(request)
    context = {"csrf_token": token, "next": next_path, "error": error}
    response = render(request, "h5/login.html", context, status=status)
    cookies.set_login_csrf(request, response, cookie_value)
    return response


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query(max_length=500)] = HOME) -> Response:
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
def home(
    request: Request,
    session: SessionDep,
    principal: SpPage,
    status: Annotated[str | None, Query(max_length=16)] = None,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The SP's applications and their statuses, newest first."""
    if status is not None and status not in STATUSES:
        raise PageError(422, "unknown_status", f"status must be one of {', '.join(STATUSES)}")
    found = origination.page(
        session, principal=principal.principal, status=status or None, cursor=cursor, limit=50
    )
    context = {"page": found, "status": status or "", "statuses": STATUSES}
    return render(request, "h5/home.html", context)


@router.get("/apply")
def apply_page(request: Request, _: SpPage) -> Response:
    """The application flow, for SP staff."""
    return render(request, "h5/apply.html", {"link_token": ""})


@router.get("/a/{token}")
def apply_by_link(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    token: Annotated[str, Path(max_length=100)],
) -> Response:
    """The application flow for the one applicant of a link (no login)."""
    try:
        opened = service.open_link(session, token, runtime.clock.now())
    except LinkNotFound:
        raise PageError(404, "link_not_found", "this link is unknown or has expired") from None
    if opened.link.application_id is not None:
        return render(request, "h5/link_spent.html", status=409)
    headers = {"Referrer-Policy": "no-referrer"}  # the token is in the path
    return render(request, "h5/apply.html", {"link_token": token}, headers=headers)


@router.get("/applications/{application_id}")
def application_page(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: SpPage,
    application_id: Annotated[str, Path(max_length=40)],
) -> Response:
    """One application of the SP: status, history, the decision with what the applicant
    can do, and how to ask for a human review."""
    try:
        app = origination.get_visible(
            session, application_id=application_id, principal=principal.principal
        )
    except NotFound:
        raise PageError(404, "not_found", "no such application") from None
    read = origination.to_read(session, app, cipher=runtime.cipher)
    body = read.model_dump(mode="json")
    context = {
        "app": body,
        "result": result_of(body),
        "consent": service.consent_of(session, app.id),
        **document_kinds(lang_of(request)),
    }
    return render(request, "h5/application.html", context)


router.include_router(api_router)
router.include_router(portal_router)

SURFACE = Surface(
    name="h5",
    package="autolease.h5",
    prefix=PREFIX,
    login_path=PREFIX + "/login",
    roles=frozenset({Role.SP_USER}),
    router=router,
    has_static=True,
)
