"""Offer acceptance (the SP) and contracts with their servicing events."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from autolease.auth.dependencies import ActorDep, AdminDep, PrincipalDep
from autolease.contract import repository, service
from autolease.contract.lifecycle import ContractStatus
from autolease.contract.models import Contract
from autolease.contract.schemas import (
    AcceptOffer,
    ContractPage,
    ContractRead,
    EventEnvelope,
    EventRead,
    RecordedEvent,
)
from autolease.contract.service.views import event_read
from autolease.contract.title import TitleRelease
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.kit.clock import business_date
from autolease.origination.dependencies import ApplicationDep, mark_replayed

router = APIRouter(tags=["contracts"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or invalid credentials"},
    404: {"description": "no such contract or application for this caller"},
}


def get_contract(contract_id: str, session: SessionDep, principal: PrincipalDep) -> Contract:
    return service.get_visible(session, contract_id=contract_id, principal=principal)


ContractDep = Annotated[Contract, Depends(get_contract)]


@router.post(
    "/v1/applications/{application_id}/contract",
    response_model=ContractRead,
    status_code=201,
    responses={
        **ERRORS,
        403: {"description": "only the submitting SP accepts an offer"},
        409: {"description": "not approved, offer expired or superseded, or another accepted"},
    },
)
def accept_offer(
    body: AcceptOffer,
    app: ApplicationDep,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    actor: ActorDep,
    response: Response,
) -> ContractRead:
    """Accept one offer of an approved application: books the contract (idempotent)."""
    settings = runtime.settings.contract
    contract, replayed = service.accept_offer(
        session,
        app=app,
        principal=principal,
        actor=actor,
        ids=runtime.ids,
        data=body,
        settings=settings,
    )
    if replayed:
        response.status_code = 200
        mark_replayed(response)
    return service.to_read(session, contract, today=business_date(actor.at), settings=settings)


@router.get("/v1/contracts", response_model=ContractPage, responses=ERRORS)
def list_contracts(
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    status: Annotated[ContractStatus | None, Query(description="Only this status")] = None,
    title_release: Annotated[
        TitleRelease | None,
        Query(
            description="Only paid-off contracts whose title is still held: all of them "
            "(`owed`) or those past the release period (`overdue`)"
        ),
    ] = None,
) -> ContractPage:
    """The caller's contracts, newest first (an SP sees its own)."""
    return service.page(
        session,
        principal=principal,
        cursor=cursor,
        limit=limit,
        status=status,
        title_release=title_release,
        today=business_date(runtime.clock.now()),
        settings=runtime.settings.contract,
    )


@router.get("/v1/contracts/{contract_id}", response_model=ContractRead, responses=ERRORS)
def get_contract_read(
    contract: ContractDep,
    session: SessionDep,
    runtime: RuntimeDep,
    as_of: date | None = None,
) -> ContractRead:
    """The contract, its dated schedule and its arrears state (as of today or `as_of`)."""
    today = as_of or business_date(runtime.clock.now())
    return service.to_read(session, contract, today=today, settings=runtime.settings.contract)


@router.get("/v1/contracts/{contract_id}/events", response_model=list[EventRead], responses=ERRORS)
def list_events(contract: ContractDep, session: SessionDep) -> list[EventRead]:
    return [event_read(row) for row in repository.events_of(session, contract.id)]


@router.post(
    "/v1/contracts/{contract_id}/events",
    response_model=RecordedEvent,
    status_code=201,
    responses={
        **ERRORS,
        403: {"description": "servicing events are recorded by the lessor's operations"},
        409: {"description": "event_id reused with another body, or a refused status change"},
        422: {"description": "invalid event, or one the contract's state does not allow"},
    },
)
def record_event(
    body: EventEnvelope,
    contract: ContractDep,
    session: SessionDep,
    runtime: RuntimeDep,
    _: AdminDep,
    actor: ActorDep,
    response: Response,
) -> RecordedEvent:
    """Record a servicing event (idempotent per `event_id`)."""
    settings = runtime.settings.contract
    row, replayed = service.record_event(
        session, contract=contract, event=body.event, actor=actor, settings=settings
    )
    if replayed:
        response.status_code = 200
        mark_replayed(response)
    today = business_date(actor.at)
    return RecordedEvent(
        event=event_read(row),
        contract=service.to_read(session, contract, today=today, settings=settings),
        result=row.detail.get("result", {}),
    )
