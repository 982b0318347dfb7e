"""Service providers: the list with status and grade; a status change through the channel's
status machine and a grade change, both audited as by the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from autolease.audit import service as audit_service
from autolease.channel import lifecycle as channel_lifecycle
from autolease.channel.service import lifecycle
from autolease.console.helpers import AdminPage, problems, web_actor
from autolease.dealer import service as dealer_service
from autolease.dealer.schemas import SpGrade, SpStatus, SpUpdate
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.exceptions import AutoleaseError
from autolease.web.deps import CsrfDep
from autolease.web.templates import lang_of, render

router = APIRouter(prefix="/console/admin/sps", include_in_schema=False)
DONE = frozenset({"status", "grade"})


def _page(
    request: Request, session: Session, *, errors: list[str] | None = None, status: int = 200
) -> Response:
    rows = [dealer_service.to_read(sp) for sp in dealer_service.list_all(session)]
    done = request.query_params.get("done")
    context = {
        "sps": rows,
        "statuses": [s.value for s in SpStatus],
        "grades": [g.value for g in SpGrade],
        "transitions": {
            s.value: [t.value for t in channel_lifecycle.TRANSITIONS[s]] for s in SpStatus
        },
        "errors": errors or [],
        "done": done if done in DONE else None,
    }
    return render(request, "console/admin_sps.html", context, status=status)


@router.get("")
def index(request: Request, session: SessionDep, _: AdminPage) -> Response:
    return _page(request, session)


def _refused(request: Request, session: Session, exc: AutoleaseError) -> Response:
    session.rollback()
    return _page(request, session, errors=problems(exc, lang_of(request)), status=exc.status_code)


@router.post("/{code}/status")
def change_status(
    request: Request,
    code: str,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AdminPage,
    _: CsrfDep,
    status: Annotated[SpStatus, Form()],
    reason: Annotated[str, Form(min_length=1, max_length=500)],
) -> Response:
    try:
        sp = dealer_service.get_by_code(session, code=code)
        lifecycle.change_status(session, sp, status.value, reason, web_actor(runtime, principal))
    except AutoleaseError as exc:
        return _refused(request, session, exc)
    return RedirectResponse("/console/admin/sps?done=status", status_code=303)


@router.post("/{code}/grade")
def change_grade(
    request: Request,
    code: str,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AdminPage,
    _: CsrfDep,
    grade: Annotated[SpGrade, Form()],
) -> Response:
    data = SpUpdate(grade=grade)
    try:
        dealer_service.update(session, code=code, data=data)
    except AutoleaseError as exc:
        return _refused(request, session, exc)
    audit_service.log(
        session,
        web_actor(runtime, principal),
        "sp.updated",
        entity_type="service_provider",
        entity_id=code,
        payload=data.model_dump(mode="json", exclude_none=True),
    )
    return RedirectResponse("/console/admin/sps?done=grade", status_code=303)
