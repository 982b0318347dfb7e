"""The H5 pages: login, the SP's portal (applications and statuses), the application flow
(for SP staff, or for one applicant through a link) and an application's page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from autolease.auth.principal import Role
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.exceptions import NotFound
from autolease.h5 import service
from autolease.h5.exceptions import LinkNotFound
from autolease.h5.present import document_kinds, result_of
from autolease.h5.router_api import router as api_router
from autolease.h5.router_portal import router as portal_router
from autolease.h5.router_webhooks import router as webhooks_router
from autolease.origination import service as origination
from autolease.origination.schemas import ApplicationStatus
from autolease.review.service import human_review
from autolease.web.deps import require_web_roles
from autolease.web.errors import PageError
from autolease.web.login_routes import add_login_routes
from autolease.web.sessions import WebPrincipal
from autolease.web.surface import Surface
from autolease.web.templates import lang_of, render

PREFIX = "/h5"
router = APIRouter(prefix=PREFIX, include_in_schema=False)

SpPage = Annotated[WebPrincipal, Depends(require_web_roles(Role.SP_USER))]
STATUSES = tuple(s.value for s in ApplicationStatus)

SURFACE = Surface(
    name="h5",
    package="autolease.h5",
    prefix=PREFIX,
    login_path=PREFIX + "/login",
    roles=frozenset({Role.SP_USER}),
    router=router,
    has_static=True,
)
add_login_routes(router, SURFACE)


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
    can do, and how to ask for a human review (a form, or the open request)."""
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
        "human_review": human_review.open_request(session, app.id),
        "can_request_review": app.status in human_review.REQUESTABLE_STATUSES,
        **document_kinds(lang_of(request)),
    }
    return render(request, "h5/application.html", context)


router.include_router(api_router)
router.include_router(portal_router)
router.include_router(webhooks_router)
