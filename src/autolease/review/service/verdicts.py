"""Verdicts on a case: approve, decline, request information, approve on a changed
structure; four-eyes confirmation. The decision row keeps the policy's outcome; the case
records the final outcome and the role that decided it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth.principal import Principal, Role
from autolease.kit.money import to_fen
from autolease.origination import repository as origination_repository
from autolease.origination.models import Application, Decision
from autolease.origination.service.persist import transition
from autolease.review import repository
from autolease.review.exceptions import (
    CaseNotFound,
    CaseNotOpen,
    NoPendingVerdict,
    SameReviewer,
    invalid,
)
from autolease.review.models import InformationRequest, ReviewCase, ReviewVerdict, move
from autolease.review.service.cases import ensure_case, hold_or_claim
from autolease.review.settings import ReviewSettings
from autolease.review.vocabulary import (
    FINAL_OUTCOME,
    FINAL_STATUS,
    CaseState,
    Verdict,
    four_eyes_why,
    reason_fits,
)

UNSPECIFIED = "unspecified"  # the older review endpoint takes no reason code
DECIDABLE_STATES = frozenset({CaseState.OPEN, CaseState.INFO_REQUESTED})


@dataclass(frozen=True)
class VerdictInput:
    verdict: Verdict
    reason_code: str
    internal_note: str
    sp_message: str | None = None
    offer_rank: int | None = None
    checklist: tuple[dict[str, Any], ...] = ()


def decided_by_role(principal: Principal) -> str:
    """The role an SP is told decided its application (never the username)."""
    return "reviewer" if principal.role is Role.REVIEWER else "staff"


def give(
    session: Session,
    *,
    app: Application,
    given: VerdictInput,
    actor: Actor,
    role: str,
    settings: ReviewSettings,
    legacy: bool = False,
) -> ReviewVerdict:
    """Record a verdict; final at once, or pending a second reviewer (four-eyes).

    Raises
    ------
    CaseNotFound, CaseNotOpen, CaseHeldByOther
        No case, a closed case or one waiting for confirmation, another reviewer's case.
    VerdictInvalid
        A reason code of another verdict, a missing or unknown offer, a missing checklist.
    """
    case = ensure_case(session, app)
    if case.state not in DECIDABLE_STATES:
        raise CaseNotOpen(f"the case of {app.id} is {case.state}; no verdict can be given now")
    hold_or_claim(session, case, actor)
    decision = _decision(session, app)
    offer = _checked(given, decision, legacy=legacy)
    why = four_eyes_why(
        given.verdict,
        given.reason_code,
        app.amount_fen,
        threshold_fen=to_fen(settings.four_eyes_amount),
        reasons=frozenset(settings.four_eyes_reasons),
    )
    row = ReviewVerdict(
        case_id=case.id,
        application_id=app.id,
        verdict=given.verdict.value,
        reason_code=given.reason_code,
        internal_note=given.internal_note,
        sp_message=given.sp_message,
        offer=offer,
        policy_outcome=decision.outcome,
        reviewer=actor.name,
        reviewed_at=actor.at,
        status="pending" if why else "final",
        four_eyes_why=why,
    )
    session.add(row)
    session.flush()
    if why:
        move(case, CaseState.AWAITING_CONFIRMATION.value)
        _log(session, actor, "review.verdict_proposed", row, extra={"four_eyes": why})
        return row
    _apply(
        session,
        app=app,
        case=case,
        row=row,
        actor=actor,
        role=role,
        checklist=given.checklist,
    )
    _log(session, actor, "application.reviewed", row, extra={"decision_id": decision.id})
    return row


def confirm(
    session: Session,
    *,
    app: Application,
    accept: bool,
    note: str,
    actor: Actor,
    role: str,
) -> ReviewVerdict:
    """A second, different reviewer confirms (the verdict takes effect) or rejects it (the
    case goes back to its holder).

    Raises
    ------
    NoPendingVerdict
        Nothing waits for confirmation.
    SameReviewer
        The one who gave the verdict cannot confirm it.
    """
    case = ensure_case(session, app)
    row = repository.pending_verdict(session, case.id)
    if row is None or case.state != CaseState.AWAITING_CONFIRMATION:
        raise NoPendingVerdict(f"no verdict on {app.id} waits for a second reviewer")
    if row.reviewer == actor.name:
        raise SameReviewer("the second reviewer must be another person than the first")
    row.confirmed_by, row.confirmed_at, row.confirm_note = actor.name, actor.at, note
    if not accept:
        row.status = "rejected"
        move(case, CaseState.OPEN.value)
        session.flush()
        _log(session, actor, "review.verdict_rejected", row, extra={"note": note})
        return row
    row.status = "confirmed"
    _apply(session, app=app, case=case, row=row, actor=actor, role=role)
    _log(session, actor, "application.reviewed", row, extra={"confirmed_by": actor.name})
    return row


def _decision(session: Session, app: Application) -> Decision:
    decision = origination_repository.latest_decision(session, app.id)
    if decision is None:
        raise CaseNotFound(f"application {app.id!r} has no decision yet")
    return decision


def _checked(given: VerdictInput, decision: Decision, *, legacy: bool) -> dict[str, Any] | None:
    """Check the verdict's parts against each other; the offer chosen, if any."""
    if not legacy and not reason_fits(given.verdict, given.reason_code):
        raise invalid(
            "reason_code",
            "review_reason",
            f"not a reason code of the verdict {given.verdict.value}",
            f"该原因代码不适用于结论 {given.verdict.value}",
        )
    if given.verdict is Verdict.REQUEST_INFORMATION and not given.checklist:
        raise invalid("checklist", "required", "say what the SP must provide", "请列出需补充的材料")
    if given.verdict is not Verdict.REQUEST_INFORMATION and given.checklist:
        raise invalid(
            "checklist", "not_allowed", "only a request for information has a checklist",
            "仅补充材料请求可附清单",
        )  # fmt: skip
    if given.verdict is not Verdict.APPROVE_CHANGED:
        if given.offer_rank is not None:
            raise invalid(
                "offer_rank", "not_allowed", "only approve_changed picks an offer",
                "仅“变更方案后批准”可选择方案",
            )  # fmt: skip
        return None
    return _offer(decision.offers, given.offer_rank)


