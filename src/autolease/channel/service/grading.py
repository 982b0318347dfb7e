"""Proposing grades for every SP at a month end, and a channel manager's confirmation.

A confirmed grade is written to `service_provider.grade`, which intake passes to the
origination policy as `sp_grade`; a rejected one changes nothing. Both are audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from autolease.audit import service as audit
from autolease.audit.service import Actor
from autolease.channel import repository
from autolease.channel.actions import actions_all
from autolease.channel.exceptions import (
    GradeProposalDecided,
    GradeProposalNotFound,
    GradeRunConflict,
)
from autolease.channel.grading import Approvals, Graded, grade_all, policy_inputs
from autolease.channel.models import SpGradeProposal
from autolease.channel.performance import at_month, count
from autolease.channel.service import collusion
from autolease.channel.service.book import load_book, month_end, month_index
from autolease.channel.settings import ChannelSettings
from autolease.contract.settings import ContractSettings
from autolease.dealer.models import ServiceProvider
from autolease.decision.engine import PolicyEngine
from autolease.decision.jdm import PolicyDocument
from autolease.kit.clock import CHINA_TZ
from autolease.origination.models import Application, Decision
from autolease.review.models import InformationRequest
from autolease.review.vocabulary import DOCUMENT_KINDS


def propose(
    session: Session,
    *,
    month: str,
    engine: PolicyEngine,
    policy: PolicyDocument,
    actions_policy: PolicyDocument,
    contract_settings: ContractSettings,
    settings: ChannelSettings,
    actor: Actor,
) -> list[SpGradeProposal]:
    """Grade every SP at the end of `month`; a proposal already decided is left as it is."""
    book = load_book(session, month, contract_settings)
    panel = book.panel
    figures = at_month(
        count(panel, panel.segments["sp"].codes, len(book.sp_ids)),
        len(panel.months) - 1,
        settings.lookback_months,
    )
    approvals = _approvals(session, book.sp_ids, month, settings.approval_months)
    graph = collusion.figures(session, book.sp_ids, month, settings.lookback_months)
    inputs = policy_inputs(figures, approvals, settings.credibility_k, graph)
    graded = grade_all(engine, policy, inputs)
    todo = actions_all(engine, actions_policy, [{**g.inputs, "grade": g.grade} for g in graded])
    return [
        _store(session, sp_id, month, g, list(codes), policy, actor)
        for sp_id, g, codes in zip(book.sp_ids, graded, todo, strict=True)
    ]


def _store(
    session: Session,
    sp_id: int,
    month: str,
    graded: Graded,
    actions: list[str],
    policy: PolicyDocument,
    actor: Actor,
) -> SpGradeProposal:
    sp = session.get(ServiceProvider, sp_id)
    assert sp is not None
    row = repository.proposal(session, sp_id, month)
    if row is not None and row.status != "proposed":
        return row
    if row is None:
        row = SpGradeProposal(sp_id=sp_id, month=month, status="proposed")
    row.grade, row.previous_grade, row.rule = graded.grade, sp.grade, graded.code
    row.figures, row.actions = graded.inputs, actions
    row.policy_version, row.proposed_at = policy.version, actor.at
    try:
        with session.begin_nested():  # a concurrent run may insert (sp, month) first
            session.add(row)
            session.flush()
    except IntegrityError as err:
        raise GradeRunConflict(
            f"another grade run for {month} stored its proposals first; run it again"
        ) from err
    payload: dict[str, object] = {"month": month, "grade": graded.grade, "rule": graded.code}
    payload |= {"previous": sp.grade, "actions": actions}
    audit.log(
        session,
        actor,
        "sp.grade_proposed",
        entity_type="service_provider",
        entity_id=sp.code,
        payload=payload,
    )
    return row


def _approvals(session: Session, sp_ids: Sequence[int], month: str, months: int) -> Approvals:
    last = month_index(month)
    since = datetime.combine(month_end(last - months), datetime.max.time(), CHINA_TZ)
    until = datetime.combine(month_end(last), datetime.max.time(), CHINA_TZ)
    query = (
        select(Application.sp_id, Decision.outcome, func.count())
        .join(Decision, Decision.application_id == Application.id)
        .where(
            Decision.decided_at > since.astimezone(UTC),
            Decision.decided_at <= until.astimezone(UTC),
        )
        .group_by(Application.sp_id, Decision.outcome)
    )
    position = {sp_id: i for i, sp_id in enumerate(sp_ids)}
    counts = {k: np.zeros(len(sp_ids), dtype=np.int64) for k in ("all", "approve", "refer")}
    for sp_id, outcome, n in session.execute(query):
        i = position[sp_id]
        counts["all"][i] += n
        if outcome in counts:
            counts[outcome][i] += n
    defects = _document_defects(session, position, since, until)
    return Approvals(counts["all"], counts["approve"], counts["refer"], defects)


def _document_defects(
    session: Session, position: dict[int, int], since: datetime, until: datetime
) -> npt.NDArray[np.int64]:
    """Per SP: applications on which a reviewer asked, in the window, for a document kind
    (a missing or unfit document; a free-text need is not a document defect)."""
    query = (
        select(Application.sp_id, InformationRequest.application_id, InformationRequest.items)
        .join(Application, Application.id == InformationRequest.application_id)
        .where(
            InformationRequest.requested_at > since.astimezone(UTC),
            InformationRequest.requested_at <= until.astimezone(UTC),
        )
    )
    seen: set[str] = set()
    out = np.zeros(len(position), dtype=np.int64)
    for sp_id, application_id, items in session.execute(query):
        names_document = any(item.get("kind") in DOCUMENT_KINDS for item in items or ())
        if names_document and application_id not in seen and sp_id in position:
            seen.add(application_id)
            out[position[sp_id]] += 1
    return out


def decide(
    session: Session, proposal_id: int, *, confirm: bool, note: str | None, actor: Actor
) -> SpGradeProposal:
    row = session.get(SpGradeProposal, proposal_id, with_for_update=True)
    if row is None:
        raise GradeProposalNotFound(f"no grade proposal {proposal_id}")
    if row.status != "proposed":
        raise GradeProposalDecided(f"grade proposal {proposal_id} is already {row.status}")
    sp = session.get(ServiceProvider, row.sp_id)
    assert sp is not None
    row.status = "confirmed" if confirm else "rejected"
    row.decided_by, row.decided_at, row.note = actor.name, actor.at, note
    before = sp.grade
    if confirm:
        sp.grade = row.grade
    session.flush()
    audit.log(
        session,
        actor,
        f"sp.grade_{row.status}",
        entity_type="service_provider",
        entity_id=sp.code,
        payload={"month": row.month, "grade": row.grade, "from": before, "note": note},
    )
    return row


def latest_month(session: Session) -> str | None:
    return session.scalar(select(func.max(SpGradeProposal.month)))
