"""Data for the console's SP dashboard and the HTML SP report, from the stored proposals."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.channel import report
from autolease.channel.grading import COLLUSION_INPUTS
from autolease.channel.models import SpGradeProposal
from autolease.channel.schemas import SpHistory, SpMonth, SpSummary
from autolease.dealer import service as dealer_service
from autolease.dealer.models import ServiceProvider


def _alerts(codes: list[str]) -> list[str]:
    return [c for c in codes if c.startswith("SP_ALERT_")]


def _month(row: SpGradeProposal) -> SpMonth:
    return SpMonth(
        month=row.month,
        grade=row.grade,
        rule=row.rule,
        status=row.status,
        actions=[c for c in row.actions if not c.startswith("SP_ALERT_")],
        alerts=_alerts(row.actions),
        figures=row.figures,
    )


def history(session: Session, sp_code: str) -> SpHistory:
    sp = dealer_service.get_by_code(session, code=sp_code)
    query = (
        select(SpGradeProposal)
        .where(SpGradeProposal.sp_id == sp.id)
        .order_by(SpGradeProposal.month)
    )
    months = [_month(r) for r in session.scalars(query)]
    return SpHistory(sp_code=sp.code, name=sp.name, status=sp.status, grade=sp.grade,
                     months=months)  # fmt: skip


def summaries(session: Session) -> list[SpSummary]:
    latest: dict[int, SpGradeProposal] = {}
    for proposal in session.scalars(select(SpGradeProposal).order_by(SpGradeProposal.month)):
        latest[proposal.sp_id] = proposal
    out = []
    for sp in session.scalars(select(ServiceProvider).order_by(ServiceProvider.code)):
        row = latest.get(sp.id)
        out.append(
            SpSummary(
                sp_code=sp.code,
                name=sp.name,
                status=sp.status,
                grade=sp.grade,
                latest_month=row.month if row else None,
                proposed_grade=row.grade if row else None,
                proposal_status=row.status if row else None,
                rule=row.rule if row else None,
                actions=[c for c in row.actions if not c.startswith("SP_ALERT_")] if row else [],
                alerts=_alerts(row.actions) if row else [],
                collusion={k: row.figures.get(k) for k in COLLUSION_INPUTS} if row else {},
            )
        )
    return out


def report_html(session: Session, sp_code: str) -> str:
    found = history(session, sp_code)
    sp = {"code": found.sp_code, "name": found.name, "status": found.status,
          "grade": found.grade}  # fmt: skip
    return report.render(sp, [m.model_dump() for m in found.months])
