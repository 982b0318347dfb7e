"""Contracts as the API shows them, within the caller's tenancy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.orm import Session

from autolease.auth.principal import Principal
from autolease.contract import repository, title
from autolease.contract.exceptions import ContractNotFound
from autolease.contract.lifecycle import OPEN, ContractStatus
from autolease.contract.models import Contract, ContractEvent
from autolease.contract.schemas import ContractPage, ContractRead, EventRead, InstallmentRead
from autolease.contract.service.state import ContractState, state_of
from autolease.contract.settings import ContractSettings
from autolease.contract.title import TitleRelease
from autolease.dealer.models import ServiceProvider
from autolease.kit.money import from_fen


def get_visible(session: Session, *, contract_id: str, principal: Principal) -> Contract:
    """The contract, or 404 when it does not exist or belongs to another SP."""
    contract = session.get(Contract, contract_id)
    if contract is None or not principal.can_see_sp(contract.sp_id):
        raise ContractNotFound(f"no contract {contract_id!r}")
    return contract


def _schedule(state: ContractState) -> list[InstallmentRead]:
    dates = {d.number: d.due_on for d in state.dues}
    return [
        InstallmentRead(
            number=row.number,
            kind=row.kind.value,
            due_on=dates.get(row.number),
            payment=str(row.payment),
            principal=str(row.principal),
            interest=str(row.interest),
            balance_after=str(row.balance_after),
        )
        for row in state.schedule
    ]


def _arrears_day(contract: Contract, today: date) -> date | None:
    if contract.start_on is None:
        return None
    if ContractStatus(contract.status) in OPEN:
        return today
    return contract.closed_on


def to_read(
    session: Session,
    contract: Contract,
    *,
    today: date,
    settings: ContractSettings,
    events: Sequence[ContractEvent] | None = None,
) -> ContractRead:
    rows = events if events is not None else repository.events_of(session, contract.id)
    state = state_of(contract, rows)
    day = _arrears_day(contract, today)
    sp = session.get(ServiceProvider, contract.sp_id)
    terms = state.terms
    release_by = title.release_due_on(
        contract.status, contract.closed_on, contract.title_state, settings.title_release_days
    )
    return ContractRead(
        id=contract.id,
        application_id=contract.application_id,
        decision_id=contract.decision_id,
        offer_rank=contract.offer_rank,
        sp_code=sp.code if sp else "",
        status=contract.status,
        product_code=contract.product_code,
        product_type=contract.product_type,
        term_months=contract.term_months,
        annual_rate=str(terms.annual_rate),
        financed_amount=str(from_fen(contract.financed_fen)),
        down_payment=str(terms.down_payment),
        balloon=str(terms.balloon),
        monthly_payment=str(from_fen(contract.monthly_payment_fen)),
        title_action=contract.title_action,
        title_state=contract.title_state,
        title_reference=contract.title_reference,
        title_release_due_on=release_by,
        title_release_overdue=title.release_overdue(release_by, today),
        gps_device_id=contract.gps_device_id,
        booked_at=contract.booked_at.isoformat(),
        start_on=contract.start_on,
        closed_on=contract.closed_on,
        schedule=_schedule(state),
        arrears=state.arrears(day, settings).as_dict() if day else None,
    )


def event_read(row: ContractEvent) -> EventRead:
    return EventRead(
        event_id=row.event_id,
        kind=row.kind,
        occurred_on=row.occurred_on,
        amount=str(from_fen(row.amount_fen)) if row.amount_fen is not None else None,
        detail=row.detail,
        recorded_at=row.recorded_at.isoformat(),
    )


def _release_cut(
    which: TitleRelease | None, today: date, settings: ContractSettings
) -> date | None:
    """Paid-off contracts with the title still held and closed before the day returned: every
    one of them (owed), or those past the release period (overdue)."""
    if which is None:
        return None
    if which == "owed":
        return today + timedelta(days=1)
    return today - timedelta(days=settings.title_release_days)


def page(
    session: Session,
    *,
    principal: Principal,
    cursor: str | None,
    limit: int,
    today: date,
    settings: ContractSettings,
    status: ContractStatus | None = None,
    title_release: TitleRelease | None = None,
) -> ContractPage:
    release_closed_before = _release_cut(title_release, today, settings)
    rows = repository.page(
        session,
        sp_id=principal.sp_id,
        before_id=cursor,
        limit=limit + 1,
        status=status.value if status else None,
        title_owed_closed_before=release_closed_before,
    )
    items = list(rows[:limit])
    return ContractPage(
        items=[to_read(session, c, today=today, settings=settings) for c in items],
        next_cursor=items[-1].id if len(rows) > limit else None,
    )
