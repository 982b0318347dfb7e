"""Lead-source partners: records, attribution at intake, and the referral fee ledger.

Intake resolves `lead_source.partner_code` (an unknown or inactive code is a 422 naming the
field) and writes one `application_referral` row. Booking a referred contract accrues the
partner's fee (`contract.service.accept` calls `accrue_on_booking`); cancelling it reverses
the accrual (`reverse_on_cancellation`); a payout is posted by the channel team. The entries
are the truth and the balance their sum (`channel.fees`); postings on one partner queue on its
row lock, and the unique (contract, kind) key makes an accrual or reversal happen once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from autolease.audit import service as audit
from autolease.audit.service import Actor
from autolease.channel.exceptions import (
    PartnerExists,
    PartnerInvalid,
    PartnerNotFound,
    PayoutExceedsFees,
)
from autolease.channel.fees import (
    FeeEntry,
    FeeEntryKind,
    FeeKind,
    FeeRule,
    balance,
    fee_for,
    payout_problem,
)
from autolease.channel.models import ApplicationReferral, ChannelPartner, PartnerFeeEntry
from autolease.channel.schemas import (
    FeeEntryRead,
    FeeLedger,
    PartnerIn,
    PartnerKind,
    PartnerPatch,
    PartnerRead,
    PartnerStatus,
)
from autolease.contract.models import Contract
from autolease.kit.money import from_fen, to_fen


def to_read(row: ChannelPartner) -> PartnerRead:
    return PartnerRead(
        code=row.code,
        name=row.name,
        kind=PartnerKind(row.kind),
        status=PartnerStatus(row.status),
        fee_kind=FeeKind(row.fee_kind),
        fee_fixed=None if row.fee_fixed_fen is None else from_fen(row.fee_fixed_fen),
        fee_rate=row.fee_rate,
        created_at=row.created_at,
    )


def rule_of(row: ChannelPartner) -> FeeRule:
    fixed = None if row.fee_fixed_fen is None else from_fen(row.fee_fixed_fen)
    return FeeRule(FeeKind(row.fee_kind), fixed, row.fee_rate)


def _check_rule(rule: FeeRule) -> None:
    problem = rule.problem()
    if problem is not None:
        field = "fee_fixed" if rule.kind is FeeKind.FIXED else "fee_rate"
        raise PartnerInvalid.on(field, "fee_rule", problem, "返佣规则不完整或互相矛盾")


def by_code(session: Session, code: str, *, lock: bool = False) -> ChannelPartner:
    query = select(ChannelPartner).where(ChannelPartner.code == code)
    row = session.scalars(query.with_for_update() if lock else query).first()
    if row is None:
        raise PartnerNotFound(f"no partner with code {code!r}")
    return row


def listing(session: Session) -> Sequence[ChannelPartner]:
    return session.scalars(select(ChannelPartner).order_by(ChannelPartner.code)).all()


def create(session: Session, data: PartnerIn, actor: Actor) -> ChannelPartner:
    _check_rule(FeeRule(data.fee_kind, data.fee_fixed, data.fee_rate))
    row = ChannelPartner(
        code=data.code,
        name=data.name,
        kind=data.kind.value,
        status=PartnerStatus.ACTIVE.value,
        fee_kind=data.fee_kind.value,
        fee_fixed_fen=None if data.fee_fixed is None else to_fen(data.fee_fixed),
        fee_rate=data.fee_rate,
        created_by=actor.name,
        created_at=actor.at,
        updated_at=actor.at,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as err:
        raise PartnerExists(f"a partner with code {data.code!r} exists") from err
    _audit(session, actor, "partner.created", row, data.model_dump(mode="json"))
    return row


def update(session: Session, code: str, data: PartnerPatch, actor: Actor) -> ChannelPartner:
    row = by_code(session, code, lock=True)
    changes = data.model_dump(mode="json", exclude_unset=True)
    if "name" in changes and data.name is not None:
        row.name = data.name
    if "status" in changes and data.status is not None:
        row.status = data.status.value
    if {"fee_kind", "fee_fixed", "fee_rate"} & set(changes):
        kind = data.fee_kind or FeeKind(row.fee_kind)
        fixed = data.fee_fixed if "fee_fixed" in changes else rule_of(row).fixed
        rate = data.fee_rate if "fee_rate" in changes else row.fee_rate
        if kind.value != row.fee_kind:  # a new kind drops the other kind's amount
            fixed = fixed if kind is FeeKind.FIXED else None
            rate = rate if kind is FeeKind.PERCENT else None
        _check_rule(FeeRule(kind, fixed, rate))
        row.fee_kind = kind.value
        row.fee_fixed_fen = None if fixed is None else to_fen(fixed)
        row.fee_rate = rate
    row.updated_at = actor.at
    session.flush()
    _audit(session, actor, "partner.updated", row, changes)
    return row


def _audit(
    session: Session, actor: Actor, action: str, row: ChannelPartner, payload: dict[str, object]
) -> None:
    audit.log(session, actor, action, entity_type="channel_partner", entity_id=row.code,
              payload=payload)  # fmt: skip


# ----------------------------------------------------------------------------- intake


def resolve_referral(session: Session, code: str | None) -> ChannelPartner | None:
    """The active partner an application quotes, None when it quotes none; else a 422."""
    if code is None:
        return None
    row = session.scalars(select(ChannelPartner).where(ChannelPartner.code == code)).first()
    if row is None or row.status != PartnerStatus.ACTIVE.value:
        what = "no partner" if row is None else "an inactive partner"
        raise PartnerInvalid.on(
            "lead_source.partner_code",
            "unknown_partner",
            f"{code!r} is {what}: quote an active partner's code",
            f"合作方代码 {code!r} 不存在或已停用",
        )
    return row


def attribute(session: Session, application_id: str, partner: ChannelPartner, actor: Actor) -> None:
    session.add(
        ApplicationReferral(
            application_id=application_id, partner_id=partner.id, referred_at=actor.at
        )
    )


def partner_of_application(session: Session, application_id: str) -> ChannelPartner | None:
    referral = session.get(ApplicationReferral, application_id)
    return None if referral is None else session.get(ChannelPartner, referral.partner_id)


# ----------------------------------------------------------------------------- fee ledger


def _entries(session: Session, partner_id: int) -> Sequence[PartnerFeeEntry]:
    query = select(PartnerFeeEntry).where(PartnerFeeEntry.partner_id == partner_id)
    return session.scalars(query.order_by(PartnerFeeEntry.id)).all()


def current_balance(session: Session, partner: ChannelPartner) -> Decimal:
    rows = _entries(session, partner.id)
    return balance(FeeEntry(FeeEntryKind(r.kind), from_fen(r.amount_fen)) for r in rows)


def _post(
    session: Session,
    partner: ChannelPartner,
    kind: FeeEntryKind,
    amount: Decimal,
    contract_id: str | None,
    reference: str,
    actor: Actor,
) -> PartnerFeeEntry | None:
    """Append one entry; None when this contract already has an entry of this kind."""
    session.refresh(partner, with_for_update=True)  # postings on one partner queue here
    now = current_balance(session, partner)
    if kind is FeeEntryKind.PAYOUT:
        problem = payout_problem(now, amount)
        if problem is not None:
            raise PayoutExceedsFees(problem)
    after = now + amount * (1 if kind is FeeEntryKind.ACCRUAL else -1)
    row = PartnerFeeEntry(
        partner_id=partner.id,
        kind=kind.value,
        amount_fen=to_fen(amount),
        balance_after_fen=to_fen(after),
        contract_id=contract_id,
        reference=reference,
        recorded_by=actor.name,
        recorded_at=actor.at,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None  # the same contract's accrual or reversal, posted once already
    audit.log(
        session,
        actor,
        f"partner.fee.{kind.value}",
        entity_type="channel_partner",
        entity_id=partner.code,
        payload={"amount": str(amount), "balance": str(after), "contract_id": contract_id},
    )
    return row


def accrue_on_booking(session: Session, contract: Contract, actor: Actor) -> None:
    """A booked contract of a referred application earns its partner's fee."""
    partner = partner_of_application(session, contract.application_id)
    if partner is None:
        return
    fee = fee_for(rule_of(partner), from_fen(contract.financed_fen))
    if fee > 0:
        _post(session, partner, FeeEntryKind.ACCRUAL, fee, contract.id, "booked", actor)


