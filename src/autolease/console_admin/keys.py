"""API keys of an SP: the list, issuing one (its secret is shown once, on the answer to the
form, never stored or shown again) and revoking one; audited as by the API."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from autolease.audit import service as audit_service
from autolease.auth import service as auth_service
from autolease.console.helpers import AdminPage, problems, web_actor
from autolease.dealer import service as dealer_service
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.exceptions import AutoleaseError
from autolease.web.deps import CsrfDep
from autolease.web.templates import lang_of, render

router = APIRouter(prefix="/console/admin/api-keys", include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}


def _page(
    request: Request,
    session: Session,
    sp: str | None,
    *,
    issued: dict[str, str] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> Response:
    codes = [s.code for s in dealer_service.list_all(session)]
    chosen = sp if sp in codes else (codes[0] if codes else None)
    keys = auth_service.list_api_keys(session, sp_code=chosen) if chosen else []
    context = {
        "sp_codes": codes,
        "sp": chosen,
        "keys": keys,
        "issued": issued,
        "errors": errors or [],
        "done": request.query_params.get("done") == "revoked",
    }
    return render(request, "console/admin_keys.html", context, status=status, headers=NO_STORE)


@router.get("")
def index(
    request: Request,
    session: SessionDep,
    _: AdminPage,
    sp: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    return _page(request, session, sp)


def _refused(request: Request, session: Session, sp: str, exc: AutoleaseError) -> Response:
    session.rollback()
    errors = problems(exc, lang_of(request))
    return _page(request, session, sp, errors=errors, status=exc.status_code)


@router.post("/{sp}")
def issue(
    request: Request,
    sp: str,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AdminPage,
    _: CsrfDep,
    label: Annotated[str, Form(min_length=1, max_length=100)],
) -> Response:
    """Issue a key: the answer shows its secret this once (no redirect, `no-store`)."""
    actor = web_actor(runtime, principal)
    try:
        new, row = auth_service.issue_api_key(
            session, sp_code=sp, label=label, at=actor.at, token_hex=secrets.token_hex
        )
    except AutoleaseError as exc:
        return _refused(request, session, sp, exc)
    audit_service.log(
        session,
        actor,
        "api_key.issued",
        entity_type="service_provider",
        entity_id=sp,
        payload={"prefix": row.prefix, "label": row.label},
    )
    issued = {"api_key": new.plaintext, "prefix": row.prefix, "label": row.label}
    return _page(request, session, sp, issued=issued, status=201)


@router.post("/{sp}/{prefix}/revoke")
def revoke(
    request: Request,
    sp: str,
    prefix: str,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AdminPage,
    _: CsrfDep,
) -> Response:
    actor = web_actor(runtime, principal)
    try:
        auth_service.revoke_api_key(session, sp_code=sp, prefix=prefix, at=actor.at)
    except AutoleaseError as exc:
        return _refused(request, session, sp, exc)
    audit_service.log(
        session,
        actor,
        "api_key.revoked",
        entity_type="service_provider",
        entity_id=sp,
        payload={"prefix": prefix},
    )
    return RedirectResponse(f"/console/admin/api-keys?sp={sp}&done=revoked", status_code=303)
