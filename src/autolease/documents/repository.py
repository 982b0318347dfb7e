"""Queries of the documents domain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from autolease.documents.models import Document
from autolease.origination.models import Application


def of_application(
    session: Session, application_id: str, kind: str | None = None
) -> Sequence[Document]:
    query = select(Document).where(Document.application_id == application_id)
    if kind is not None:
        query = query.where(Document.kind == kind)
    return session.scalars(query.order_by(Document.id)).all()


def count_of_application(session: Session, application_id: str) -> int:
    query = select(func.count()).select_from(Document)
    return session.scalar(query.where(Document.application_id == application_id)) or 0


def one_of_application(session: Session, application_id: str, document_id: int) -> Document | None:
    query = select(Document).where(
        Document.id == document_id, Document.application_id == application_id
    )
    return session.scalars(query).one_or_none()


def same_file(session: Session, application_id: str, kind: str, sha256: str) -> Document | None:
    query = select(Document).where(
        Document.application_id == application_id,
        Document.kind == kind,
        Document.sha256 == sha256,
    )
    return session.scalars(query.order_by(Document.id).limit(1)).first()


def by_ids(session: Session, ids: Iterable[int]) -> Sequence[Document]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return session.scalars(select(Document).where(Document.id.in_(wanted))).all()


def storage_names(session: Session, names: Iterable[str]) -> set[str]:
    """Which of `names` a row refers to."""
    wanted = list(names)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(Document.storage_name).where(Document.storage_name.in_(chunk))
        found.update(session.scalars(query))
    return found


def of_applications_ended_before(
    session: Session, statuses: Iterable[str], before: datetime
) -> Sequence[Document]:
    """Documents of applications in one of `statuses` whose last change is before `before`."""
    query = (
        select(Document)
        .join(Application, Application.id == Document.application_id)
        .where(Application.status.in_(list(statuses)), Application.updated_at < before)
        .order_by(Document.id)
    )
    return session.scalars(query).all()
