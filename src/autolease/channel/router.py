"""SP due diligence, status, deposit ledger and limits; grade proposals (router_grades)."""

from __future__ import annotations

from fastapi import APIRouter, status

from autolease.auth.dependencies import ActorDep, AdminDep, PrincipalDep
from autolease.auth.principal import Principal
from autolease.channel import repository
from autolease.channel.lifecycle import Item
from autolease.channel.schemas import (
    DepositEntryIn,
    DepositEntryRead,
    DepositLedger,
    DueDiligenceIn,
    DueDiligenceReport,
    LimitsIn,
    LimitsRead,
    StaffPhoneIn,
    StaffPhoneRead,
    StatusChange,
)
from autolease.channel.service import deposits, lifecycle, limits, staff
from autolease.dealer import service as dealer_service
from autolease.dealer.exceptions import SpNotFound
from autolease.dealer.models import ServiceProvider
from autolease.dealer.schemas import SpRead
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.kit.money import from_fen

router = APIRouter(prefix="/v1/sps", tags=["sps"])


def _visible_sp(session: SessionDep, code: str, principal: Principal) -> ServiceProvider:
    sp = dealer_service.get_by_code(session, code=code)
    if not principal.can_see_sp(sp.id):
        raise SpNotFound(f"no SP with code {code!r}")
    return sp


@router.get("/{code}/due-diligence", response_model=DueDiligenceReport)
def get_due_diligence(
    code: str, session: SessionDep, principal: PrincipalDep
) -> DueDiligenceReport:
    return lifecycle.report(session, _visible_sp(session, code, principal))


@router.put("/{code}/due-diligence/{item}", response_model=DueDiligenceReport)
def put_due_diligence(
    code: str, item: Item, body: DueDiligenceIn, session: SessionDep, _: AdminDep, actor: ActorDep
) -> DueDiligenceReport:
    sp = dealer_service.get_by_code(session, code=code)
    lifecycle.record_item(session, sp, item, body, actor)
    return lifecycle.report(session, sp)


@router.post(
    "/{code}/status",
    response_model=SpRead,
    responses={409: {"description": "the status machine refuses this change"}},
)
def change_status(
    code: str, body: StatusChange, session: SessionDep, _: AdminDep, actor: ActorDep
) -> SpRead:
    sp = dealer_service.get_by_code(session, code=code)
    lifecycle.change_status(session, sp, body.status.value, body.reason, actor)
    return dealer_service.to_read(sp)


@router.get("/{code}/deposit", response_model=DepositLedger)
def get_deposit(code: str, session: SessionDep, principal: PrincipalDep) -> DepositLedger:
    return deposits.ledger(session, _visible_sp(session, code, principal))


@router.post(
    "/{code}/deposit/entries", response_model=DepositEntryRead, status_code=status.HTTP_201_CREATED
)
def post_deposit_entry(
    code: str, body: DepositEntryIn, session: SessionDep, _: AdminDep, actor: ActorDep
) -> DepositEntryRead:
    sp = dealer_service.get_by_code(session, code=code)
    row = deposits.post(session, sp, body, actor)
    return DepositEntryRead(
        id=row.id,
        kind=body.kind,
        amount=from_fen(row.amount_fen),
        balance_after=from_fen(row.balance_after_fen),
        contract_id=row.contract_id,
        reference=row.reference,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


@router.get("/{code}/limits", response_model=LimitsRead)
def get_limits(code: str, session: SessionDep, principal: PrincipalDep) -> LimitsRead:
    sp = _visible_sp(session, code, principal)
    return limits.to_read(sp, repository.limits(session, sp.id))


@router.put("/{code}/limits", response_model=LimitsRead)
def put_limits(
    code: str, body: LimitsIn, session: SessionDep, _: AdminDep, actor: ActorDep
) -> LimitsRead:
    sp = dealer_service.get_by_code(session, code=code)
    return limits.to_read(sp, limits.set_limits(session, sp, body, actor))


@router.get("/{code}/staff-phones", response_model=list[StaffPhoneRead])
def get_staff_phones(
    code: str, session: SessionDep, principal: PrincipalDep
) -> list[StaffPhoneRead]:
    sp = _visible_sp(session, code, principal)
    return [staff.to_read(r) for r in staff.listing(session, sp.id)]


@router.post(
    "/{code}/staff-phones",
    response_model=StaffPhoneRead,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "the phone is already one of this SP's"}},
)
def post_staff_phone(
    code: str,
    body: StaffPhoneIn,
    session: SessionDep,
    runtime: RuntimeDep,
    _: AdminDep,
    actor: ActorDep,
) -> StaffPhoneRead:
    sp = dealer_service.get_by_code(session, code=code)
    return staff.to_read(staff.add(session, sp, body, runtime.cipher.blind_index, actor))
