"""Decision records: store every policy evaluation of a decision, and replay them. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from autolease.db import insert_rows
from autolease.decision import repository
from autolease.decision.engine import PolicyEngine, PolicyEvaluationError, PolicyOutputInvalid
from autolease.decision.exceptions import (
    DecisionNotFound,
    DecisionNotReplayable,
    PolicyInvalid,
)
from autolease.decision.jdm import PolicyDocument
from autolease.decision.models import DecisionEvaluation, PolicyVersion
from autolease.decision.replay import Difference, EvaluationReplay, ReplayReport, compare
from autolease.decision.stage import PolicyEvaluation, evaluations_of
from autolease.origination.models import Decision
from autolease.origination.pipeline import DecisionContext

INTAKE_ACTOR = "system:intake"

# Policy versions are append-only and immutable, so once a (key, version, hash) is known to be
# stored in a database it need not be read again for every decision. Kept per engine (one
# database each); only committed rows are remembered (see `_remember_after_commit`).
_stored_versions: WeakKeyDictionary[object, set[tuple[str, str, str]]] = WeakKeyDictionary()
_PENDING = "autolease.pending_policy_versions"


def record_evaluations(
    session: Session, *, decision_id: str, application_id: str, ctx: DecisionContext, at: datetime
) -> list[DecisionEvaluation]:
    """Store the policy evaluations the policy stage left on ``ctx`` (call after the decision).

    Any policy version used that is not stored yet (the packaged file version, before its
    first activation) is stored first, so every decision stays replayable.
    """
    rows = []
    for evaluation in evaluations_of(ctx):
        if not _known_stored(session, evaluation.policy):
            ensure_version(session, evaluation.policy, at=at)
            _remember_after_commit(session, evaluation.policy)
        rows.append(_row(evaluation, decision_id, application_id, at))
    insert_rows(session, rows)
    return rows


def forget_stored_versions(bind: object) -> None:
    """Drop what is remembered about a database's stored versions: call after deleting rows
    behind the service's back (a test emptying its tables, a restore from backup)."""
    _stored_versions.pop(bind, None)


def _known_stored(session: Session, document: PolicyDocument) -> bool:
    known = _stored_versions.get(session.get_bind(), set())
    return (document.key, document.version, document.content_hash) in known


def _remember_after_commit(session: Session, document: PolicyDocument) -> None:
    """Remember the version as stored once this transaction commits (a rollback may undo
    the insert `ensure_version` just made)."""
    label = (document.key, document.version, document.content_hash)
    session.info.setdefault(_PENDING, set()).add(label)


@event.listens_for(Session, "after_commit")
def _on_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        _stored_versions.setdefault(session.get_bind(), set()).update(pending)


@event.listens_for(Session, "after_rollback")
def _on_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _row(
    evaluation: PolicyEvaluation, decision_id: str, application_id: str, at: datetime
) -> DecisionEvaluation:
    return DecisionEvaluation(
        decision_id=decision_id,
        application_id=application_id,
        role=evaluation.role,
        acted=evaluation.acted,
        policy_key=evaluation.policy.key,
        policy_version=evaluation.policy.version,
        policy_hash=evaluation.policy.content_hash,
        outcome=evaluation.outcome,
        reasons=[dict(r) for r in evaluation.reasons],
        input=dict(evaluation.input),
        trace=evaluation.trace,
        error=evaluation.error,
        evaluated_at=at,
    )


def ensure_version(session: Session, document: PolicyDocument, *, at: datetime) -> PolicyVersion:
    """The stored row of a version, inserting the document when absent (no cases re-run).

    Raises
    ------
    PolicyInvalid
        When the label is stored with other content: the process is deciding with a file
        that changed without a version bump.
    """
    row = repository.policy_version(session, document.key, document.version)
    if row is not None:
        return _same_content(row, document)
    row = PolicyVersion(
        key=document.key,
        version=document.version,
        content_hash=document.content_hash,
        content=document.content,
        cases=None,
        description=document.description[:500],
        source="package",
        created_by=INTAKE_ACTOR,
        created_at=at,
    )
    try:
        with session.begin_nested():  # the first decisions of several workers race here
            session.add(row)
    except IntegrityError:
        stored = repository.policy_version(session, document.key, document.version)
        if stored is None:
            raise
        return _same_content(stored, document)
    return row


def _same_content(row: PolicyVersion, document: PolicyDocument) -> PolicyVersion:
    if row.content_hash != document.content_hash:
        raise PolicyInvalid(
            f"{document.ref} in use has hash {document.content_hash[:12]} but is stored "
            f"with {row.content_hash[:12]}: a policy file changed without a new version"
        )
    return row


def replay(session: Session, *, decision_id: str, engine: PolicyEngine) -> ReplayReport:
    """Re-run every stored evaluation of a decision and report matches or differences."""
    decision = repository.decision(session, decision_id)
    if decision is None:
        raise DecisionNotFound(f"no decision {decision_id!r}")
    rows = repository.evaluations_of(session, decision_id)
    if not rows:
        raise DecisionNotReplayable(
            f"decision {decision_id} was made by {decision.policy_key}@{decision.policy_version}"
            " without a stored policy evaluation; it cannot be replayed"
        )
    evaluations = tuple(_replay_one(session, row, engine) for row in rows)
    return ReplayReport(decision_id, evaluations, _record_differences(decision, rows))


def _replay_one(
    session: Session, row: DecisionEvaluation, engine: PolicyEngine
) -> EvaluationReplay:
    def report(replayed: str | None, *differences: Difference) -> EvaluationReplay:
        return EvaluationReplay(
            row.role,
            row.acted,
            row.policy_key,
            row.policy_version,
            row.policy_hash,
            row.outcome,
            replayed,
            differences,
        )

    stored = repository.policy_version(session, row.policy_key, row.policy_version)
    if stored is None:
        return report(None, Difference("policy_version", row.policy_version, None))
    try:
        document = PolicyDocument.from_text(stored.key, stored.version, stored.content)
    except PolicyInvalid as err:
        return report(None, Difference("policy_content", row.policy_hash, err.detail))
    if document.content_hash != row.policy_hash or stored.content_hash != row.policy_hash:
        return report(None, Difference("policy_hash", row.policy_hash, document.content_hash))
    try:
        result = engine.evaluate(document, row.input, trace=row.trace is not None)
    except (PolicyEvaluationError, PolicyOutputInvalid) as err:
        if row.error is not None:
            return report(row.outcome)
        return report(None, Difference("error", row.error, str(err)))
    return report(
        result.outcome,
        *compare(
            stored_outcome=row.outcome,
            stored_reasons=row.reasons,
            stored_trace=row.trace,
            replayed=result,
        ),
    )


def _record_differences(
    decision: Decision, rows: Sequence[DecisionEvaluation]
) -> tuple[Difference, ...]:
    """The decision row must agree with the one evaluation that acted."""
    acted = [r for r in rows if r.acted]
    if len(acted) != 1:
        return (Difference("acting_evaluations", 1, len(acted)),)
    row = acted[0]
    differences = []
    if decision.outcome != row.outcome:
        differences.append(Difference("decision.outcome", decision.outcome, row.outcome))
    if decision.policy_hash != row.policy_hash:
        differences.append(
            Difference("decision.policy_hash", decision.policy_hash, row.policy_hash)
        )
    return tuple(differences)
