"""Policy activations under maker-checker: one analyst proposes, another approves; no commit.

A proposal pins the version's content hash (the version is registered, with its cases run,
when proposed); approving it schedules the activation as the approver
(`decision.service.activate`), so ``policy_activation.activated_by`` is the checker and the
change request keeps the maker.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.decision import repository as decision_repository
from autolease.decision.models import PolicyActivation
from autolease.decision.service import policies
from autolease.decision.service.policies import DecisionRuntime
from autolease.governance import repository
from autolease.governance.exceptions import StageChangeInvalid
from autolease.governance.models import ChangeRequest
from autolease.governance.service import models as governance_models
from autolease.governance.service.checks import refuse_self_approval
from autolease.governance.service.models import pending_change


def propose_activation(
    session: Session,
    decisions: DecisionRuntime,
    *,
    key: str,
    version: str,
    effective_from: datetime | None,
    note: str | None,
    actor: Actor,
) -> ChangeRequest:
    """Propose activating ``key@version``; audited as ``policy.activation_proposed``."""
    if effective_from is not None:
        policies.check_effective_from(effective_from, actor.at)
    row = policies.stored_or_registered(session, decisions, key, version, actor)
    change = ChangeRequest(
        subject="policy",
        name=key,
        version=version,
        action="activate",
        status="pending",
        content_hash=row.content_hash,
        effective_from=effective_from,
        note=note[:500] if note else None,
        proposed_by=actor.name,
        proposed_at=actor.at,
    )
    session.add(change)
    session.flush()
    _audit(session, actor, "policy.activation_proposed", change)
    return change


def approve_activation(
    session: Session, decisions: DecisionRuntime, change_id: int, actor: Actor
) -> PolicyActivation:
    """Approve a pending activation (not the proposer's own) and schedule it."""
    change = pending_change(session, change_id, "policy")
    refuse_self_approval(change, actor)
    stored = decision_repository.policy_version(session, change.name, change.version)
    if stored is None or stored.content_hash != change.content_hash:
        raise StageChangeInvalid(f"{change.ref} is not the content that was proposed")
    activation = policies.activate(
        session,
        runtime=decisions,
        key=change.name,
        version=change.version,
        effective_from=change.effective_from,
        note=change.note,
        actor=actor,
    )
    change.status, change.decided_by, change.decided_at = "approved", actor.name, actor.at
    session.flush()
    _audit(session, actor, "policy.activation_approved", change)
    return activation


def _audit(session: Session, actor: Actor, action: str, change: ChangeRequest) -> None:
    audit_service.log(
        session,
        actor,
        action,
        entity_type="policy",
        entity_id=change.ref,
        payload={
            "change": change.id,
            "content_hash": change.content_hash,
            "proposed_by": change.proposed_by,
        },
    )


def reject_activation(session: Session, change_id: int, actor: Actor) -> ChangeRequest:
    """Reject a pending activation (anyone but its proposer may); audited
    ``policy.change_rejected``."""
    return governance_models.reject(session, change_id, "policy", actor)


def proposals(
    session: Session, *, key: str | None = None, status: str | None = None
) -> list[ChangeRequest]:
    """Policy activation proposals, newest first: of one policy and in one status if given."""
    rows = repository.changes(session, subject="policy", status=status)
    return sorted((r for r in rows if key is None or r.name == key), key=lambda r: -r.id)
