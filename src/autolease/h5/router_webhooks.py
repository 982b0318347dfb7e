"""The SP's webhook settings page: its endpoints and latest deliveries, registering an
endpoint, pausing or resuming one, a new signing secret (shown once), and sending an event
again. Each action is the `/v1/webhooks` use case (which audits it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Form, Path, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from autolease.audit.service import Actor
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.errors import field_errors
from autolease.exceptions import AutoleaseError
from autolease.h5 import portal
from autolease.kit.ids import MAX_ID
from autolease.web.deps import CsrfDep, WebPrincipalDep
from autolease.web.errors import PageError, refused
from autolease.web.sessions import WebPrincipal
from autolease.web.templates import render
from autolease.webhooks import service as webhooks
from autolease.webhooks.dependencies import UUID_PATTERN
from autolease.webhooks.models import WebhookEndpoint
from autolease.webhooks.schemas import EndpointCreate, EndpointUpdate

router = APIRouter()
EndpointId = Annotated[int, Path(ge=1, le=MAX_ID)]
EventId = Annotated[str, Path(max_length=64, pattern=UUID_PATTERN)]
T = TypeVar("T")


def _actor(runtime: Any, principal: WebPrincipal) -> Actor:
    return Actor(runtime.audit_key, principal.principal.actor, runtime.clock.now())


def _page_call(session: Session, call: Callable[[], T]) -> T:
    """Run a webhooks use case; its refusal becomes the page's error, with nothing written."""
    try:
        return call()
    except AutoleaseError as exc:
        session.rollback()
        raise refused(exc) from None


def _form_error(exc: ValidationError) -> PageError:
    errors = field_errors(exc.errors())
    detail = "; ".join(f"{e.field}: {e.message_zh}" for e in errors)
    return PageError(422, "validation_error", detail)


def _endpoint(session: Session, principal: WebPrincipal, endpoint_id: int) -> WebhookEndpoint:
    return _page_call(
        session,
        lambda: webhooks.visible_endpoint(
            session, endpoint_id=endpoint_id, principal=principal.principal
        ),
    )


def _settings_page(
    request: Request,
    session: Session,
    principal: WebPrincipal,
    *,
    secret: str | None = None,
    status: int = 200,
) -> Response:
    context = portal.webhook_context(session, principal.principal)
    context["secret"] = secret
    return render(request, "h5/webhooks.html", context, status=status)


@router.get("/webhooks")
def webhook_settings(request: Request, session: SessionDep, principal: WebPrincipalDep) -> Response:
    """The SP's webhook endpoints and its latest deliveries."""
    return _settings_page(request, session, principal)


@router.post("/webhooks")
def add_webhook(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    url: Annotated[str, Form(min_length=1, max_length=2000)],
    event_types: Annotated[list[str], Form()],
    description: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    """Register an endpoint; the page shows its signing secret this once."""
    try:
        data = EndpointCreate(url=url, event_types=event_types, description=description or None)
    except ValidationError as exc:
        raise _form_error(exc) from None
    _, secret = _page_call(
        session,
        lambda: webhooks.create_endpoint(
            session,
            principal=principal.principal,
            data=data,
            cipher=runtime.cipher,
            settings=runtime.settings.webhooks,
            production=runtime.settings.environment == "production",
            actor=_actor(runtime, principal),
        ),
    )
    return _settings_page(request, session, principal, secret=secret, status=201)


@router.post("/webhooks/{endpoint_id}/active")
def set_webhook_active(
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    endpoint_id: EndpointId,
    active: Annotated[Literal["true", "false"], Form()],
) -> Response:
    """Pause (``active=false``) or resume (``true``) deliveries to one endpoint."""
    data = EndpointUpdate(active=active == "true")
    webhooks.update_endpoint(
        session,
        endpoint=_endpoint(session, principal, endpoint_id),
        data=data,
        settings=runtime.settings.webhooks,
        production=runtime.settings.environment == "production",
        actor=_actor(runtime, principal),
    )
    return RedirectResponse("/h5/webhooks", status_code=303)


@router.post("/webhooks/{endpoint_id}/secret")
def rotate_webhook_secret(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    endpoint_id: EndpointId,
) -> Response:
    """A new signing secret for one endpoint, shown this once; the old one stops signing."""
    secret = webhooks.rotate_secret(
        session,
        endpoint=_endpoint(session, principal, endpoint_id),
        cipher=runtime.cipher,
        actor=_actor(runtime, principal),
    )
    return _settings_page(request, session, principal, secret=secret)


@router.post("/webhooks/events/{event_id}/redeliver")
def redeliver_webhook_event(
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    event_id: EventId,
    endpoint_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    """Send one event again (same event id) to the endpoint it went to."""
    _page_call(
        session,
        lambda: webhooks.redeliver(
            session,
            event=webhooks.visible_event(session, event_id=event_id, principal=principal.principal),
            endpoint_id=endpoint_id,
            principal=principal.principal,
            actor=_actor(runtime, principal),
        ),
    )
    return RedirectResponse("/h5/webhooks?redelivered=1", status_code=303)
