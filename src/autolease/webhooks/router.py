"""Webhook endpoints, events, the delivery log and redelivery (prefix ``/v1/webhooks``).

An SP (API key or SP user) manages its own; an admin manages any SP's (naming it by
``sp_code`` when registering). Other staff roles get 403.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, status

from autolease.auth.dependencies import ActorDep
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.kit.ids import MAX_ID
from autolease.webhooks import service
from autolease.webhooks.dependencies import (
    UUID_PATTERN,
    EndpointDep,
    EventDep,
    WebhookCallerDep,
)
from autolease.webhooks.schemas import (
    DeliveryRead,
    EndpointCreate,
    EndpointCreated,
    EndpointRead,
    EndpointUpdate,
    EventRead,
    Redeliver,
    Redelivered,
)

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

Limit = Annotated[int, Query(ge=1, le=200, description="At most this many rows")]


def _production(runtime: Any) -> bool:
    return bool(runtime.settings.environment == "production")


@router.post("/endpoints", response_model=EndpointCreated, status_code=status.HTTP_201_CREATED)
def create_endpoint(
    body: EndpointCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: WebhookCallerDep,
    actor: ActorDep,
) -> EndpointCreated:
    """Register an endpoint. The response carries its signing secret, shown only this once."""
    endpoint, secret = service.create_endpoint(
        session,
        principal=principal,
        data=body,
        cipher=runtime.cipher,
        settings=runtime.settings.webhooks,
        production=_production(runtime),
        actor=actor,
    )
    codes = service.sp_codes(session)
    return service.created_read(endpoint, codes[endpoint.sp_id], secret)


@router.get("/endpoints", response_model=list[EndpointRead])
def list_endpoints(session: SessionDep, principal: WebhookCallerDep) -> list[EndpointRead]:
    codes = service.sp_codes(session)
    return [
        service.endpoint_read(e, codes)
        for e in service.list_endpoints(session, principal=principal)
    ]


@router.get("/endpoints/{endpoint_id}", response_model=EndpointRead)
def get_endpoint(endpoint: EndpointDep, session: SessionDep) -> EndpointRead:
    return service.endpoint_read(endpoint, service.sp_codes(session))


@router.patch("/endpoints/{endpoint_id}", response_model=EndpointRead)
def update_endpoint(
    endpoint: EndpointDep,
    body: EndpointUpdate,
    session: SessionDep,
    runtime: RuntimeDep,
    actor: ActorDep,
) -> EndpointRead:
    """Change the URL, the event types, the description, or turn it off and on."""
    service.update_endpoint(
        session,
        endpoint=endpoint,
        data=body,
        settings=runtime.settings.webhooks,
        production=_production(runtime),
        actor=actor,
    )
    return service.endpoint_read(endpoint, service.sp_codes(session))


@router.post("/endpoints/{endpoint_id}/secret", response_model=EndpointCreated)
def rotate_secret(
    endpoint: EndpointDep, session: SessionDep, runtime: RuntimeDep, actor: ActorDep
) -> EndpointCreated:
    """A new signing secret, shown only this once; the old one stops signing at once."""
    secret = service.rotate_secret(session, endpoint=endpoint, cipher=runtime.cipher, actor=actor)
    codes = service.sp_codes(session)
    return service.created_read(endpoint, codes[endpoint.sp_id], secret)


@router.get("/events", response_model=list[EventRead])
def list_events(
    session: SessionDep,
    principal: WebhookCallerDep,
    application_id: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = 50,
) -> list[EventRead]:
    """The newest events first (each status change of the caller's applications)."""
    rows = service.list_events(
        session, principal=principal, application_id=application_id, limit=limit
    )
    return [service.event_read(e) for e in rows]


@router.get("/events/{event_id}", response_model=EventRead)
def get_event(event: EventDep) -> EventRead:
    return service.event_read(event)


@router.post(
    "/events/{event_id}/redeliver",
    response_model=Redelivered,
    status_code=status.HTTP_202_ACCEPTED,
)
def redeliver(
    event: EventDep,
    session: SessionDep,
    principal: WebhookCallerDep,
    actor: ActorDep,
    body: Annotated[
        Redeliver | None,
        Body(
            openapi_examples={"one endpoint": {"value": {"endpoint_id": 1}}, "all": {"value": {}}}
        ),
    ] = None,
) -> Redelivered:
    """Send the event again (same event id): to one endpoint, or to every subscribed one."""
    ids = service.redeliver(
        session,
        event=event,
        endpoint_id=body.endpoint_id if body else None,
        principal=principal,
        actor=actor,
    )
    return Redelivered(event_id=event.id, deliveries=ids)


@router.get("/deliveries", response_model=list[DeliveryRead])
def delivery_log(
    session: SessionDep,
    principal: WebhookCallerDep,
    event_id: Annotated[
        str | None, Query(max_length=64, json_schema_extra={"pattern": UUID_PATTERN})
    ] = None,
    endpoint_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Limit = 50,
) -> list[DeliveryRead]:
    """Deliveries, newest first, each with its attempts (status code, latency, error)."""
    return service.delivery_log(
        session, principal=principal, event_id=event_id, endpoint_id=endpoint_id, limit=limit
    )
