"""Contracts for the lessor's operations (admins): the book by status or by a title still
owed, one contract with its schedule, arrears and events, and a servicing event recorded as
by `POST /v1/contracts/{id}/events` (the same models and rules, audited the same way)."""

from __future__ import annotations

from typing import Annotated, Any, cast, get_args

from fastapi import APIRouter, Form, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from autolease.console.helpers import AdminPage, problems, web_actor
from autolease.contract import repository
from autolease.contract import service as contracts
from autolease.contract.bulk import parse_rows
from autolease.contract.exceptions import ContractNotFound
from autolease.contract.lifecycle import ContractStatus
from autolease.contract.models import Contract
from autolease.contract.service.servicing import HANDLERS
from autolease.contract.service.views import event_read
from autolease.contract.title import TitleRelease
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.exceptions import AutoleaseError
from autolease.kit.clock import business_date
from autolease.runtime import Runtime
from autolease.web.deps import CsrfDep
from autolease.web.errors import PageError
from autolease.web.templates import lang_of, render

router = APIRouter(prefix="/console/admin/contracts", include_in_schema=False)
ContractId = Annotated[str, Path(max_length=40)]
Filter = Annotated[str, Query(max_length=20)]
Cell = Annotated[str, Form(max_length=500)]
EVENT_KINDS = tuple(HANDLERS)
FORM_FIELDS = (
    "kind", "event_id", "occurred_on", "amount", "reference", "state", "quote_event_id",
    "from_installment", "months", "note",
)  # fmt: skip


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str | None:
    """A filter's value: empty is no filter, an unknown one a 422 page naming it."""
    if value == "":
        return None
    if value not in allowed:
        raise PageError(422, "validation_error", f"{name}: unknown value {value!r}")
    return value


@router.get("")
def index(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AdminPage,
    status: Filter = "",
    title_release: Filter = "",
    cursor: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    statuses = tuple(s.value for s in ContractStatus)
    chosen = _choice("status", status, statuses)
    release = _choice("title_release", title_release, get_args(TitleRelease))
    page = contracts.page(
        session,
        principal=principal.principal,
        cursor=cursor,
        limit=50,
        today=business_date(runtime.clock.now()),
        settings=runtime.settings.contract,
        status=ContractStatus(chosen) if chosen else None,
        title_release=cast(TitleRelease | None, release),
    )
    context = {
        "contracts": page.items,
        "next_cursor": page.next_cursor,
        "statuses": statuses,
        "status": chosen or "",
        "title_release": release or "",
    }
    return render(request, "console/admin_contracts.html", context)


def _contract(session: Session, principal: Any, contract_id: str) -> Contract:
    try:
        return contracts.get_visible(session, contract_id=contract_id, principal=principal)
    except ContractNotFound:
        raise PageError(404, "not_found", "no such contract") from None


def _detail(
    request: Request,
    session: Session,
    runtime: Runtime,
    contract: Contract,
    *,
    errors: list[str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    today = business_date(runtime.clock.now())
    read = contracts.to_read(session, contract, today=today, settings=runtime.settings.contract)
    context = {
        "contract": read,
        "events": [event_read(row) for row in repository.events_of(session, contract.id)],
        "kinds": EVENT_KINDS,
        "errors": errors or [],
        "form": form or {"event_id": runtime.ids.new("ops"), "occurred_on": today.isoformat()},
        "done": request.query_params.get("done") in EVENT_KINDS,
    }
    return render(request, "console/admin_contract.html", context, status=status)


@router.get("/{contract_id}")
def detail(
    request: Request,
    contract_id: ContractId,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AdminPage,
) -> Response:
    contract = _contract(session, principal.principal, contract_id)
    return _detail(request, session, runtime, contract)


@router.post("/{contract_id}/events")
def record_event(
    request: Request,
    contract_id: ContractId,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AdminPage,
    _: CsrfDep,
    kind: Annotated[str, Form(max_length=24)],
    event_id: Annotated[str, Form(max_length=64)],
    occurred_on: Annotated[str, Form(max_length=10)],
    amount: Cell = "",
    reference: Cell = "",
    state: Cell = "",
    quote_event_id: Cell = "",
    from_installment: Cell = "",
    months: Cell = "",
    note: Cell = "",
) -> Response:
    """One servicing event from the form, validated by the API's own models."""
    contract = _contract(session, principal.principal, contract_id)
    values = (kind, event_id, occurred_on, amount, reference, state, quote_event_id,
              from_installment, months, note)  # fmt: skip
    form = dict(zip(FORM_FIELDS, values, strict=True))
    rows, row_errors = parse_rows([{"contract_id": contract.id, **form}])
    if row_errors:
        errors = [f"{e.field}: {e.message}" for e in row_errors]
        return _detail(request, session, runtime, contract, errors=errors, form=form, status=422)
    try:
        contracts.record_event(
            session,
            contract=contract,
            event=rows[0].event,
            actor=web_actor(runtime, principal),
            settings=runtime.settings.contract,
        )
    except AutoleaseError as exc:
        session.rollback()
        errors = problems(exc, lang_of(request))
        return _detail(
            request, session, runtime, contract, errors=errors, form=form, status=exc.status_code
        )
    return RedirectResponse(f"/console/admin/contracts/{contract.id}?done={kind}", status_code=303)
