"""The queue of referred applications: filters, sort by age against the SLA, keyset pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.dealer import repository as dealer_repository
from autolease.dealer import service as dealer_service
from autolease.kit.money import from_fen
from autolease.origination.models import Applicant, Application
from autolease.review import cursor, repository
from autolease.review.exceptions import invalid
from autolease.review.models import ReviewCase
from autolease.review.repository import QueueQuery
from autolease.review.schemas import QueueItem, QueuePage
from autolease.review.settings import ReviewSettings
from autolease.review.vocabulary import (
    AMOUNT_BANDS_FEN,
    AgeBand,
    AmountBand,
    CaseState,
    age_band,
    referred_between,
)


@dataclass(frozen=True)
class QueueFilters:
    sp_code: str | None = None
    reason_code: str | None = None
    stage: str | None = None
    amount_band: AmountBand | None = None
    age: AgeBand | None = None
    state: CaseState | None = None
    newest_first: bool = False
    cursor: str | None = None
    limit: int = 50


def page(
    session: Session, *, filters: QueueFilters, now: datetime, settings: ReviewSettings
) -> QueuePage:
    """One page of the queue; ``next_cursor`` continues it (None on the last page).

    Raises
    ------
    VerdictInvalid
        An unknown SP code or a cursor this queue did not give out (field named).
    """
    sla = timedelta(hours=settings.sla_hours)
    query = _query(session, filters, now, sla)
    rows = list(repository.queue_page(session, query))
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    items = _items(session, rows, now, sla)
    last = rows[-1] if rows else None
    return QueuePage(
        items=items,
        next_cursor=cursor.encode(last.referred_at, last.application_id) if more and last else None,
        sla_hours=settings.sla_hours,
    )


def _query(session: Session, f: QueueFilters, now: datetime, sla: timedelta) -> QueueQuery:
    sp_id = None
    if f.sp_code is not None:
        sp = dealer_repository.by_code(session, f.sp_code)
        if sp is None:
            raise invalid("sp", "unknown_sp", "no SP with this code", "没有该编码的服务商")
        sp_id = sp.id
    low = high = None
    if f.amount_band is not None:
        low, high = AMOUNT_BANDS_FEN[f.amount_band]
    after_at = before_at = None
    if f.age is not None:
        after_at, before_at = referred_between(f.age, now, sla)
    after = None
    if f.cursor is not None:
        try:
            after = cursor.decode(f.cursor)
        except ValueError:
            raise invalid(
                "cursor", "unknown_cursor", "not a cursor this queue gave out", "无效的分页游标"
            ) from None
    return QueueQuery(
        state=f.state.value if f.state is not None else None,
        sp_id=sp_id,
        reason_code=f.reason_code,
        stage=f.stage,
        amount_low_fen=low,
        amount_high_fen=high,
        referred_after=after_at,
        referred_before=before_at,
        after=after,
        oldest_first=not f.newest_first,
        limit=f.limit + 1,
    )


def _items(
    session: Session, rows: list[ReviewCase], now: datetime, sla: timedelta
) -> list[QueueItem]:
    if not rows:
        return []
    reasons = repository.reasons_of(session, [r.id for r in rows])
    codes = {sp.id: sp.code for sp in dealer_service.list_all(session)}
    query = (
        select(Application.id, Applicant.name_masked)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(Application.id.in_([r.application_id for r in rows]))
    )
    names = {row[0]: row[1] for row in session.execute(query)}
    return [
        QueueItem(
            application_id=r.application_id,
            sp_code=codes.get(r.sp_id, "?"),
            applicant_name=names.get(r.application_id, ""),
            amount=from_fen(r.amount_fen),
            state=CaseState(r.state),
            referred_at=r.referred_at,
            age_hours=round((now - r.referred_at).total_seconds() / 3600, 1),
            sla_due_at=r.referred_at + sla,
            age_band=age_band(r.referred_at, now, sla),
            primary_reason=r.primary_reason,
            reasons=[code for code, _ in reasons[r.id]],
            stages=sorted({stage for _, stage in reasons[r.id]}),
            claimed_by=r.claimed_by,
            claimed_at=r.claimed_at,
        )
        for r in rows
    ]
