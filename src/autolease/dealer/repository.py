from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.dealer.models import ServiceProvider


def by_code(session: Session, code: str) -> ServiceProvider | None:
    return session.scalars(select(ServiceProvider).where(ServiceProvider.code == code)).first()


def all_sps(session: Session) -> Sequence[ServiceProvider]:
    return session.scalars(select(ServiceProvider).order_by(ServiceProvider.code)).all()
