"""Webhook use cases: endpoints (secret shown once), events, the delivery log, redelivery.
Every change is audited here, so the API and the pages record it alike.

Tenancy is checked where a row is loaded: an SP sees its own endpoints, events and
deliveries; an admin sees every SP's. Never commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth.principal import Principal
from autolease.db import insert_rows
from autolease.dealer import service as dealer_service
from autolease.dealer.exceptions import SpNotFound
from autolease.kit.crypto import FieldCipher
from autolease.webhooks import repository
from autolease.webhooks.events import subscribed
from autolease.webhooks.exceptions import (
    EndpointNotFound,
    EventNotFound,
    NotForThisSp,
    WebhookInputInvalid,
)
from autolease.webhooks.models import SECRET_CONTEXT, WebhookEndpoint, WebhookEvent
from autolease.webhooks.outbox import pending_delivery
from autolease.webhooks.schemas import (
    AttemptRead,
    DeliveryRead,
    EndpointCreate,
    EndpointCreated,
    EndpointRead,
    EndpointUpdate,
    EventRead,
)
from autolease.webhooks.settings import WebhookSettings
from autolease.webhooks.urls import UrlInvalid, check_url

SECRET_PREFIX = "whsec_"
ENDPOINT = "webhook_endpoint"
HINT_CHARS = 4


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def checked_url(url: str, settings: WebhookSettings, *, production: bool) -> str:
    try:
        return check_url(
            url, allow_plain_http_localhost=settings.allow_plain_http_localhost and not production
        )
    except UrlInvalid as err:
        raise WebhookInputInvalid.of("url", err.rule, err.message_en, err.message_zh) from None


def _sp_of(session: Session, principal: Principal, sp_code: str | None) -> int:
    """The SP an endpoint is made for: the caller's own, or the one an admin names."""
    if principal.sp_id is not None:
        if sp_code is not None and sp_code != principal.sp_code:
            raise NotForThisSp("an SP registers endpoints for itself only; leave sp_code out")
        return principal.sp_id
    if sp_code is None:
        raise WebhookInputInvalid.of(
            "sp_code", "missing", "staff name the SP (sp_code)", "员工须指定服务商代码（sp_code）"
        )
    try:
        return dealer_service.get_by_code(session, code=sp_code).id
    except SpNotFound:
        raise WebhookInputInvalid.of(
            "sp_code", "unknown", "no SP with this code", "无此服务商代码"
        ) from None


def create_endpoint(
    session: Session,
    *,
    principal: Principal,
    data: EndpointCreate,
    cipher: FieldCipher,
    settings: WebhookSettings,
    production: bool,
    actor: Actor,
) -> tuple[WebhookEndpoint, str]:
    """The new endpoint and its secret (returned this once; stored encrypted); audited."""
    at = actor.at
    url = checked_url(data.url, settings, production=production)
    sp_id = _sp_of(session, principal, data.sp_code)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        sp_id=sp_id,
        url=url,
        event_types=list(data.event_types),
        active=data.active,
        description=data.description,
        secret_enc=cipher.encrypt(secret, context=SECRET_CONTEXT),
        secret_hint=secret[-HINT_CHARS:],
        created_at=at,
        updated_at=at,
    )
    session.add(endpoint)
    session.flush()
    audit_service.log(
        session,
        actor,
        "webhook.endpoint_created",
        entity_type=ENDPOINT,
        entity_id=str(endpoint.id),
        payload={"sp_id": endpoint.sp_id, "event_types": endpoint.event_types},
    )
    return endpoint, secret


def visible_endpoint(
    session: Session, *, endpoint_id: int, principal: Principal
) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not principal.can_see_sp(endpoint.sp_id):
        raise EndpointNotFound(f"no webhook endpoint {endpoint_id}")
    return endpoint


def update_endpoint(
    session: Session,
    *,
    endpoint: WebhookEndpoint,
    data: EndpointUpdate,
    settings: WebhookSettings,
    production: bool,
    actor: Actor,
) -> WebhookEndpoint:
    """Change what `data` names; audited with the names of the fields sent."""
    if data.url is not None:
        endpoint.url = checked_url(data.url, settings, production=production)
    if data.event_types is not None:
        endpoint.event_types = list(data.event_types)
    if data.active is not None:
        endpoint.active = data.active
    if "description" in data.model_fields_set:
        endpoint.description = data.description
    endpoint.updated_at = actor.at
    session.flush()
    audit_service.log(
        session,
        actor,
        "webhook.endpoint_updated",
        entity_type=ENDPOINT,
        entity_id=str(endpoint.id),
        payload={"fields": sorted(data.model_fields_set)},
    )
    return endpoint


