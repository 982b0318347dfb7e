"""The applicant asks, through its SP, for a person to review a decline or a referral
(PIPL Art. 24). The request opens the application's review case, or re-opens a closed one,
with the case reason `APPLICANT_REVIEW_REQUESTED`; a declined application goes back to
`referred`. While the case waits, asking again returns the open request."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth.principal import Principal
from autolease.exceptions import FieldError, Forbidden
from autolease.origination.models import Application
from autolease.origination.service.persist import transition
from autolease.review import repository
from autolease.review.exceptions import HumanReviewNotAllowed
from autolease.review.models import HumanReviewRequest, ReviewCase, ReviewCaseReason, move
from autolease.review.service.cases import ensure_case, open_case_now
from autolease.review.service.opening import case_of
from autolease.review.vocabulary import HUMAN_REVIEW_REASON, HUMAN_REVIEW_STAGE, CaseState

REQUESTABLE_STATUSES = frozenset({"declined", "referred"})


@dataclass(frozen=True)
class Requested:
    request: HumanReviewRequest
    case: ReviewCase
    created: bool  # False: the open request returned again


def is_open(case: ReviewCase) -> bool:
    """A request is open while its case waits in the queue (its verdict answers it)."""
    return case.state != CaseState.CLOSED


def open_request(session: Session, application_id: str) -> HumanReviewRequest | None:
    """The application's open request for a human review, if any (a read: no lock)."""
    case = case_of(session, application_id)
    if case is None or not is_open(case):
        return None
    return repository.latest_human_request(session, case.id)


def request_review(
    session: Session, *, app: Application, principal: Principal, actor: Actor, reason: str
) -> Requested:
    """Record the request and put the application in the reviewers' queue.

    Raises
    ------
    Forbidden
        A staff caller: only the application's SP asks on the applicant's behalf.
    HumanReviewNotAllowed
        The application is neither declined nor referred (names the field ``status``).
    """
    if principal.sp_id is None:
        raise Forbidden("only the application's SP asks for a human review")
    # Two requests at once for an application with no case would both open one: the row lock
    # (PostgreSQL; SQLite serialises writers) makes the second see the first's open request.
    session.refresh(app, with_for_update=True)
    case = repository.case_for_update(session, app.id)
    if case is not None and is_open(case):
        existing = repository.latest_human_request(session, case.id)
        if existing is not None:
            return Requested(existing, case, created=False)
    if app.status not in REQUESTABLE_STATUSES:
        raise _not_allowed(app)
    status_before = app.status
    case = _case_in_queue(session, app, case, actor)
    row = HumanReviewRequest(
        case_id=case.id,
        application_id=app.id,
        reason=reason,
        status_before=status_before,
        requested_by=actor.name,
        requested_at=actor.at,
    )
    session.add(row)
    if status_before == "declined":
        transition(session, app, "referred", actor, "human review requested")
    session.flush()
    audit_service.log(
        session,
        actor,
        "application.human_review_requested",
        entity_type="application",
        entity_id=app.id,
        payload={"request_id": row.id, "case_id": case.id, "status_before": status_before,
                 "reason": reason},
    )  # fmt: skip
    return Requested(row, case, created=True)


def _case_in_queue(
    session: Session, app: Application, case: ReviewCase | None, actor: Actor
) -> ReviewCase:
    """The application's case, opened or re-opened, carrying the applicant's reason."""
    if case is None and app.status == "referred":
        case = ensure_case(session, app)
    if case is None:
        reason = {"code": HUMAN_REVIEW_REASON, "stage": HUMAN_REVIEW_STAGE, "severity": "refer"}
        return open_case_now(session, app, referred_at=actor.at, reasons=[reason])
    if not is_open(case):
        _reopen(case, actor)
    if not repository.has_reason(session, case.id, HUMAN_REVIEW_REASON):
        session.add(
            ReviewCaseReason(case_id=case.id, code=HUMAN_REVIEW_REASON, stage=HUMAN_REVIEW_STAGE)
        )
    session.flush()
    return case


def _reopen(case: ReviewCase, actor: Actor) -> None:
    """Back in the queue, aged from the request, held by nobody, with no final outcome yet
    (the earlier verdicts stay in `review_verdict`)."""
    move(case, CaseState.OPEN.value)
    case.referred_at = actor.at
    case.primary_reason, case.primary_stage = HUMAN_REVIEW_REASON, HUMAN_REVIEW_STAGE
    case.claimed_by = case.claimed_at = None
    case.final_outcome = case.decided_by_role = case.decided_at = None
    case.approved_offer = case.sp_message = None


def _not_allowed(app: Application) -> HumanReviewNotAllowed:
    en = f"a human review is asked for a declined or referred application; this one is {app.status}"
    zh = f"仅被拒绝或转人工审核的申请可申请人工复核；当前状态为 {app.status}"
    return HumanReviewNotAllowed(en, errors=[FieldError("status", "not_reviewable", en, zh)])
