"""The workbench's pages: the queue (HTMX filters and pages), the case on one screen with its
graph, claims, verdict and four-eyes forms, the replay and audited reveals."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth.dependencies import actor_of
from autolease.auth.principal import Role
from autolease.decision import service as decision_service
from autolease.decision.dependencies import decisions_of
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.documents import service as documents_service
from autolease.documents.dependencies import DocumentStoreDep
from autolease.documents.schemas import DocumentRead
from autolease.exceptions import AutoleaseError
from autolease.fraud.service.scoring import link_policy
from autolease.kit.ids import MAX_ID
from autolease.origination import service as origination_service
from autolease.origination.models import Application
from autolease.review.schemas import VerdictRequest
from autolease.review.service import casefile, cases, metrics, queue, reveal, verdicts
from autolease.review.settings import review_settings
from autolease.review.vocabulary import (
    DOCUMENT_KINDS,
    REASON_CODES,
    AgeBand,
    AmountBand,
    CaseState,
    Verdict,
)
from autolease.runtime import Runtime
from autolease.web.deps import CsrfDep, require_web_roles
from autolease.web.errors import PageError
from autolease.web.sessions import WebPrincipal
from autolease.web.surface import Surface
from autolease.web.templates import render

PREFIX = "/console/review"
router = APIRouter(prefix=PREFIX, include_in_schema=False)

ReviewPage = Annotated[WebPrincipal, Depends(require_web_roles(Role.REVIEWER, Role.ADMIN))]
ReviewerPage = Annotated[WebPrincipal, Depends(require_web_roles(Role.REVIEWER))]
Code = Annotated[str | None, Query(max_length=60, pattern=r"^[A-Za-z0-9_]*$")]
Note = Annotated[str, Form(min_length=1, max_length=2000)]
Optional = Annotated[str, Form(max_length=500)]


def _case_url(app_id: str) -> str:
    return f"{PREFIX}/cases/{app_id}"


def _app(session: Session, principal: WebPrincipal, app_id: str) -> Application:
    return origination_service.get_visible(
        session, application_id=app_id, principal=principal.principal
    )


def _actor(runtime: Runtime, principal: WebPrincipal) -> Actor:
    return actor_of(runtime, principal.principal)


@router.get("/")
def review_home() -> Response:
    return RedirectResponse(PREFIX + "/queue", status_code=303)


@router.get("/queue")
def queue_page(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: ReviewPage,
    sp: Annotated[str | None, Query(max_length=40)] = None,
    reason: Code = None,
    stage: Code = None,
    amount_band: Annotated[AmountBand | None, Query()] = None,
    age: Annotated[AgeBand | None, Query()] = None,
    state: Annotated[CaseState | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The queue; an HTMX request gets only the rows (a filter change or the next page)."""
    settings = review_settings(runtime.settings)
    filters = queue.QueueFilters(
        sp_code=sp or None,
        reason_code=reason or None,
        stage=stage or None,
        amount_band=amount_band,
        age=age,
        state=state,
        cursor=cursor or None,
        limit=settings.page_size,
    )
    try:
        page = queue.page(session, filters=filters, now=runtime.clock.now(), settings=settings)
    except AutoleaseError as exc:
        raise PageError(422, exc.code, exc.detail) from exc
    query = {k: v for k, v in request.query_params.items() if k != "cursor" and v}
    context = {"page": page, "query": query, "me": principal.principal.actor}
    if request.headers.get("hx-request") == "true":
        return render(request, "review/_rows.html", context)
    return render(
        request,
        "review/queue.html",
        {
            **context,
            "amount_bands": list(AmountBand),
            "age_bands": list(AgeBand),
            "states": list(CaseState),
        },
    )


@router.get("/figures")
def figures_fragment(
    request: Request, session: SessionDep, runtime: RuntimeDep, _: ReviewPage
) -> Response:
    """The queue's figures (loaded by the queue page after it is shown)."""
    settings = review_settings(runtime.settings)
    figures = metrics.figures(session, now=runtime.clock.now(), window_days=7, settings=settings)
    return render(request, "review/_figures.html", {"figures": figures})


@router.get("/cases/{application_id}")
def case_page(
    application_id: str,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: ReviewPage,
) -> Response:
    """The case on one screen."""
    app = _app(session, principal, application_id)
    settings = review_settings(runtime.settings)
    data = casefile.case_file(
        session,
        app=app,
        now=runtime.clock.now(),
        link_policy=link_policy(runtime.settings.fraud),
        sla_hours=settings.sla_hours,
    )
    review = data["review"] or {}
    pending = next((v for v in review.get("verdicts", []) if v["status"] == "pending"), None)
    return render(
        request,
        "review/case.html",
        {
            "case": data,
            "review": review,
            "pending": pending,
            "me": principal.principal.actor,
            "is_reviewer": principal.role is Role.REVIEWER,
            "reason_codes": {v.value: codes for v, codes in REASON_CODES.items()},
            "document_kinds": DOCUMENT_KINDS,
            "verdicts": [v.value for v in Verdict],
            "graph_json": json.dumps(data["graph"], ensure_ascii=False).replace("</", "<\\/"),
            "case_base": PREFIX + "/cases/",
            "documents": [
                DocumentRead.of(doc)
                for doc in documents_service.list_for_application(session, application_id=app.id)
            ],
        },
    )