def reverse_on_cancellation(session: Session, contract: Contract, actor: Actor) -> None:
    """A cancelled contract gives its accrued fee back (nothing when none was accrued)."""
    query = select(PartnerFeeEntry).where(
        PartnerFeeEntry.contract_id == contract.id,
        PartnerFeeEntry.kind == FeeEntryKind.ACCRUAL.value,
    )
    accrual = session.scalars(query).first()
    if accrual is None:
        return
    partner = session.get(ChannelPartner, accrual.partner_id)
    assert partner is not None
    amount = from_fen(accrual.amount_fen)
    _post(session, partner, FeeEntryKind.REVERSAL, amount, contract.id, "cancelled", actor)


def payout(
    session: Session, code: str, amount: Decimal, reference: str, actor: Actor
) -> PartnerFeeEntry:
    partner = by_code(session, code)
    row = _post(session, partner, FeeEntryKind.PAYOUT, amount, None, reference, actor)
    assert row is not None  # payouts name no contract: the unique key never holds them
    return row


def entry_read(row: PartnerFeeEntry) -> FeeEntryRead:
    return FeeEntryRead(
        id=row.id,
        kind=FeeEntryKind(row.kind),
        amount=from_fen(row.amount_fen),
        balance_after=from_fen(row.balance_after_fen),
        contract_id=row.contract_id,
        reference=row.reference,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def ledger(session: Session, code: str) -> FeeLedger:
    partner = by_code(session, code)
    entries = [entry_read(r) for r in _entries(session, partner.id)]
    total = balance(FeeEntry(e.kind, e.amount) for e in entries)
    return FeeLedger(partner_code=partner.code, balance=total, entries=entries)
