"""Grade proposals: run the grade policy for a month, list, confirm or reject (audited)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from autolease.auth.dependencies import ActorDep, AdminDep, AuditorDep
from autolease.channel import repository
from autolease.channel.actions import load_policy as load_actions_policy
from autolease.channel.grading import load_policy
from autolease.channel.models import SpGradeProposal
from autolease.channel.schemas import (
    GradeDecision,
    GradeProposalRead,
    GradeRun,
    SpHistory,
    SpSummary,
)
from autolease.channel.service import dashboard, grading
from autolease.dealer.models import ServiceProvider
from autolease.decision.engine import PolicyEngine
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.kit.ids import MAX_ID

router = APIRouter(prefix="/v1/sp-grades", tags=["sps"])
MONTH = r"^20\d\d-(0[1-9]|1[0-2])$"


def to_read(session: SessionDep, row: SpGradeProposal) -> GradeProposalRead:
    sp = session.get(ServiceProvider, row.sp_id)
    assert sp is not None
    return GradeProposalRead(
        id=row.id,
        sp_code=sp.code,
        month=row.month,
        grade=row.grade,
        previous_grade=row.previous_grade,
        rule=row.rule,
        figures=row.figures,
        actions=row.actions,
        policy_version=row.policy_version,
        status=row.status,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


@router.post(
    "",
    response_model=list[GradeProposalRead],
    responses={409: {"description": "another grade run for the month stored its proposals first"}},
)
def run_grades(
    body: GradeRun, session: SessionDep, runtime: RuntimeDep, _: AdminDep, actor: ActorDep
) -> list[GradeProposalRead]:
    settings = runtime.settings
    rows = grading.propose(
        session,
        month=body.month,
        engine=runtime.decisions.engine if runtime.decisions else PolicyEngine(),
        policy=load_policy(settings.decision.policies_dir),
        actions_policy=load_actions_policy(settings.decision.policies_dir),
        contract_settings=settings.contract,
        settings=settings.channel,
        actor=actor,
    )
    return [to_read(session, r) for r in rows]


@router.get("", response_model=list[GradeProposalRead])
def list_grades(
    session: SessionDep, _: AuditorDep, month: Annotated[str, Query(pattern=MONTH)]
) -> list[GradeProposalRead]:
    return [to_read(session, r) for r in repository.proposals(session, month)]


@router.post(
    "/{proposal_id}/decision",
    response_model=GradeProposalRead,
    responses={409: {"description": "the proposal was decided already"}},
)
def decide_grade(
    proposal_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: GradeDecision,
    session: SessionDep,
    _: AdminDep,
    actor: ActorDep,
) -> GradeProposalRead:
    row = grading.decide(session, proposal_id, confirm=body.confirm, note=body.note, actor=actor)
    return to_read(session, row)


SP_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no SP with this code"}}


@router.get("/sps", response_model=list[SpSummary])
def list_sp_summaries(session: SessionDep, _: AuditorDep) -> list[SpSummary]:
    """Every SP with its confirmed grade and its latest proposal's actions, alerts and
    collusion figures (the console's SP list)."""
    return dashboard.summaries(session)


@router.get("/sps/{sp_code}/history", response_model=SpHistory, responses=SP_NOT_FOUND)
def get_sp_history(
    sp_code: Annotated[str, Path(min_length=1, max_length=32)],
    session: SessionDep,
    _: AuditorDep,
) -> SpHistory:
    """The SP's graded months, oldest first: grade, rule, actions, alerts and every figure
    (the console's SP dashboard series)."""
    return dashboard.history(session, sp_code)


@router.get(
    "/sps/{sp_code}/report.html",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}}}, **SP_NOT_FOUND},
)
def get_sp_report(
    sp_code: Annotated[str, Path(min_length=1, max_length=32)],
    session: SessionDep,
    _: AuditorDep,
) -> HTMLResponse:
    """The SP report: grade history and charts of its figures, as one HTML page."""
    return HTMLResponse(dashboard.report_html(session, sp_code))
