"""The review workbench's API (prefix ``/v1``): staff endpoints under ``/v1/review``, and the
SP's answer to a request for information and its request for a human review under
``/v1/applications``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from autolease.auth.dependencies import ActorDep, PrincipalDep
from autolease.decision import service as decision_service
from autolease.decision.dependencies import DecisionsDep
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.fraud.service.scoring import link_policy
from autolease.origination import service as origination_service
from autolease.origination.dependencies import ApplicationDep
from autolease.origination.schemas import ApplicationRead
from autolease.review.dependencies import ReviewerOnly, ReviewSettingsDep, ReviewStaff
from autolease.review.models import HumanReviewRequest, ReviewCase
from autolease.review.schemas import (
    CaseRead,
    ConfirmRequest,
    HumanReviewCreate,
    HumanReviewRead,
    InformationAnswer,
    QueueMetrics,
    QueuePage,
    ReleaseRequest,
    RevealRead,
    RevealRequest,
    VerdictRead,
    VerdictRequest,
    VocabularyRead,
)
from autolease.review.service import (
    casefile,
    cases,
    human_review,
    information,
    metrics,
    queue,
    reveal,
    verdicts,
)
from autolease.review.vocabulary import (
    DOCUMENT_KINDS,
    REASON_CODES,
    AgeBand,
    AmountBand,
    CaseState,
)

router = APIRouter(prefix="/v1", tags=["review"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or invalid credentials"},
    403: {"description": "this role may not do this"},
    404: {"description": "no such application or review case for this caller"},
}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "the case is closed, held by another reviewer or waiting"}
}
CodeQuery = Annotated[str | None, Query(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_]+$")]

document_check: information.DocumentCheck = information.documents_of_application
"""How the SP's document ids are checked (the documents domain; tests may replace it)."""


