"""Reviewers approve or decline referred applications, with a note. Never commits.

The older, simpler form of the review workbench's verdicts (`autolease.review`): it records
the verdict through the same use case (claim, four-eyes, final outcome on the case) with no
review reason code, and keeps its own `decision_review` row for existing readers.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.decision.exceptions import ReviewNotAllowed
from autolease.decision.models import DecisionReview
from autolease.origination.models import Application
from autolease.review.settings import ReviewSettings

REVIEWABLE = "referred"


class Verdict(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"


def review(
    session: Session,
    *,
    app: Application,
    verdict: Verdict,
    note: str,
    actor: Actor,
    role: str = "reviewer",
    settings: ReviewSettings | None = None,
) -> DecisionReview:
    """Record a reviewer's verdict on a referred application and move its status.

    Declined (hard-decline) and approved applications are not reviewable: a policy decline
    never reaches a reviewer. Above the four-eyes amount the verdict waits for a second
    reviewer (`autolease.review.service.verdicts.confirm`) and the status stays referred.

    Raises
    ------
    ReviewNotAllowed
        The application is not in status ``referred``.
    """
    if app.status != REVIEWABLE:
        raise ReviewNotAllowed(
            f"only referred applications can be reviewed; {app.id} is {app.status}"
        )
    # Imported here: the review domain imports origination, which imports this package.
    from autolease.review.service import verdicts
    from autolease.review.vocabulary import Verdict as ReviewVerdict

    row = verdicts.give(
        session,
        app=app,
        given=verdicts.VerdictInput(
            verdict=ReviewVerdict(verdict.value),
            reason_code=verdicts.UNSPECIFIED,
            internal_note=note,
        ),
        actor=actor,
        role=role,
        settings=settings or ReviewSettings(),
        legacy=True,
    )
    legacy = DecisionReview(
        application_id=app.id,
        decision_id=_decision_id(session, app),
        reviewer=actor.name,
        verdict=verdict.value,
        note=note[:500],
        reviewed_at=row.reviewed_at,
    )
    session.add(legacy)
    session.flush()
    return legacy


def _decision_id(session: Session, app: Application) -> str:
    from autolease.origination import repository as origination_repository

    decision = origination_repository.latest_decision(session, app.id)
    assert decision is not None  # the verdict above needed it
    return decision.id
