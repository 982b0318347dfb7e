"""Finding, claiming and releasing a case. A case is opened at intake; an application set to
referred another way gets one on first use (`ensure_case`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth.principal import Principal, Role
from autolease.origination import repository as origination_repository
from autolease.origination.models import Application
from autolease.review import repository
from autolease.review.exceptions import CaseHeldByOther, CaseNotFound, CaseNotOpen
from autolease.review.models import ReviewCase
from autolease.review.service.opening import open_case
from autolease.review.vocabulary import CaseState

REVIEWABLE_STATUSES = frozenset({"referred", "info_requested"})


def ensure_case(session: Session, app: Application) -> ReviewCase:
    """The application's case, locked for this transaction; opened now for an application in
    review without one (one set to referred by hand, or stored before cases existed)."""
    case = repository.case_for_update(session, app.id)
    if case is not None:
        return case
    if app.status not in REVIEWABLE_STATUSES:
        raise CaseNotFound(f"application {app.id!r} was not referred to a reviewer")
    return open_case_now(session, app)


def open_case_now(
    session: Session,
    app: Application,
    *,
    referred_at: datetime | None = None,
    reasons: Sequence[Mapping[str, Any]] | None = None,
) -> ReviewCase:
    """Open the application's case on its latest decision, and return it locked.

    `referred_at` and `reasons` default to the decision's own time and reasons.
    """
    decision = origination_repository.latest_decision(session, app.id)
    if decision is None:
        raise CaseNotFound(f"application {app.id!r} has no decision yet")
    open_case(
        session,
        application_id=app.id,
        decision_id=decision.id,
        sp_id=app.sp_id,
        amount_fen=app.amount_fen,
        referred_at=decision.decided_at if referred_at is None else referred_at,
        reasons=decision.reasons if reasons is None else reasons,
    )
    found = repository.case_for_update(session, app.id)
    assert found is not None
    return found


def claim(session: Session, *, app: Application, actor: Actor) -> ReviewCase:
    """Lock the case to `actor`; claiming one's own case again is a no-op.

    Raises
    ------
    CaseNotOpen
        The case is closed.
    CaseHeldByOther
        Another reviewer holds it (the detail names them: this is a staff endpoint).
    """
    case = ensure_case(session, app)
    if case.state == CaseState.CLOSED:
        raise CaseNotOpen(f"the case of {app.id} is closed")
    if case.claimed_by == actor.name:
        return case
    if case.claimed_by is not None:
        raise CaseHeldByOther(f"the case of {app.id} is held by {case.claimed_by}")
    case.claimed_by, case.claimed_at = actor.name, actor.at
    session.flush()
    audit_service.log(session, actor, "review.claimed", entity_type="application", entity_id=app.id)
    return case


def release(
    session: Session, *, app: Application, actor: Actor, principal: Principal, note: str | None
) -> ReviewCase:
    """Give a case back to the queue: its holder may, and an admin may release anyone's.

    Raises
    ------
    CaseHeldByOther
        A reviewer releasing a case someone else holds.
    """
    case = ensure_case(session, app)
    holder = case.claimed_by
    if holder is None:
        return case
    if holder != actor.name and principal.role is not Role.ADMIN:
        raise CaseHeldByOther(f"the case of {app.id} is held by {holder}; an admin can release it")
    case.claimed_by, case.claimed_at = None, None
    session.flush()
    audit_service.log(
        session,
        actor,
        "review.released",
        entity_type="application",
        entity_id=app.id,
        payload={"holder": holder, "note": note},
    )
    return case


def hold_or_claim(session: Session, case: ReviewCase, actor: Actor) -> None:
    """Before a verdict: the case must be the actor's, or nobody's (then it becomes theirs)."""
    if case.claimed_by is not None and case.claimed_by != actor.name:
        raise CaseHeldByOther(f"the case of {case.application_id} is held by {case.claimed_by}")
    if case.claimed_by is None:
        case.claimed_by, case.claimed_at = actor.name, actor.at
