from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.origination.models import (
    Application,
    ApplicationStatusEvent,
    Decision,
    IdempotencyRecord,
)


def idempotency_record(session: Session, sp_id: int, key: str) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(
        IdempotencyRecord.sp_id == sp_id, IdempotencyRecord.key == key
    )
    return session.scalars(query).first()


def latest_decision(session: Session, application_id: str) -> Decision | None:
    query = (
        select(Decision)
        .where(Decision.application_id == application_id)
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
    )
    return session.scalars(query).first()


def status_events(session: Session, application_id: str) -> Sequence[ApplicationStatusEvent]:
    query = (
        select(ApplicationStatusEvent)
        .where(ApplicationStatusEvent.application_id == application_id)
        .order_by(ApplicationStatusEvent.id)
    )
    return session.scalars(query).all()


def page_of_applications(
    session: Session, *, sp_id: int | None, status: str | None, before_id: str | None, limit: int
) -> Sequence[Application]:
    query = select(Application).order_by(Application.id.desc()).limit(limit)
    if sp_id is not None:
        query = query.where(Application.sp_id == sp_id)
    if status is not None:
        query = query.where(Application.status == status)
    if before_id is not None:
        query = query.where(Application.id < before_id)
    return session.scalars(query).all()


def latest_outcomes(session: Session, application_ids: Sequence[str]) -> dict[str, str]:
    if not application_ids:
        return {}
    query = select(Decision.application_id, Decision.outcome, Decision.decided_at).where(
        Decision.application_id.in_(application_ids)
    )
    latest: dict[str, tuple[object, str]] = {}
    for app_id, outcome, decided_at in session.execute(query):
        if app_id not in latest or decided_at >= latest[app_id][0]:  # type: ignore[operator]
            latest[app_id] = (decided_at, outcome)
    return {app_id: outcome for app_id, (_, outcome) in latest.items()}
