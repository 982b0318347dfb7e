from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Select, insert, select, update
from sqlalchemy.orm import Session

from autolease.audit.models import AuditEvent, AuditHead
from autolease.db import table_of

HEAD_ID = 1


def lock_tip(session: Session) -> Tip | None:
    """The chain tip, row-locked until the transaction ends (None before the first event)."""
    return _tip(session, _TIP.with_for_update())


def get_tip(session: Session) -> Tip | None:
    return _tip(session, _TIP)


def save_tip(session: Session, tip: Tip, *, exists: bool) -> None:
    """Move the tip (Core statements: the head row is never loaded as an ORM object, so no
    session holds a stale copy)."""
    head = table_of(AuditHead)
    if exists:
        statement = update(head).where(head.c.id == HEAD_ID).values(seq=tip.seq, hash=tip.hash)
        session.connection().execute(statement)
    else:
        session.connection().execute(insert(head).values(id=HEAD_ID, seq=tip.seq, hash=tip.hash))


class Tip(NamedTuple):
    seq: int
    hash: str


_HEAD = table_of(AuditHead)
_TIP = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == HEAD_ID)


def _tip(session: Session, query: Select[Any, Any]) -> Tip | None:
    row = session.connection().execute(query).first()
    return None if row is None else Tip(row[0], row[1])


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
