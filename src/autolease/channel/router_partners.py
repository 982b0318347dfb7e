"""Lead-source partners: records, their referral fee ledger and their performance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from autolease.auth.dependencies import ActorDep, AdminDep, AuditorDep
from autolease.channel.schemas import (
    PARTNER_CODE,
    FeeEntryRead,
    FeeLedger,
    PartnerIn,
    PartnerPatch,
    PartnerRead,
    PayoutIn,
    PerformanceRow,
)
from autolease.channel.service import partners, performance
from autolease.dependencies import RuntimeDep, SessionDep

router = APIRouter(prefix="/v1/partners", tags=["partners"])
MONTH = r"^20\d\d-(0[1-9]|1[0-2])$"
Code = Annotated[str, Path(pattern=PARTNER_CODE, description="The partner's code")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no partner with this code"}}


@router.post(
    "",
    response_model=PartnerRead,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "a partner with this code exists"}},
)
def create_partner(
    body: PartnerIn, session: SessionDep, _: AdminDep, actor: ActorDep
) -> PartnerRead:
    return partners.to_read(partners.create(session, body, actor))


@router.get("", response_model=list[PartnerRead])
def list_partners(session: SessionDep, _: AuditorDep) -> list[PartnerRead]:
    return [partners.to_read(p) for p in partners.listing(session)]


@router.get("/{code}", response_model=PartnerRead, responses=NOT_FOUND)
def get_partner(code: Code, session: SessionDep, _: AuditorDep) -> PartnerRead:
    return partners.to_read(partners.by_code(session, code))


@router.patch("/{code}", response_model=PartnerRead, responses=NOT_FOUND)
def patch_partner(
    code: Code, body: PartnerPatch, session: SessionDep, _: AdminDep, actor: ActorDep
) -> PartnerRead:
    return partners.to_read(partners.update(session, code, body, actor))


@router.get("/{code}/fees", response_model=FeeLedger, responses=NOT_FOUND)
def get_fees(code: Code, session: SessionDep, _: AuditorDep) -> FeeLedger:
    return partners.ledger(session, code)


@router.post(
    "/{code}/fees/payouts",
    response_model=FeeEntryRead,
    status_code=status.HTTP_201_CREATED,
    responses=NOT_FOUND,
)
def post_payout(
    code: Code, body: PayoutIn, session: SessionDep, _: AdminDep, actor: ActorDep
) -> FeeEntryRead:
    row = partners.payout(session, code, body.amount, body.reference, actor)
    return partners.entry_read(row)


@router.get("/{code}/performance", response_model=PerformanceRow, responses=NOT_FOUND)
def get_performance(
    code: Code,
    session: SessionDep,
    runtime: RuntimeDep,
    _: AuditorDep,
    month: Annotated[str, Query(pattern=MONTH, description="Month end, YYYY-MM")],
) -> PerformanceRow:
    partners.by_code(session, code)
    settings = runtime.settings
    rows = performance.partners(session, month, settings.contract, settings.channel, only=code)
    return rows[0]
