from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from autolease.product.models import LeaseProductRecord, LeaseProductVersion


def by_code(session: Session, code: str) -> LeaseProductRecord | None:
    return session.scalars(
        select(LeaseProductRecord).where(LeaseProductRecord.code == code)
    ).first()


def all_products(
    session: Session, *, include_inactive: bool = True
) -> Sequence[LeaseProductRecord]:
    query = select(LeaseProductRecord).order_by(LeaseProductRecord.code)
    if not include_inactive:
        query = query.where(LeaseProductRecord.active.is_(True))
    return session.scalars(query).all()


def version(session: Session, product_id: int, number: int) -> LeaseProductVersion | None:
    return session.scalars(
        select(LeaseProductVersion).where(
            LeaseProductVersion.product_id == product_id, LeaseProductVersion.version == number
        )
    ).first()


def versions(session: Session, product_id: int) -> Sequence[LeaseProductVersion]:
    return session.scalars(
        select(LeaseProductVersion)
        .where(LeaseProductVersion.product_id == product_id)
        .order_by(LeaseProductVersion.version)
    ).all()


def current_versions(session: Session) -> Sequence[tuple[LeaseProductRecord, LeaseProductVersion]]:
    """Every product with its current version row, by code."""
    rows = session.execute(
        select(LeaseProductRecord, LeaseProductVersion)
        .join(LeaseProductVersion, LeaseProductVersion.product_id == LeaseProductRecord.id)
        .where(LeaseProductVersion.version == LeaseProductRecord.current_version)
        .order_by(LeaseProductRecord.code)
    ).all()
    return [(record, ver) for record, ver in rows]


def revision(session: Session) -> tuple[int, int]:
    """(number of version rows, highest version id): changes whenever the catalogue changes."""
    count, top = session.execute(
        select(func.count(LeaseProductVersion.id), func.max(LeaseProductVersion.id))
    ).one()
    return int(count), int(top or 0)
