"""The audit trail: newest records first, by entity, a page at a time; and the chain check
(the keyed hash chain and its tip, `audit.service.verify`), drawn in place with HTMX."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from autolease.audit import service as audit_service
from autolease.console.helpers import AdminPage
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.web.templates import render

router = APIRouter(prefix="/console/admin/audit", include_in_schema=False)
PAGE = 50


@router.get("")
def index(
    request: Request,
    session: SessionDep,
    _: AdminPage,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    before: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    rows = audit_service.events(session, entity_id=entity or None, limit=PAGE, before_seq=before)
    older = rows[-1].seq if len(rows) == PAGE else None
    events = [
        {
            "seq": e.seq,
            "at": e.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
            "actor": e.actor,
            "action": e.action,
            "entity_type": e.entity_type,
            "entity_id": e.entity_id,
            "details": json.dumps(e.payload, ensure_ascii=False, sort_keys=True),
        }
        for e in rows
    ]
    context = {"events": events, "entity": entity or "", "older": older}
    return render(request, "console/admin_audit.html", context)


@router.get("/verify")
def verify(request: Request, session: SessionDep, runtime: RuntimeDep, _: AdminPage) -> Response:
    checked, problem = audit_service.verify(session, key=runtime.audit_key)
    context = {"checked": checked, "problem": problem}
    return render(request, "console/admin_audit_verify.html", context)
