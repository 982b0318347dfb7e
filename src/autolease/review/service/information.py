"""The SP's answer to a request for information: a message and the ids of the documents it
uploaded. The application goes back to the reviewers' queue, to the reviewer who asked."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth.principal import Principal
from autolease.dealer import service as dealer_service
from autolease.documents import service as documents_service
from autolease.exceptions import Forbidden
from autolease.origination.models import Application
from autolease.origination.service.persist import transition
from autolease.review import repository
from autolease.review.exceptions import CaseNotOpen, invalid
from autolease.review.models import InformationRequest, move
from autolease.review.service.cases import ensure_case
from autolease.review.vocabulary import CaseState

DocumentCheck = Callable[[Session, Application, Sequence[int]], None]
"""Raises when an id is not a document of this application and its SP."""


def documents_of_application(session: Session, app: Application, ids: Sequence[int]) -> None:
    """Every id names a document of this application uploaded by its SP (the documents
    domain's `require_for_application`; `DocumentsUnknown` names each bad position)."""
    if ids:
        sp = dealer_service.get(session, sp_id=app.sp_id)
        documents_service.require_for_application(
            session, sp_code=sp.code, application_id=app.id, document_ids=ids
        )


def answer(
    session: Session,
    *,
    app: Application,
    principal: Principal,
    actor: Actor,
    message: str,
    document_ids: Sequence[int],
    check: DocumentCheck = documents_of_application,
) -> InformationRequest:
    """Record the SP's answer and send the case back to the queue.

    Raises
    ------
    Forbidden
        A staff caller: only the application's SP answers.
    CaseNotOpen
        No request for information is open.
    VerdictInvalid
        A repeated document id.
    DocumentsUnknown
        An id that is not a document of this application and SP.
    """
    if principal.sp_id is None:
        raise Forbidden("only the application's SP answers a request for information")
    case = ensure_case(session, app)
    request = repository.open_info_request(session, case.id)
    if app.status != "info_requested" or request is None:
        raise CaseNotOpen(f"no request for information is open on {app.id}")
    if len(set(document_ids)) != len(document_ids):
        raise invalid("document_ids", "unique", "a document id is listed twice", "文件编号重复")
    check(session, app, document_ids)
    request.answered_at, request.answer_message = actor.at, message
    request.document_ids = list(document_ids)
    move(case, CaseState.OPEN.value)
    transition(session, app, "referred", actor, "information provided")
    session.flush()
    audit_service.log(
        session,
        actor,
        "application.information_provided",
        entity_type="application",
        entity_id=app.id,
        payload={"request_id": request.id, "document_ids": list(document_ids)},
    )
    return request