@router.get("/cases/{application_id}/documents/{document_id}")
def document_content(
    application_id: str,
    document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    runtime: RuntimeDep,
    store: DocumentStoreDep,
    principal: ReviewPage,
) -> Response:
    """One of the case's documents, shown in the browser (every read is audited)."""
    app = _app(session, principal, application_id)
    doc = documents_service.get(session, application_id=app.id, document_id=document_id)
    data = documents_service.read_content(store, runtime.cipher, doc)
    audit_service.log(
        session,
        _actor(runtime, principal),
        "document.read",
        entity_type="document",
        entity_id=str(doc.id),
        payload={"application_id": app.id},
    )
    return Response(
        content=data,
        media_type=doc.content_type,
        headers={
            "Content-Disposition": "inline",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
        },
    )


@router.post("/cases/{application_id}/claim")
def claim(
    application_id: str,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    _: ReviewerPage,
) -> Response:
    app = _app(session, principal, application_id)
    cases.claim(session, app=app, actor=_actor(runtime, principal))
    return RedirectResponse(_case_url(app.id), status_code=303)


@router.post("/cases/{application_id}/release")
def release(
    application_id: str,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    _: ReviewPage,
    note: Optional = "",
) -> Response:
    app = _app(session, principal, application_id)
    cases.release(
        session,
        app=app,
        actor=_actor(runtime, principal),
        principal=principal.principal,
        note=note or None,
    )
    return RedirectResponse(_case_url(app.id), status_code=303)


@router.post("/cases/{application_id}/verdict")
def verdict(
    application_id: str,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    _: ReviewerPage,
    verdict: Annotated[str, Form(max_length=30)],
    reason_code: Annotated[str, Form(max_length=40)],
    internal_note: Note,
    sp_message: Optional = "",
    offer_rank: Annotated[str, Form(max_length=3)] = "",
    checklist: Annotated[list[str] | None, Form(max_length=20)] = None,
    checklist_other: Optional = "",
) -> Response:
    """The verdict form: checked document kinds and one free-text item make the checklist."""
    items: list[dict[str, Any]] = [{"kind": k} for k in checklist or []]
    if checklist_other.strip():
        items.append({"kind": "other", "text": checklist_other.strip()})
    body = _verdict_body(verdict, reason_code, internal_note, sp_message, offer_rank, items)
    app = _app(session, principal, application_id)
    given = verdicts.VerdictInput(
        verdict=body.verdict,
        reason_code=body.reason_code,
        internal_note=body.internal_note,
        sp_message=body.sp_message,
        offer_rank=body.offer_rank,
        checklist=tuple(i.model_dump() for i in body.checklist or ()),
    )
    verdicts.give(
        session,
        app=app,
        given=given,
        actor=_actor(runtime, principal),
        role=verdicts.decided_by_role(principal.principal),
        settings=review_settings(runtime.settings),
    )
    return RedirectResponse(_case_url(app.id), status_code=303)


def _verdict_body(
    verdict: str,
    reason_code: str,
    internal_note: str,
    sp_message: str,
    offer_rank: str,
    items: list[dict[str, Any]],
) -> VerdictRequest:
    raw: dict[str, Any] = {
        "verdict": verdict,
        "reason_code": reason_code,
        "internal_note": internal_note,
        "sp_message": sp_message or None,
        "offer_rank": offer_rank or None,
        "checklist": items or None,
    }
    try:
        return VerdictRequest.model_validate(raw)
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise PageError(422, "validation_error", f"check these fields: {fields}") from None


@router.post("/cases/{application_id}/confirm")
def confirm(
    application_id: str,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    _: ReviewerPage,
    decision: Annotated[str, Form(pattern="^(confirm|reject)$")],
    note: Note,
) -> Response:
    app = _app(session, principal, application_id)
    verdicts.confirm(
        session,
        app=app,
        accept=decision == "confirm",
        note=note,
        actor=_actor(runtime, principal),
        role=verdicts.decided_by_role(principal.principal),
    )
    return RedirectResponse(_case_url(app.id), status_code=303)


@router.get("/cases/{application_id}/replay")
def replay(
    application_id: str,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: ReviewPage,
) -> Response:
    """The replay's result as a fragment (the case page's replay button)."""
    app = _app(session, principal, application_id)
    decision = origination_service.decision_of(session, app=app)
    try:
        report: dict[str, Any] | None = decision_service.replay(
            session, decision_id=decision.id, engine=decisions_of(runtime).engine
        ).as_dict()
        error = None
    except AutoleaseError as exc:
        report, error = None, exc.detail
    return render(request, "review/_replay.html", {"report": report, "error": error})


@router.post("/cases/{application_id}/reveal")
def reveal_field(
    application_id: str,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    _: ReviewPage,
    field: Annotated[str, Form(pattern="^(name|id_number|phone|bank_card|address)$")],
    reason: Annotated[str, Form(min_length=5, max_length=500)],
) -> Response:
    """One field in clear (a fragment), for a stated reason; audited."""
    app = _app(session, principal, application_id)
    value = reveal.reveal(
        session,
        app=app,
        field=field,
        reason=reason,
        actor=_actor(runtime, principal),
        cipher=runtime.cipher,
    )
    return render(request, "review/_reveal.html", {"field": field, "value": value})


SURFACE = Surface(
    name="review",
    package="autolease.review.pages",
    prefix=PREFIX,
    login_path="/console/login",
    roles=frozenset({Role.REVIEWER, Role.ADMIN}),
    router=router,
    has_static=True,
)
