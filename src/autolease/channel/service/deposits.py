"""The deposit ledger: entries are the truth; `service_provider.deposit_balance_fen` is kept
equal to their sum in the same flush, as a cached copy for listings."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from autolease.audit import service as audit
from autolease.audit.service import Actor
from autolease.channel import repository
from autolease.channel.exceptions import ContractNotOfSp, DepositOverdrawn
from autolease.channel.ledger import Entry, EntryKind, balance, overdraw_problem
from autolease.channel.models import SpDepositEntry
from autolease.channel.schemas import DepositEntryIn, DepositEntryRead, DepositLedger
from autolease.contract.models import Contract
from autolease.dealer.models import ServiceProvider
from autolease.kit.money import from_fen, to_fen


def current_balance(session: Session, sp: ServiceProvider) -> Decimal:
    rows = repository.deposit_entries(session, sp.id)
    return balance(Entry(EntryKind(r.kind), from_fen(r.amount_fen)) for r in rows)


def post(
    session: Session, sp: ServiceProvider, data: DepositEntryIn, actor: Actor
) -> SpDepositEntry:
    entry = Entry(data.kind, data.amount)
    session.refresh(sp, with_for_update=True)  # concurrent postings queue on the SP row
    _check_contract(session, sp, data)
    now = current_balance(session, sp)
    problem = overdraw_problem(now, entry)
    if problem is not None:
        raise DepositOverdrawn(problem)
    after = now + (entry.amount if entry.kind is EntryKind.TOP_UP else -entry.amount)
    row = SpDepositEntry(
        sp_id=sp.id,
        kind=entry.kind.value,
        amount_fen=to_fen(entry.amount),
        balance_after_fen=to_fen(after),
        contract_id=data.contract_id,
        reference=data.reference,
        recorded_by=actor.name,
        recorded_at=actor.at,
    )
    session.add(row)
    sp.deposit_balance_fen = to_fen(after)
    session.flush()
    audit.log(
        session,
        actor,
        f"sp.deposit.{entry.kind.value}",
        entity_type="service_provider",
        entity_id=sp.code,
        payload={
            "amount": str(entry.amount),
            "balance": str(after),
            "contract_id": data.contract_id,
        },
    )
    return row


def _check_contract(session: Session, sp: ServiceProvider, data: DepositEntryIn) -> None:
    if data.kind is not EntryKind.DEDUCTION:
        if data.contract_id is not None:
            raise ContractNotOfSp("only a deduction names a contract")
        return
    if data.contract_id is None:
        raise ContractNotOfSp("a deduction must name the contract whose loss it covers")
    contract = session.get(Contract, data.contract_id)
    if contract is None or contract.sp_id != sp.id:
        raise ContractNotOfSp(f"contract {data.contract_id!r} is not one of this SP's contracts")


def ledger(session: Session, sp: ServiceProvider) -> DepositLedger:
    rows = repository.deposit_entries(session, sp.id)
    entries = [
        DepositEntryRead(
            id=r.id,
            kind=EntryKind(r.kind),
            amount=from_fen(r.amount_fen),
            balance_after=from_fen(r.balance_after_fen),
            contract_id=r.contract_id,
            reference=r.reference,
            recorded_by=r.recorded_by,
            recorded_at=r.recorded_at,
        )
        for r in rows
    ]
    total = balance(Entry(e.kind, e.amount) for e in entries)
    return DepositLedger(sp_code=sp.code, balance=total, entries=entries)
