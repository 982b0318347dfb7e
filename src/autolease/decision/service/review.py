"""Reviewers approve or decline referred applications, with a note. Never commits.

The older, simpler form of the review workbench's verdicts (`autolease.review`): a thin
wrapper over `review.service.verdicts.give` (claim, four-eyes, final outcome on the case)
with the review reason code `unspecified`. The workbench's `review_verdict` row is the one
record of the verdict; this module writes nothing of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.decision.exceptions import ReviewNotAllowed
from autolease.origination.models import Application
from autolease.review.settings import ReviewSettings

if TYPE_CHECKING:
    from autolease.review.models import ReviewVerdict

REVIEWABLE = "referred"


class Verdict(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"


@dataclass(frozen=True)
class Reviewed:
    """The workbench's verdict row and the decision it judged (what the older endpoint
    answers)."""

    verdict: ReviewVerdict
    decision_id: str


def review(
    session: Session,
    *,
    app: Application,
    verdict: Verdict,
    note: str,
    actor: Actor,
    role: str = "reviewer",
    settings: ReviewSettings | None = None,
) -> Reviewed:
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
    from autolease.origination import repository as origination_repository
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
    decision = origination_repository.latest_decision(session, app.id)
    assert decision is not None  # the verdict above needed it
    return Reviewed(verdict=row, decision_id=decision.id)