def _offer(offers: Sequence[dict[str, Any]], rank: int | None) -> dict[str, Any]:
    if rank is None:
        raise invalid("offer_rank", "required", "pick one of the feasible offers", "请选择可行方案")
    chosen = next((o for o in offers if o.get("rank") == rank), None)
    if chosen is None:
        raise invalid(
            "offer_rank",
            "unknown_offer",
            f"the decision has no feasible offer of rank {rank} ({len(offers)} offered)",
            f"该决策没有排名为 {rank} 的可行方案（共 {len(offers)} 个）",
        )
    return chosen


def _apply(
    session: Session,
    *,
    app: Application,
    case: ReviewCase,
    row: ReviewVerdict,
    actor: Actor,
    role: str,
    checklist: Sequence[dict[str, Any]] = (),
) -> None:
    """Make a verdict take effect: the application's status, the case's final fields."""
    verdict = Verdict(row.verdict)
    note = f"review {verdict.value}: {row.internal_note}"[:500]
    transition(session, app, FINAL_STATUS[verdict], actor, note)
    case.sp_message = row.sp_message
    if verdict is Verdict.REQUEST_INFORMATION:
        move(case, CaseState.INFO_REQUESTED.value)
        session.add(
            InformationRequest(
                case_id=case.id,
                application_id=app.id,
                items=[dict(item) for item in checklist],
                sp_message=row.sp_message,
                requested_at=actor.at,
            )
        )
        session.flush()
        return
    move(case, CaseState.CLOSED.value)
    case.final_outcome = FINAL_OUTCOME[verdict]
    case.decided_by_role = role
    case.decided_at = actor.at
    case.approved_offer = row.offer
    session.flush()


def _log(
    session: Session, actor: Actor, action: str, row: ReviewVerdict, *, extra: dict[str, Any]
) -> None:
    audit_service.log(
        session,
        actor,
        action,
        entity_type="application",
        entity_id=row.application_id,
        payload={
            "verdict": row.verdict,
            "reason_code": row.reason_code,
            "note": row.internal_note,
            "reviewer": row.reviewer,
            **extra,
        },
    )
