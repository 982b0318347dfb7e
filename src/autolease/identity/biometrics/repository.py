"""Queries for biometric templates."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from autolease.identity.biometrics.models import BiometricTemplate


def add(session: Session, row: BiometricTemplate) -> BiometricTemplate:
    session.add(row)
    session.flush()
    return row


def for_subject(
    session: Session, subject_bidx: str, *, modality: str, purpose: str = "applicant"
) -> Sequence[BiometricTemplate]:
    """The subject's templates of one kind, newest first."""
    query = (
        select(BiometricTemplate)
        .where(
            BiometricTemplate.subject_bidx == subject_bidx,
            BiometricTemplate.modality == modality,
            BiometricTemplate.purpose == purpose,
        )
        .order_by(BiometricTemplate.created_at.desc(), BiometricTemplate.id.desc())
    )
    return session.scalars(query).all()


def blacklist(session: Session, *, modality: str) -> Sequence[BiometricTemplate]:
    query = select(BiometricTemplate).where(
        BiometricTemplate.purpose == "blacklist", BiometricTemplate.modality == modality
    )
    return session.scalars(query.order_by(BiometricTemplate.id)).all()


def count_for_subject(session: Session, subject_bidx: str, *, sp_id: int | None) -> int:
    query = select(BiometricTemplate.id).where(BiometricTemplate.subject_bidx == subject_bidx)
    if sp_id is not None:
        query = query.where(BiometricTemplate.sp_id == sp_id)
    return len(session.scalars(query).all())


def delete_for_subject(session: Session, subject_bidx: str, *, sp_id: int | None) -> int:
    """Delete the subject's templates (only those enrolled by `sp_id` when given)."""
    doomed = count_for_subject(session, subject_bidx, sp_id=sp_id)
    statement = delete(BiometricTemplate).where(BiometricTemplate.subject_bidx == subject_bidx)
    if sp_id is not None:
        statement = statement.where(BiometricTemplate.sp_id == sp_id)
    session.execute(statement)
    session.flush()
    return doomed
