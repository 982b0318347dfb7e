from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.audit.models import AuditEvent, AuditHead

HEAD_ID = 1


def lock_head(session: Session) -> AuditHead | None:
    return session.scalars(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).first()


def get_head(session: Session) -> AuditHead | None:
    return session.get(AuditHead, HEAD_ID)


def all_events(session: Session) -> Sequence[AuditEvent]:
    return session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()


def list_events(
    session: Session, *, entity_id: str | None, limit: int, before_seq: int | None
) -> Sequence[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    if before_seq is not None:
        query = query.where(AuditEvent.seq < before_seq)
    return session.scalars(query).all()
