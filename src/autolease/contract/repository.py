"""Contract and servicing-event queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.contract.models import Contract, ContractEvent
from autolease.contract.title import PAID_OFF, RELEASED


def by_application(session: Session, application_id: str) -> Contract | None:
    return session.scalars(
        select(Contract).where(Contract.application_id == application_id)
    ).one_or_none()


def events_of(session: Session, contract_id: str) -> Sequence[ContractEvent]:
    return session.scalars(
        select(ContractEvent)
        .where(ContractEvent.contract_id == contract_id)
        .order_by(ContractEvent.occurred_on, ContractEvent.id)
    ).all()


def event(session: Session, contract_id: str, event_id: str) -> ContractEvent | None:
    return session.scalars(
        select(ContractEvent).where(
            ContractEvent.contract_id == contract_id, ContractEvent.event_id == event_id
        )
    ).one_or_none()


def page(
    session: Session,
    *,
    sp_id: int | None,
    before_id: str | None,
    limit: int,
    status: str | None = None,
    title_owed_closed_before: date | None = None,
) -> Sequence[Contract]:
    """Newest first; optionally of one status, or only paid-off contracts whose title is still
    held and that closed before the given day."""
    query = select(Contract).order_by(Contract.id.desc()).limit(limit)
    if sp_id is not None:
        query = query.where(Contract.sp_id == sp_id)
    if status is not None:
        query = query.where(Contract.status == status)
    if title_owed_closed_before is not None:
        query = query.where(
            Contract.status.in_([s.value for s in PAID_OFF]),
            Contract.title_state != RELEASED,
            Contract.closed_on < title_owed_closed_before,
        )
    if before_id is not None:
        query = query.where(Contract.id < before_id)
    return session.scalars(query).all()
