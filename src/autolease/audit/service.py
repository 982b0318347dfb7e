"""Append to and verify the audit trail. Never commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from autolease.audit import repository
from autolease.audit.chain import (
    GENESIS_HASH,
    ChainProblem,
    ChainRecord,
    content_of,
    record_hash,
    verify_chain,
)
from autolease.audit.models import AuditEvent
from autolease.db import insert_rows


@dataclass(frozen=True)
class Entry:
    """One event to append: what happened to which entity (actor and time come separately)."""

    action: str
    entity_type: str
    entity_id: str
    payload: dict[str, Any] = field(default_factory=dict)


def record(
    session: Session,
    *,
    key: bytes,
    at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    payload: dict[str, Any],
) -> AuditEvent:
    """Append one event. Holds the chain tip's row lock until the transaction ends."""
    entry = Entry(action, entity_type, entity_id, payload)
    return record_many(session, key=key, at=at, actor=actor, entries=[entry])[0]


def record_many(
    session: Session, *, key: bytes, at: datetime, actor: str, entries: Sequence[Entry]
) -> list[AuditEvent]:
    """Append events in order under one lock of the chain tip (held until the transaction ends).

    Callers that write several events in one transaction append them together at the end, so
    the tip is locked for as short a time as possible (it serialises every writer).
    """
    locked = repository.lock_tip(session)
    tip = locked or repository.Tip(0, GENESIS_HASH)
    appended = []
    for entry in entries:
        draft = ChainRecord(
            tip.seq + 1,
            at,
            actor,
            entry.action,
            entry.entity_type,
            entry.entity_id,
            entry.payload,
            tip.hash,
            "",
        )
        digest = record_hash(key, tip.hash, content_of(draft))
        appended.append(
            AuditEvent(
                seq=draft.seq,
                occurred_at=at,
                actor=actor,
                action=entry.action,
                entity_type=entry.entity_type,
                entity_id=entry.entity_id,
                payload=entry.payload,
                prev_hash=tip.hash,
                hash=digest,
            )
        )
        tip = repository.Tip(draft.seq, digest)
    insert_rows(session, appended)
    repository.save_tip(session, tip, exists=locked is not None)
    return appended


def _as_record(event: AuditEvent) -> ChainRecord:
    return ChainRecord(
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor=event.actor,
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        payload=event.payload,
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


def verify(
    session: Session, *, key: bytes, anchors: Iterable[tuple[int, str]] = ()
) -> tuple[int, ChainProblem | None]:
    """Return (number of records checked, first problem or None).

    `anchors` are checkpointed ``(seq, hash)`` tips the chain must still contain.
    """
    events = repository.all_events(session)
    head = tip(session)
    records = [_as_record(e) for e in events]
    return len(events), verify_chain(key, records, (head.seq, head.hash), anchors)


def tip(session: Session) -> repository.Tip:
    """The recorded tip (genesis when there is none)."""
    return repository.get_tip(session) or repository.Tip(0, GENESIS_HASH)


def events(
    session: Session,
    *,
    entity_id: str | None = None,
    limit: int = 50,
    before_seq: int | None = None,
) -> Sequence[AuditEvent]:
    return repository.list_events(session, entity_id=entity_id, limit=limit, before_seq=before_seq)


@dataclass(frozen=True)
class Actor:
    """Who acts and when, with the chain key: passed to use cases that leave an audit trail."""

    key: bytes
    name: str
    at: datetime


def log(
    session: Session,
    actor: Actor,
    action: str,
    *,
    entity_type: str,
    entity_id: str,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    return record(
        session,
        key=actor.key,
        at=actor.at,
        actor=actor.name,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        payload=payload or {},
    )


def log_many(session: Session, actor: Actor, entries: Sequence[Entry]) -> list[AuditEvent]:
    return record_many(session, key=actor.key, at=actor.at, actor=actor.name, entries=entries)
