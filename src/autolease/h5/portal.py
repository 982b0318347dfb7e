"""The SP's portal use cases over the documents, review and webhooks domains: the pages
call the same services as `/v1/applications/{id}/documents`, `/v1/applications/{id}/information`
and `/v1/webhooks`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth.principal import Principal
from autolease.documents import service as documents
from autolease.documents.kinds import DocumentKind
from autolease.documents.store import store_for
from autolease.exceptions import FieldError, InputInvalid
from autolease.origination.models import Application
from autolease.review.service import information
from autolease.runtime import Runtime
from autolease.webhooks import service as webhooks
from autolease.webhooks.events import EVENT_TYPES


def answer_information(
    session: Session,
    runtime: Runtime,
    *,
    app: Application,
    principal: Principal,
    message: str,
    uploads: Sequence[tuple[DocumentKind | None, bytes]],
) -> list[int]:
    """Store each uploaded document, then answer the open request naming them; all in the
    request's transaction (a refused file stores nothing and answers nothing)."""
    actor = Actor(runtime.audit_key, principal.actor, runtime.clock.now())
    store = store_for(runtime.settings.documents)
    ids: list[int] = []
    for i, (kind, data) in enumerate(uploads):
        if kind is None:
            error = FieldError(f"kind_{i}", "missing", "choose what the file is", "请选择文件类型")
            raise InputInvalid(f"kind_{i}: missing", errors=[error])
        uploaded = documents.upload(
            session,
            store=store,
            cipher=runtime.cipher,
            settings=runtime.settings.documents,
            app=app,
            principal=principal,
            kind=kind,
            incoming=documents.Incoming(data, f"file_{i}"),
            storage_name=runtime.ids.new("doc"),
            at=actor.at,
        )
        if uploaded.created:
            audit_service.log(
                session,
                actor,
                "document.uploaded",
                entity_type="document",
                entity_id=str(uploaded.document.id),
                payload={"application_id": app.id, "kind": kind.value, "bytes": len(data)},
            )
        ids.append(uploaded.document.id)
    information.answer(
        session,
        app=app,
        principal=principal,
        actor=actor,
        message=message,
        document_ids=ids,
    )
    return ids


def webhook_context(session: Session, principal: Principal) -> dict[str, Any]:
    codes = webhooks.sp_codes(session)
    found = webhooks.list_endpoints(session, principal=principal)
    endpoints = [webhooks.endpoint_read(e, codes) for e in found]
    deliveries = webhooks.delivery_log(
        session, principal=principal, event_id=None, endpoint_id=None, limit=20
    )
    return {
        "endpoints": endpoints,
        "deliveries": deliveries,
        "event_types": EVENT_TYPES,
        "secret": None,
    }
