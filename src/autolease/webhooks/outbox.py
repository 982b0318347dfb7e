"""The transactional outbox: status changes become webhook events in the same transaction.

`origination.service.persist` calls `publish` wherever it writes application status events
(the intake's rows and every later `transition`), so an event exists exactly when its change
was committed, and a rollback takes both away. The event id's bits come from the random
source the runtime puts into every session's ``info`` (`kit.ids.SESSION_RANDOM_KEY`); the
time is the change's own, from the injected clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from autolease.db import insert_rows
from autolease.kit.ids import SESSION_RANDOM_KEY, RandomSource, SystemRandom
from autolease.origination.models import Application, ApplicationStatusEvent
from autolease.webhooks import repository
from autolease.webhooks.events import StatusChange, event_type_of, new_event_id, subscribed
from autolease.webhooks.models import WebhookDelivery, WebhookEvent

_FALLBACK = SystemRandom()


def random_of(session: Session) -> RandomSource:
    """The injected random source of the session's runtime (the system's when none is)."""
    source = session.info.get(SESSION_RANDOM_KEY)
    return source if source is not None else _FALLBACK


def publish(
    session: Session, app: Application, changes: Sequence[ApplicationStatusEvent]
) -> list[WebhookEvent]:
    """Write one event per status change of `app`, and a pending delivery of it to each of the
    SP's active endpoints subscribed to its type. Never commits."""
    if not changes:
        return []
    rng = random_of(session)
    events = [_event(app, change, rng) for change in changes]
    insert_rows(session, events, fetch_keys=False)
    endpoints = repository.active_endpoint_types(session, app.sp_id)
    deliveries = [
        pending_delivery(event.id, endpoint_id, event.occurred_at)
        for event in events
        for endpoint_id, types in endpoints
        if subscribed(types, event.type)
    ]
    insert_rows(session, deliveries, fetch_keys=False)
    return events


def _event(app: Application, change: ApplicationStatusEvent, rng: RandomSource) -> WebhookEvent:
    data = StatusChange(app.id, change.to_status, change.from_status).data()
    return WebhookEvent(
        id=new_event_id(rng),
        sp_id=app.sp_id,
        application_id=app.id,
        type=event_type_of(change.to_status),
        occurred_at=change.occurred_at,
        data=data,
    )


def pending_delivery(event_id: str, endpoint_id: int, at: datetime) -> WebhookDelivery:
    """A delivery due at `at` (a new event's time, or now for a redelivery)."""
    return WebhookDelivery(
        event_id=event_id,
        endpoint_id=endpoint_id,
        state="pending",
        attempts=0,
        next_attempt_at=at,
        claim=None,
        created_at=at,
        delivered_at=None,
    )
