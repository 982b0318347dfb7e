from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.decision.models import (
    DecisionEvaluation,
    PolicyActivation,
    PolicyVersion,
)
from autolease.origination.models import Decision


def policy_version(session: Session, key: str, version: str) -> PolicyVersion | None:
    query = select(PolicyVersion).where(PolicyVersion.key == key, PolicyVersion.version == version)
    return session.scalars(query).first()


def policy_versions(session: Session, key: str | None = None) -> Sequence[PolicyVersion]:
    query = select(PolicyVersion).order_by(PolicyVersion.key, PolicyVersion.id)
    if key is not None:
        query = query.where(PolicyVersion.key == key)
    return session.scalars(query).all()


def versions_by_hash(session: Session, hashes: Iterable[str]) -> Sequence[PolicyVersion]:
    wanted = sorted(set(hashes))
    if not wanted:
        return ()
    return session.scalars(
        select(PolicyVersion).where(PolicyVersion.content_hash.in_(wanted))
    ).all()


def activations(session: Session, keys: Iterable[str] | None = None) -> Sequence[PolicyActivation]:
    query = select(PolicyActivation).order_by(
        PolicyActivation.key, PolicyActivation.effective_from, PolicyActivation.id
    )
    if keys is not None:
        query = query.where(PolicyActivation.key.in_(sorted(set(keys))))
    return session.scalars(query).all()


def decision(session: Session, decision_id: str) -> Decision | None:
    return session.get(Decision, decision_id)


def evaluations_of(session: Session, decision_id: str) -> Sequence[DecisionEvaluation]:
    query = (
        select(DecisionEvaluation)
        .where(DecisionEvaluation.decision_id == decision_id)
        .order_by(DecisionEvaluation.id)
    )
    return session.scalars(query).all()
