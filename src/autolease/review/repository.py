"""The review's queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from autolease.review.models import (
    HumanReviewRequest,
    InformationRequest,
    ReviewCase,
    ReviewCaseReason,
    ReviewVerdict,
)


@dataclass(frozen=True)
class QueueQuery:
    state: str | None  # None: every case that waits (not closed)
    sp_id: int | None = None
    reason_code: str | None = None
    stage: str | None = None
    amount_low_fen: int | None = None
    amount_high_fen: int | None = None
    referred_after: datetime | None = None
    referred_before: datetime | None = None
    after: tuple[datetime, str] | None = None
    oldest_first: bool = True
    limit: int = 50


def queue_page(session: Session, q: QueueQuery) -> Sequence[ReviewCase]:
    """One page of cases in sort order, keyset-paginated on (referred_at, application_id)."""
    c = ReviewCase
    waits = c.waiting.is_(True) if q.state is None else c.state == q.state
    query = select(c).where(waits, *_filters(q))
    if q.after is not None:
        at, app_id = q.after
        if q.oldest_first:
            query = query.where(
                or_(c.referred_at > at, and_(c.referred_at == at, c.application_id > app_id))
            )
        else:
            query = query.where(
                or_(c.referred_at < at, and_(c.referred_at == at, c.application_id < app_id))
            )
    if q.oldest_first:
        query = query.order_by(c.referred_at, c.application_id)
    else:
        query = query.order_by(c.referred_at.desc(), c.application_id.desc())
    return session.scalars(query.limit(q.limit)).all()


def _filters(q: QueueQuery) -> list[ColumnElement[bool]]:
    c, r = ReviewCase, ReviewCaseReason
    out: list[ColumnElement[bool]] = []
    if q.sp_id is not None:
        out.append(c.sp_id == q.sp_id)
    if q.amount_low_fen is not None:
        out.append(c.amount_fen >= q.amount_low_fen)
    if q.amount_high_fen is not None:
        out.append(c.amount_fen < q.amount_high_fen)
    if q.referred_after is not None:
        out.append(c.referred_at > q.referred_after)
    if q.referred_before is not None:
        out.append(c.referred_at <= q.referred_before)
    if q.reason_code is not None:
        out.append(exists().where(r.case_id == c.id, r.code == q.reason_code))
    if q.stage is not None:
        out.append(exists().where(r.case_id == c.id, r.stage == q.stage))
    return out


def reasons_of(session: Session, case_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {i: [] for i in case_ids}
    if not case_ids:
        return out
    r = ReviewCaseReason
    query = select(r.case_id, r.code, r.stage).where(r.case_id.in_(case_ids)).order_by(r.id)
    for case_id, code, stage in session.execute(query):
        out[case_id].append((code, stage))
    return out


def case_for_update(session: Session, application_id: str) -> ReviewCase | None:
    """The case, locked for the rest of the transaction (PostgreSQL; SQLite serialises
    writers already), so two reviewers cannot both claim or decide it."""
    query = select(ReviewCase).where(ReviewCase.application_id == application_id)
    return session.scalars(query.with_for_update()).first()


def verdicts_of(session: Session, case_id: int) -> Sequence[ReviewVerdict]:
    query = select(ReviewVerdict).where(ReviewVerdict.case_id == case_id)
    return session.scalars(query.order_by(ReviewVerdict.id)).all()


def pending_verdict(session: Session, case_id: int) -> ReviewVerdict | None:
    query = select(ReviewVerdict).where(
        ReviewVerdict.case_id == case_id, ReviewVerdict.status == "pending"
    )
    return session.scalars(query.with_for_update()).first()


def info_requests(session: Session, application_id: str) -> Sequence[InformationRequest]:
    query = select(InformationRequest).where(InformationRequest.application_id == application_id)
    return session.scalars(query.order_by(InformationRequest.id)).all()


def open_info_request(session: Session, case_id: int) -> InformationRequest | None:
    query = select(InformationRequest).where(
        InformationRequest.case_id == case_id, InformationRequest.answered_at.is_(None)
    )
    return session.scalars(query.order_by(InformationRequest.id.desc())).first()


def cases_by_state(session: Session) -> dict[str, int]:
    """How many cases wait in each state."""
    query = (
        select(ReviewCase.state, func.count())
        .where(ReviewCase.waiting.is_(True))
        .group_by(ReviewCase.state)
    )
    return {state: int(n) for state, n in session.execute(query)}


def verdicts_since(session: Session, since: datetime) -> Sequence[ReviewVerdict]:
    query = select(ReviewVerdict).where(ReviewVerdict.reviewed_at >= since)
    return session.scalars(query.order_by(ReviewVerdict.id)).all()


def closed_cases_since(session: Session, since: datetime) -> Sequence[ReviewCase]:
    query = select(ReviewCase).where(ReviewCase.decided_at >= since)
    return session.scalars(query).all()


def oldest_waiting(session: Session) -> datetime | None:
    query = select(func.min(ReviewCase.referred_at)).where(ReviewCase.waiting.is_(True))
    return session.scalar(query)


def count_waiting_since_before(session: Session, before: datetime) -> int:
    """Cases waiting that were referred before `before` (past the SLA when it is now - SLA)."""
    query = select(func.count()).where(
        ReviewCase.waiting.is_(True), ReviewCase.referred_at < before
    )
    return int(session.scalar(query) or 0)


def case_for_read(session: Session, application_id: str) -> ReviewCase | None:
    query = select(ReviewCase).where(ReviewCase.application_id == application_id)
    return session.scalars(query).first()


def latest_human_request(session: Session, case_id: int) -> HumanReviewRequest | None:
    query = select(HumanReviewRequest).where(HumanReviewRequest.case_id == case_id)
    return session.scalars(query.order_by(HumanReviewRequest.id.desc()).limit(1)).first()


def has_reason(session: Session, case_id: int, code: str) -> bool:
    r = ReviewCaseReason
    query = select(r.id).where(r.case_id == case_id, r.code == code).limit(1)
    return session.scalar(query) is not None
