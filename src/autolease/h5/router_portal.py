"""The SP's portal pages beyond the list: answering a reviewer's request for information
with documents and asking for a human review (the webhook settings are in
``router_webhooks``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from autolease.audit.service import Actor
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.documents.kinds import DocumentKind
from autolease.errors import field_errors
from autolease.exceptions import AutoleaseError, NotFound
from autolease.h5 import portal
from autolease.origination import service as origination
from autolease.review.schemas import HumanReviewCreate
from autolease.review.service import human_review
from autolease.web.deps import CsrfDep
from autolease.web.errors import PageError, refused

router = APIRouter()
AppId = Annotated[str, Path(max_length=40)]
Upload = Annotated[UploadFile | None, File()]
Kind = Annotated[DocumentKind | None, Form()]


def _actor(runtime: Any, name: str) -> Actor:
    return Actor(runtime.audit_key, name, runtime.clock.now())


@router.post("/applications/{application_id}/information")
def answer_information(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    application_id: AppId,
    message: Annotated[str, Form(min_length=1, max_length=2000)],
    kind_0: Kind = None,
    file_0: Upload = None,
    kind_1: Kind = None,
    file_1: Upload = None,
) -> Response:
    """Upload the documents asked for and answer the request; back to the application."""
    try:
        app = origination.get_visible(
            session, application_id=application_id, principal=principal.principal
        )
    except NotFound:
        raise PageError(404, "not_found", "no such application") from None
    files = [
        (k, f) for k, f in ((kind_0, file_0), (kind_1, file_1)) if f is not None and f.filename
    ]
    try:
        portal.answer_information(
            session,
            runtime,
            app=app,
            principal=principal.principal,
            message=message,
            uploads=[(k, f.file.read(runtime.settings.documents.max_bytes + 1)) for k, f in files],
        )
    except AutoleaseError as exc:
        session.rollback()
        raise refused(exc) from None
    return RedirectResponse(f"/h5/applications/{app.id}?answered=1", status_code=303)


@router.post("/applications/{application_id}/human-review")
def ask_for_human_review(
    session: SessionDep,
    runtime: RuntimeDep,
    principal: CsrfDep,
    application_id: AppId,
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Record the applicant's request for a human review (the API's use case); back to the
    application, which then shows the open request."""
    try:
        app = origination.get_visible(
            session, application_id=application_id, principal=principal.principal
        )
    except NotFound:
        raise PageError(404, "not_found", "no such application") from None
    try:
        body = HumanReviewCreate(reason=reason)
    except ValidationError as exc:
        errors = field_errors(exc.errors())
        raise PageError(422, "validation_error", "; ".join(e.message_zh for e in errors)) from None
    try:
        human_review.request_review(
            session,
            app=app,
            principal=principal.principal,
            actor=_actor(runtime, principal.principal.actor),
            reason=body.reason,
        )
    except AutoleaseError as exc:
        session.rollback()
        raise refused(exc) from None
    return RedirectResponse(f"/h5/applications/{app.id}?review_requested=1", status_code=303)
