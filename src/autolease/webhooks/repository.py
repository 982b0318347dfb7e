"""Webhook queries, including the worker's claim of due deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from autolease.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


def active_endpoint_types(session: Session, sp_id: int) -> list[tuple[int, list[str]]]:
    rows = session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.event_types).where(
            WebhookEndpoint.sp_id == sp_id, WebhookEndpoint.active.is_(True)
        )
    )
    return [(endpoint_id, list(types)) for endpoint_id, types in rows]


def endpoints(session: Session, sp_id: int | None) -> Sequence[WebhookEndpoint]:
    query = select(WebhookEndpoint).order_by(WebhookEndpoint.id)
    if sp_id is not None:
        query = query.where(WebhookEndpoint.sp_id == sp_id)
    return session.scalars(query).all()


def events_page(
    session: Session, *, sp_id: int | None, application_id: str | None, limit: int
) -> Sequence[WebhookEvent]:
    query = select(WebhookEvent).order_by(WebhookEvent.occurred_at.desc(), WebhookEvent.id)
    if sp_id is not None:
        query = query.where(WebhookEvent.sp_id == sp_id)
    if application_id is not None:
        query = query.where(WebhookEvent.application_id == application_id)
    return session.scalars(query.limit(limit)).all()


def deliveries(
    session: Session,
    *,
    sp_id: int | None,
    event_id: str | None,
    endpoint_id: int | None,
    limit: int,
) -> Sequence[WebhookDelivery]:
    query = (
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .order_by(WebhookDelivery.id.desc())
    )
    if sp_id is not None:
        query = query.where(WebhookEndpoint.sp_id == sp_id)
    if event_id is not None:
        query = query.where(WebhookDelivery.event_id == event_id)
    if endpoint_id is not None:
        query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
    return session.scalars(query.limit(limit)).all()


def attempts_of(session: Session, delivery_ids: list[int]) -> dict[int, list[WebhookAttempt]]:
    out: dict[int, list[WebhookAttempt]] = {i: [] for i in delivery_ids}
    if not delivery_ids:
        return out
    rows = session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(delivery_ids))
        .order_by(WebhookAttempt.delivery_id, WebhookAttempt.number)
    )
    for row in rows:
        out[row.delivery_id].append(row)
    return out


@dataclass(frozen=True)
class Claimed:
    """A delivery a worker holds, with what it needs to post it."""

    delivery_id: int
    attempts: int
    event_id: str
    event_type: str
    occurred_at: datetime
    data: dict[str, object]
    url: str
    secret_enc: str


def claim_due(
    session: Session, *, now: datetime, lease_until: datetime, token: str, limit: int
) -> list[Claimed]:
    """Claim up to `limit` due pending deliveries for this worker, safely against others.

    On PostgreSQL the candidates are locked with ``FOR UPDATE SKIP LOCKED``, so concurrent
    workers take disjoint rows without waiting. On SQLite (one writer at a time) the update
    itself is guarded: it only takes rows still pending and due. Deliveries to an inactive
    endpoint wait until it is active again. Claiming moves
    ``next_attempt_at`` to the end of the lease, so a worker that dies leaves its rows to be
    claimed again when the lease ends; the claim token guards the recording of the result.
    """
    due = (
        select(WebhookDelivery.id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.state == PENDING,
            WebhookDelivery.next_attempt_at <= now,
            WebhookEndpoint.active.is_(True),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True, of=WebhookDelivery)
    ids = list(session.scalars(due))
    if not ids:
        return []
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id.in_(ids),
            WebhookDelivery.state == PENDING,
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(claim=token, next_attempt_at=lease_until)
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(
        select(
            WebhookDelivery.id,
            WebhookDelivery.attempts,
            WebhookEvent.id,
            WebhookEvent.type,
            WebhookEvent.occurred_at,
            WebhookEvent.data,
            WebhookEndpoint.url,
            WebhookEndpoint.secret_enc,
        )
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.claim == token, WebhookDelivery.id.in_(ids))
        .order_by(WebhookDelivery.id)
    )
    return [Claimed(*row) for row in rows]
