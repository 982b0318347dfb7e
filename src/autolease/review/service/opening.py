"""Opening a review case for a referred application: at intake (Core inserts, like the
intake's own rows) or later for an application referred without one (`ensure_case`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.db import insert_rows
from autolease.review.models import ReviewCase, ReviewCaseReason, move
from autolease.review.vocabulary import CaseState


def referring_reasons(reasons: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The (code, stage) pairs that sent the application to a reviewer: refer-level reasons,
    else every non-info reason (an application set to referred by hand has none)."""
    refer = [r for r in reasons if r.get("severity") == "refer"]
    chosen = refer or [r for r in reasons if r.get("severity") != "info"]
    seen: dict[tuple[str, str], None] = {}
    for r in chosen:
        seen[(str(r.get("code")), str(r.get("stage")))] = None
    return list(seen)


def case_row(
    *,
    application_id: str,
    decision_id: str,
    sp_id: int,
    amount_fen: int,
    referred_at: Any,
    pairs: Sequence[tuple[str, str]],
) -> ReviewCase:
    first = pairs[0] if pairs else (None, None)
    return ReviewCase(
        application_id=application_id,
        decision_id=decision_id,
        sp_id=sp_id,
        amount_fen=amount_fen,
        state=CaseState.OPEN.value,
        waiting=True,
        referred_at=referred_at,
        primary_reason=first[0],
        primary_stage=first[1],
    )


def open_case(
    session: Session,
    *,
    application_id: str,
    decision_id: str,
    sp_id: int,
    amount_fen: int,
    referred_at: Any,
    reasons: Sequence[Mapping[str, Any]],
) -> ReviewCase:
    """Insert the case and its reason rows (Core inserts; the objects stay transient)."""
    pairs = referring_reasons(reasons)
    case = case_row(
        application_id=application_id,
        decision_id=decision_id,
        sp_id=sp_id,
        amount_fen=amount_fen,
        referred_at=referred_at,
        pairs=pairs,
    )
    insert_rows(session, [case])
    rows = [ReviewCaseReason(case_id=case.id, code=code, stage=stage) for code, stage in pairs]
    insert_rows(session, rows, fetch_keys=False)
    return case


def case_of(session: Session, application_id: str) -> ReviewCase | None:
    query = select(ReviewCase).where(ReviewCase.application_id == application_id)
    return session.scalars(query).first()


def close_on_withdrawal(session: Session, application_id: str) -> None:
    """A withdrawn application leaves the queue (its case closes with no final outcome)."""
    case = case_of(session, application_id)
    if case is not None and case.state != CaseState.CLOSED:
        move(case, CaseState.CLOSED.value)
        case.claimed_by = case.claimed_at = None
