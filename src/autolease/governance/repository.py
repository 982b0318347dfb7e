"""Queries of model versions and change requests."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.governance.models import ChangeRequest, ModelVersion


def model_version(session: Session, name: str, version: str) -> ModelVersion | None:
    return session.scalars(
        select(ModelVersion).where(ModelVersion.name == name, ModelVersion.version == version)
    ).first()


def model_versions(session: Session, name: str | None = None) -> Sequence[ModelVersion]:
    query = select(ModelVersion).order_by(ModelVersion.name, ModelVersion.version)
    if name is not None:
        query = query.where(ModelVersion.name == name)
    return session.scalars(query).all()


def champions(session: Session, names: Sequence[str]) -> dict[str, ModelVersion]:
    rows = session.scalars(
        select(ModelVersion).where(ModelVersion.name.in_(names), ModelVersion.stage == "champion")
    )
    return {row.name: row for row in rows}


def challenger(session: Session, name: str) -> ModelVersion | None:
    """The challenger of `name` that became one last (it scores in shadow)."""
    return session.scalars(
        select(ModelVersion)
        .where(ModelVersion.name == name, ModelVersion.stage == "challenger")
        .order_by(ModelVersion.stage_at.desc(), ModelVersion.id.desc())
    ).first()


def change(session: Session, change_id: int) -> ChangeRequest | None:
    return session.get(ChangeRequest, change_id)


def changes(
    session: Session, *, subject: str | None = None, status: str | None = None
) -> Sequence[ChangeRequest]:
    query = select(ChangeRequest).order_by(ChangeRequest.id)
    if subject is not None:
        query = query.where(ChangeRequest.subject == subject)
    if status is not None:
        query = query.where(ChangeRequest.status == status)
    return session.scalars(query).all()


def champion_history(session: Session, name: str) -> Sequence[ChangeRequest]:
    """Approved changes that made a version of `name` champion, newest first."""
    return session.scalars(
        select(ChangeRequest)
        .where(
            ChangeRequest.subject == "model",
            ChangeRequest.name == name,
            ChangeRequest.action == "champion",
            ChangeRequest.status == "approved",
        )
        .order_by(ChangeRequest.id.desc())
    ).all()


def approved_changes(session: Session, name: str, version: str) -> Sequence[ChangeRequest]:
    """Approved stage changes of one model version, oldest first."""
    return session.scalars(
        select(ChangeRequest)
        .where(
            ChangeRequest.subject == "model",
            ChangeRequest.name == name,
            ChangeRequest.version == version,
            ChangeRequest.status == "approved",
        )
        .order_by(ChangeRequest.id)
    ).all()