@router.get("/review/queue", response_model=QueuePage, responses=ERRORS)
def review_queue(
    session: SessionDep,
    runtime: RuntimeDep,
    settings: ReviewSettingsDep,
    _: ReviewStaff,
    sp: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    reason: CodeQuery = None,
    stage: CodeQuery = None,
    amount_band: AmountBand | None = None,
    age: AgeBand | None = None,
    state: CaseState | None = None,
    sort: Annotated[str, Query(pattern="^(oldest|newest)$")] = "oldest",
    cursor: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> QueuePage:
    """Referred applications, oldest first against the SLA; keyset pages (``next_cursor``)."""
    filters = queue.QueueFilters(
        sp_code=sp,
        reason_code=reason,
        stage=stage,
        amount_band=amount_band,
        age=age,
        state=state,
        newest_first=sort == "newest",
        cursor=cursor,
        limit=limit,
    )
    return queue.page(session, filters=filters, now=runtime.clock.now(), settings=settings)


@router.get("/review/metrics", response_model=QueueMetrics, responses=ERRORS)
def review_metrics(
    session: SessionDep,
    runtime: RuntimeDep,
    settings: ReviewSettingsDep,
    _: ReviewStaff,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> QueueMetrics:
    """What waits and how old, time to verdict, throughput per reviewer, override rate."""
    return metrics.figures(session, now=runtime.clock.now(), window_days=days, settings=settings)


@router.get("/review/vocabulary", response_model=VocabularyRead, responses=ERRORS)
def review_vocabulary(_: ReviewStaff) -> VocabularyRead:
    """The review reason codes of each verdict, the document kinds, the queue's bands."""
    return VocabularyRead(
        reason_codes={v.value: list(codes) for v, codes in REASON_CODES.items()},
        document_kinds=list(DOCUMENT_KINDS),
        amount_bands=list(AmountBand),
        age_bands=list(AgeBand),
    )


@router.get("/review/cases/{application_id}", responses=ERRORS)
def review_case_file(
    app: ApplicationDep,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: ReviewSettingsDep,
    _: ReviewStaff,
) -> dict[str, Any]:
    """The case on one screen: applicant (masked), vehicle, identity, fraud and the
    two-hop relationship graph, credit, fired rules, trace, offers, history, the review."""
    return casefile.case_file(
        session,
        app=app,
        now=runtime.clock.now(),
        link_policy=link_policy(runtime.settings.fraud),
        sla_hours=settings.sla_hours,
    )


@router.post(
    "/review/cases/{application_id}/claim",
    response_model=CaseRead,
    responses={**ERRORS, **CONFLICT},
)
def claim_case(
    app: ApplicationDep, session: SessionDep, _: ReviewerOnly, actor: ActorDep
) -> CaseRead:
    """Lock the case to the calling reviewer; others see who holds it (audited)."""
    case = cases.claim(session, app=app, actor=actor)
    return casefile.case_read(session, app, case, origination_service.decision_of(session, app=app))


@router.post(
    "/review/cases/{application_id}/release",
    response_model=CaseRead,
    responses={**ERRORS, **CONFLICT},
)
def release_case(
    body: ReleaseRequest,
    app: ApplicationDep,
    session: SessionDep,
    principal: ReviewStaff,
    actor: ActorDep,
) -> CaseRead:
    """The holder gives the case back; an admin can release anyone's (audited)."""
    case = cases.release(session, app=app, actor=actor, principal=principal, note=body.note)
    return casefile.case_read(session, app, case, origination_service.decision_of(session, app=app))


@router.post(
    "/review/cases/{application_id}/verdict",
    response_model=VerdictRead,
    responses={**ERRORS, **CONFLICT},
)
def give_verdict(
    body: VerdictRequest,
    app: ApplicationDep,
    session: SessionDep,
    settings: ReviewSettingsDep,
    principal: ReviewerOnly,
    actor: ActorDep,
) -> VerdictRead:
    """Approve, decline, request information or approve a changed structure, with a review
    reason code, an internal note and an optional message to the SP. Above the four-eyes
    amount, or for the four-eyes reason codes, the verdict waits for a second reviewer."""
    given = verdicts.VerdictInput(
        verdict=body.verdict,
        reason_code=body.reason_code,
        internal_note=body.internal_note,
        sp_message=body.sp_message,
        offer_rank=body.offer_rank,
        checklist=tuple(i.model_dump() for i in body.checklist or ()),
    )
    row = verdicts.give(
        session,
        app=app,
        given=given,
        actor=actor,
        role=verdicts.decided_by_role(principal),
        settings=settings,
    )
    return VerdictRead.model_validate(row, from_attributes=True)


@router.post(
    "/review/cases/{application_id}/confirm",
    response_model=VerdictRead,
    responses={**ERRORS, 409: {"description": "no verdict waits for a second reviewer"}},
)
def confirm_verdict(
    body: ConfirmRequest,
    app: ApplicationDep,
    session: SessionDep,
    principal: ReviewerOnly,
    actor: ActorDep,
) -> VerdictRead:
    """A second, different reviewer confirms the pending verdict or sends it back."""
    row = verdicts.confirm(
        session,
        app=app,
        accept=body.confirm,
        note=body.note,
        actor=actor,
        role=verdicts.decided_by_role(principal),
    )
    return VerdictRead.model_validate(row, from_attributes=True)


@router.post("/review/cases/{application_id}/reveal", response_model=RevealRead, responses=ERRORS)
def reveal_field(
    body: RevealRequest,
    app: ApplicationDep,
    session: SessionDep,
    runtime: RuntimeDep,
    _: ReviewStaff,
    actor: ActorDep,
) -> RevealRead:
    """One applicant field in clear, for a stated reason; the reveal is audited."""
    value = reveal.reveal(
        session, app=app, field=body.field, reason=body.reason, actor=actor, cipher=runtime.cipher
    )
    return RevealRead(field=body.field, value=value)


@router.get("/review/cases/{application_id}/replay", responses=ERRORS)
def replay_case(
    app: ApplicationDep, session: SessionDep, decisions: DecisionsDep, _: ReviewStaff
) -> dict[str, Any]:
    """Re-run the case's decision through its stored policy: identical, or what differs."""
    decision = origination_service.decision_of(session, app=app)
    report = decision_service.replay(session, decision_id=decision.id, engine=decisions.engine)
    return report.as_dict()


@router.post(
    "/applications/{application_id}/information",
    response_model=ApplicationRead,
    responses={
        **ERRORS,
        409: {"description": "no request for information is open"},
        422: {"description": "a document id twice, or one not of this application and SP"},
    },
)
def answer_information_request(
    body: InformationAnswer,
    app: ApplicationDep,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    actor: ActorDep,
) -> ApplicationRead:
    """The SP answers a request for information with a message and the ids of the
    documents it uploaded for this application; the application goes back to the reviewer."""
    information.answer(
        session,
        app=app,
        principal=principal,
        actor=actor,
        message=body.message,
        document_ids=body.document_ids,
        check=document_check,
    )
    return origination_service.to_read(session, app, cipher=runtime.cipher)


@router.post(
    "/applications/{application_id}/human-review",
    response_model=HumanReviewRead,
    status_code=201,
    responses={
        **ERRORS,
        200: {"description": "a request is already open: that request"},
        409: {"description": "the application is neither declined nor referred (field `status`)"},
        422: {"description": "no reason, or one over 1,000 characters"},
    },
)
def request_human_review(
    body: HumanReviewCreate,
    app: ApplicationDep,
    session: SessionDep,
    principal: PrincipalDep,
    actor: ActorDep,
    response: Response,
) -> HumanReviewRead:
    """The SP records the applicant's request for a person to review a decline or a referral
    (PIPL Art. 24): the application's review case opens, or re-opens, in the reviewers' queue
    with the reason `APPLICANT_REVIEW_REQUESTED`. Asking again while it is open returns the
    open request (200)."""
    done = human_review.request_review(
        session, app=app, principal=principal, actor=actor, reason=body.reason
    )
    if not done.created:
        response.status_code = 200
    return human_review_read(done.request, done.case, app.status)


def human_review_read(row: HumanReviewRequest, case: ReviewCase, status: str) -> HumanReviewRead:
    return HumanReviewRead(
        id=row.id,
        application_id=row.application_id,
        reason=row.reason,
        requested_at=row.requested_at,
        state="open" if human_review.is_open(case) else "closed",
        application_status=status,
    )
