"""Reviewers approve or decline referred applications, with a note. Never commits."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.decision.exceptions import ReviewNotAllowed
from autolease.decision.models import DecisionReview
from autolease.origination import repository as origination_repository
from autolease.origination.exceptions import ApplicationNotFound
from autolease.origination.models import Application

REVIEWABLE = "referred"


class Verdict(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"


STATUS = {Verdict.APPROVE: "approved", Verdict.DECLINE: "declined"}


def review(
    session: Session, *, app: Application, verdict: Verdict, note: str, actor: Actor
) -> DecisionReview:
    """Record a reviewer's verdict on a referred application and move its status.

    Declined (hard-decline) and approved applications are not reviewable: a policy decline
    never reaches a reviewer.

    Raises
    ------
    ReviewNotAllowed
        The application is not in status ``referred``.
    """
    if app.status != REVIEWABLE:
        raise ReviewNotAllowed(
            f"only referred applications can be reviewed; {app.id} is {app.status}"
        )
    # Imported here: origination's intake imports this package to record evaluations.
    from autolease.origination.service.persist import transition

    decision = origination_repository.latest_decision(session, app.id)
    if decision is None:
        raise ApplicationNotFound(f"application {app.id!r} has no decision yet")
    row = DecisionReview(
        application_id=app.id,
        decision_id=decision.id,
        reviewer=actor.name,
        verdict=verdict.value,
        note=note,
        reviewed_at=actor.at,
    )
    session.add(row)
    transition(session, app, STATUS[verdict], actor, f"review {verdict.value}: {note}"[:500])
    session.flush()
    audit_service.log(
        session,
        actor,
        "application.reviewed",
        entity_type="application",
        entity_id=app.id,
        payload={"decision_id": decision.id, "verdict": verdict.value, "note": note},
    )
    return row