def rotate_secret(
    session: Session, *, endpoint: WebhookEndpoint, cipher: FieldCipher, actor: Actor
) -> str:
    """A new secret for the endpoint, returned this once; the old one stops signing now."""
    secret = new_secret()
    endpoint.secret_enc = cipher.encrypt(secret, context=SECRET_CONTEXT)
    endpoint.secret_hint = secret[-HINT_CHARS:]
    endpoint.updated_at = actor.at
    session.flush()
    audit_service.log(
        session, actor, "webhook.secret_rotated", entity_type=ENDPOINT, entity_id=str(endpoint.id)
    )
    return secret


def list_endpoints(session: Session, *, principal: Principal) -> Sequence[WebhookEndpoint]:
    return repository.endpoints(session, principal.sp_id)


def list_events(
    session: Session, *, principal: Principal, application_id: str | None, limit: int
) -> Sequence[WebhookEvent]:
    return repository.events_page(
        session, sp_id=principal.sp_id, application_id=application_id, limit=limit
    )


def visible_event(session: Session, *, event_id: str, principal: Principal) -> WebhookEvent:
    event = session.get(WebhookEvent, event_id)
    if event is None or not principal.can_see_sp(event.sp_id):
        raise EventNotFound(f"no webhook event {event_id!r}")
    return event


def redeliver(
    session: Session,
    *,
    event: WebhookEvent,
    endpoint_id: int | None,
    principal: Principal,
    actor: Actor,
) -> list[int]:
    """New pending deliveries of `event` (same event id): to one endpoint of its SP, or to
    every active one subscribed to its type."""
    if endpoint_id is not None:
        endpoint = visible_endpoint(session, endpoint_id=endpoint_id, principal=principal)
        if endpoint.sp_id != event.sp_id:
            raise EndpointNotFound(f"no webhook endpoint {endpoint_id} for this event's SP")
        targets = [endpoint.id]
    else:
        targets = [
            endpoint_id
            for endpoint_id, types in repository.active_endpoint_types(session, event.sp_id)
            if subscribed(types, event.type)
        ]
    rows = [pending_delivery(event.id, target, actor.at) for target in targets]
    insert_rows(session, rows)
    ids = [row.id for row in rows]
    audit_service.log(
        session,
        actor,
        "webhook.redelivered",
        entity_type="webhook_event",
        entity_id=event.id,
        payload={"deliveries": ids},
    )
    return ids


def endpoint_read(endpoint: WebhookEndpoint, sp_codes: dict[int, str]) -> EndpointRead:
    return EndpointRead(
        id=endpoint.id,
        sp_code=sp_codes[endpoint.sp_id],
        url=endpoint.url,
        event_types=list(endpoint.event_types),
        active=endpoint.active,
        description=endpoint.description,
        secret_hint=endpoint.secret_hint,
        created_at=endpoint.created_at,
        updated_at=endpoint.updated_at,
    )


def created_read(endpoint: WebhookEndpoint, sp_code: str, secret: str) -> EndpointCreated:
    read = endpoint_read(endpoint, {endpoint.sp_id: sp_code})
    return EndpointCreated(**read.model_dump(), secret=secret)


def sp_codes(session: Session) -> dict[int, str]:
    return {sp.id: sp.code for sp in dealer_service.list_all(session)}


def event_read(event: WebhookEvent) -> EventRead:
    return EventRead(
        id=event.id,
        type=event.type,
        application_id=event.application_id,
        occurred_at=event.occurred_at,
        data=dict(event.data),
    )


def delivery_log(
    session: Session,
    *,
    principal: Principal,
    event_id: str | None,
    endpoint_id: int | None,
    limit: int,
) -> list[DeliveryRead]:
    rows = repository.deliveries(
        session, sp_id=principal.sp_id, event_id=event_id, endpoint_id=endpoint_id, limit=limit
    )
    attempts = repository.attempts_of(session, [row.id for row in rows])
    return [
        DeliveryRead(
            id=row.id,
            event_id=row.event_id,
            endpoint_id=row.endpoint_id,
            state=row.state,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at if row.state == repository.PENDING else None,
            delivered_at=row.delivered_at,
            log=[
                AttemptRead(
                    number=a.number,
                    attempted_at=a.attempted_at,
                    status_code=a.status_code,
                    latency_ms=a.latency_ms,
                    error=a.error,
                )
                for a in attempts[row.id]
            ],
        )
        for row in rows
    ]
