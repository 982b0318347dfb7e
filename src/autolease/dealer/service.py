"""SP (channel partner) records. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from autolease.channel import repository as channel_repository
from autolease.channel.exceptions import StatusChangeRefused
from autolease.channel.lifecycle import transition_problem
from autolease.channel.models import SpDepositEntry
from autolease.dealer import repository
from autolease.dealer.exceptions import SpCodeTaken, SpNotFound
from autolease.dealer.models import ServiceProvider
from autolease.dealer.schemas import SpCreate, SpRead, SpUpdate
from autolease.kit.money import from_fen, to_fen


def create(session: Session, *, data: SpCreate, at: datetime) -> ServiceProvider:
    if repository.by_code(session, data.code) is not None:
        raise SpCodeTaken(f"SP code {data.code!r} is taken")
    sp = ServiceProvider(
        code=data.code,
        name=data.name,
        region=data.region,
        grade=data.grade.value,
        status="prospect" if data.onboarding else "active",
        deposit_balance_fen=to_fen(data.deposit_balance),
        currency="CNY",
        created_at=at,
    )
    session.add(sp)
    session.flush()
    if sp.deposit_balance_fen > 0:  # the ledger is the truth: the opening balance is an entry
        session.add(
            SpDepositEntry(
                sp_id=sp.id,
                kind="top_up",
                amount_fen=sp.deposit_balance_fen,
                balance_after_fen=sp.deposit_balance_fen,
                reference="opening balance",
                recorded_by="sp.created",
                recorded_at=at,
            )
        )
        session.flush()
    return sp


def update(session: Session, *, code: str, data: SpUpdate) -> ServiceProvider:
    sp = get_by_code(session, code=code)
    if data.name is not None:
        sp.name = data.name
    if data.grade is not None:
        sp.grade = data.grade.value
    if data.status is not None and data.status.value != sp.status:
        verified = {r.item for r in channel_repository.due_diligence(session, sp.id) if r.verified}
        problem = transition_problem(sp.status, data.status.value, verified)
        if problem is not None:
            raise StatusChangeRefused(problem)
        sp.status = data.status.value
    session.flush()
    return sp


def get(session: Session, *, sp_id: int) -> ServiceProvider:
    sp = session.get(ServiceProvider, sp_id)
    if sp is None:
        raise SpNotFound(f"no SP with id {sp_id}")
    return sp


def get_by_code(session: Session, *, code: str) -> ServiceProvider:
    sp = repository.by_code(session, code)
    if sp is None:
        raise SpNotFound(f"no SP with code {code!r}")
    return sp


def list_all(session: Session) -> Sequence[ServiceProvider]:
    return repository.all_sps(session)


def to_read(sp: ServiceProvider) -> SpRead:
    return SpRead.model_validate(
        {
            "code": sp.code,
            "name": sp.name,
            "region": sp.region,
            "grade": sp.grade,
            "status": sp.status,
            "deposit_balance": from_fen(sp.deposit_balance_fen),
            "currency": sp.currency,
            "created_at": sp.created_at,
        }
    )


def origins_of(session: Session, *, code: str) -> list[str]:
    """The web origins an SP's pages may call the API from, sorted."""
    sp = get_by_code(session, code=code)
    return sorted(repository.origins_of(session, sp.id))


def set_origins(session: Session, *, code: str, origins: list[str], at: datetime) -> list[str]:
    """Replace an SP's allow-list of web origins (already canonical, `dealer.origins`)."""
    sp = get_by_code(session, code=code)
    repository.replace_origins(session, sp.id, origins, at)
    return sorted(origins)
