"""Users: every staff and SP user; create one (as `POST /v1/users`, audited `user.created`),
disable or re-enable one (as `POST /v1/users/{id}/status`, audited `user.disabled` or
`user.enabled`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from autolease.audit import service as audit_service
from autolease.auth import repository as auth_repository
from autolease.auth import service as auth_service
from autolease.auth.principal import Role
from autolease.auth.schemas import UserCreate
from autolease.console.helpers import AdminPage, problems, web_actor
from autolease.dealer import service as dealer_service
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.errors import field_errors
from autolease.exceptions import AutoleaseError, InputInvalid
from autolease.web.deps import CsrfDep
from autolease.web.templates import lang_of, render

router = APIRouter(prefix="/console/admin/users", include_in_schema=False)
DONE = frozenset({"created", "disabled", "enabled"})


def _page(
    request: Request,
    session: Session,
    *,
    errors: list[str] | None = None,
    form: dict[str, str] | None = None,
    failed: str = "create",
    status: int = 200,
) -> Response:
    sps = {sp.id: sp.code for sp in dealer_service.list_all(session)}
    done = request.query_params.get("done")
    users = [
        {
            "id": u.id,
            "username": u.username,
            "display_name": u.display_name,
            "role": u.role,
            "sp_code": sps.get(u.sp_id) if u.sp_id else None,
            "active": u.active,
            "created_at": u.created_at,
        }
        for u in auth_repository.all_users(session)
    ]
    context = {
        "users": users,
        "roles": [r.value for r in Role],
        "sp_codes": sorted(sps.values()),
        "errors": errors or [],
        "form": form or {},
        "failed": failed,
        "done": done if done in DONE else None,
    }
    return render(request, "console/admin_users.html", context, status=status)


@router.get("")
def index(request: Request, session: SessionDep, _: AdminPage) -> Response:
    return _page(request, session)


@router.post("")
def create(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AdminPage,
    _: CsrfDep,
    username: Annotated[str, Form(max_length=64)],
    display_name: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=20)],
    password: Annotated[str, Form(max_length=200)],
    sp_code: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Create a user; the same checks as the API (username form, password length, an SP
    for SP users only)."""
    form = {"username": username, "display_name": display_name, "role": role, "sp_code": sp_code}
    actor = web_actor(runtime, principal)
    try:
        body = _body(username, display_name, role, password, sp_code)
        user = auth_service.create_user(
            session,
            username=body.username,
            display_name=body.display_name,
            role=body.role,
            password=body.password,
            sp_code=body.sp_code,
            at=actor.at,
        )
    except AutoleaseError as exc:
        session.rollback()
        errors = problems(exc, lang_of(request))
        return _page(request, session, errors=errors, form=form, status=exc.status_code)
    audit_service.log(
        session,
        actor,
        "user.created",
        entity_type="staff_user",
        entity_id=user.username,
        payload={"role": user.role, "sp_code": body.sp_code},
    )
    return RedirectResponse("/console/admin/users?done=created", status_code=303)


@router.post("/{user_id}/status")
def set_status(
    request: Request,
    user_id: int,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AdminPage,
    _: CsrfDep,
    active: Annotated[bool, Form()],
) -> Response:
    """Disable or re-enable a user through the API's use case (not one's own account)."""
    try:
        auth_service.set_user_active(
            session,
            user_id=user_id,
            active=active,
            acting_user_id=principal.principal.user_id,
            actor=web_actor(runtime, principal),
        )
    except AutoleaseError as exc:
        session.rollback()
        errors = problems(exc, lang_of(request))
        return _page(request, session, errors=errors, failed="status", status=exc.status_code)
    done = "enabled" if active else "disabled"
    return RedirectResponse(f"/console/admin/users?done={done}", status_code=303)


def _body(username: str, display_name: str, role: str, password: str, sp_code: str) -> UserCreate:
    try:
        return UserCreate.model_validate(
            {
                "username": username,
                "display_name": display_name,
                "role": role,
                "password": password,
                "sp_code": sp_code or None,
            }
        )
    except ValidationError as exc:
        found = field_errors(exc.errors())
        raise InputInvalid("the user is not valid", errors=found) from None
