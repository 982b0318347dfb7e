"""Queries of the channel tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from autolease.channel.models import SpDepositEntry, SpDueDiligence, SpGradeProposal, SpLimit
from autolease.dealer.models import ServiceProvider
from autolease.origination.models import Application


def due_diligence(session: Session, sp_id: int) -> Sequence[SpDueDiligence]:
    query = select(SpDueDiligence).where(SpDueDiligence.sp_id == sp_id).order_by(SpDueDiligence.id)
    return session.scalars(query).all()


def deposit_entries(session: Session, sp_id: int) -> Sequence[SpDepositEntry]:
    query = select(SpDepositEntry).where(SpDepositEntry.sp_id == sp_id).order_by(SpDepositEntry.id)
    return session.scalars(query).all()


def limits(session: Session, sp_id: int) -> SpLimit | None:
    return session.get(SpLimit, sp_id)


def status_and_limits(
    session: Session, sp_id: int
) -> tuple[str, int | None, int | None, list[str] | None] | None:
    query = (
        select(
            ServiceProvider.status, SpLimit.monthly_volume, SpLimit.max_amount_fen, SpLimit.products
        )
        .outerjoin(SpLimit, SpLimit.sp_id == ServiceProvider.id)
        .where(ServiceProvider.id == sp_id)
    )
    row = session.execute(query).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


def applications_since(session: Session, sp_id: int, since: datetime) -> int:
    query = select(func.count()).where(
        Application.sp_id == sp_id, Application.submitted_at >= since
    )
    return int(session.scalar(query) or 0)


def proposals(session: Session, month: str) -> Sequence[SpGradeProposal]:
    query = select(SpGradeProposal).where(SpGradeProposal.month == month)
    return session.scalars(query.order_by(SpGradeProposal.sp_id)).all()


def proposal(session: Session, sp_id: int, month: str) -> SpGradeProposal | None:
    query = select(SpGradeProposal).where(
        SpGradeProposal.sp_id == sp_id, SpGradeProposal.month == month
    )
    return session.scalars(query).first()
