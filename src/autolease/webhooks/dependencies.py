"""Who may manage webhooks (an SP for itself, an admin for any SP) and the rows they name."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from autolease.auth.dependencies import require_roles
from autolease.auth.principal import Principal, Role
from autolease.dependencies import SessionDep
from autolease.kit.ids import MAX_ID
from autolease.webhooks import service
from autolease.webhooks.models import WebhookEndpoint, WebhookEvent

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

WebhookCallerDep = Annotated[Principal, Depends(require_roles(Role.ADMIN, Role.SP_USER))]
EndpointIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The endpoint's id")]
# Documented, not enforced: an id of another shape is simply not found (404).
EventIdPath = Annotated[
    str, Path(max_length=64, json_schema_extra={"pattern": UUID_PATTERN}, description="UUID")
]


def get_endpoint(
    endpoint_id: EndpointIdPath, session: SessionDep, principal: WebhookCallerDep
) -> WebhookEndpoint:
    return service.visible_endpoint(session, endpoint_id=endpoint_id, principal=principal)


def get_event(
    event_id: EventIdPath, session: SessionDep, principal: WebhookCallerDep
) -> WebhookEvent:
    return service.visible_event(session, event_id=event_id, principal=principal)


EndpointDep = Annotated[WebhookEndpoint, Depends(get_endpoint)]
EventDep = Annotated[WebhookEvent, Depends(get_event)]
