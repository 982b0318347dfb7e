"""Servicing events: payout, title, repayments, settlement, extensions, default notices,
repossessions, write-offs.

Every event is recorded once per contract under the sender's `event_id`: the same id with the
same body answers from the first recording, another body is refused. The arrears state is
never typed in: it is derived from the schedule and these events (`service.state`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.channel.service import partners
from autolease.contract import repository
from autolease.contract.exceptions import ContractTransitionRefused, ServicingRejected
from autolease.contract.lifecycle import OPEN, ContractStatus, can_move
from autolease.contract.models import Contract, ContractEvent
from autolease.contract.repossession import (
    Notice,
    RepossessionRefused,
    RepossessionRule,
    notice_relied_on,
)
from autolease.contract.schemas import ServicingEvent
from autolease.contract.service.state import state_of
from autolease.contract.settings import ContractSettings
from autolease.contract.settlement import SettlementNotPossible, settlement_quote
from autolease.exceptions import IdempotencyConflict
from autolease.kit.money import to_fen

S = ContractStatus
Result = dict[str, Any]
Handler = Callable[[Session, Contract, Any, ContractSettings], Result]


def body_hash(event: ServicingEvent) -> str:
    canonical = json.dumps(event.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def record_event(
    session: Session,
    *,
    contract: Contract,
    event: ServicingEvent,
    actor: Actor,
    settings: ContractSettings,
) -> tuple[ContractEvent, bool]:
    """Apply and store one event; returns the stored row and whether it was a replay."""
    digest = body_hash(event)
    prior = repository.event(session, contract.id, event.event_id)
    if prior is not None:
        return _replayed(prior, digest), True
    result = HANDLERS[event.kind](session, contract, event, settings)
    row = _row(contract, event, digest, result, actor)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same event id recorded concurrently
        winner = repository.event(session, contract.id, event.event_id)
        if winner is None:
            raise
        return _replayed(winner, digest), True
    contract.updated_at = actor.at
    if event.kind == "cancellation":  # the partner's referral fee is given back
        partners.reverse_on_cancellation(session, contract, actor)
    audit_service.log(
        session,
        actor,
        f"contract.{event.kind}",
        entity_type="contract",
        entity_id=contract.id,
        payload={"event_id": event.event_id, "status": contract.status},
    )
    session.flush()
    return row, False


def _replayed(prior: ContractEvent, digest: str) -> ContractEvent:
    if prior.request_hash != digest:
        raise IdempotencyConflict(
            f"event {prior.event_id} was recorded with another body; use a new event_id"
        )
    return prior


def _row(
    contract: Contract, event: ServicingEvent, digest: str, result: Result, actor: Actor
) -> ContractEvent:
    data = event.model_dump(mode="json", exclude={"event_id", "kind", "occurred_on", "amount"})
    amount = getattr(event, "amount", None)
    return ContractEvent(
        contract_id=contract.id,
        event_id=event.event_id,
        kind=event.kind,
        occurred_on=event.occurred_on,
        amount_fen=to_fen(amount) if amount is not None else None,
        detail={**data, "result": result},
        request_hash=digest,
        recorded_by=actor.name,
        recorded_at=actor.at,
    )


def _check_move(contract: Contract, to: ContractStatus) -> None:
    current = ContractStatus(contract.status)
    if not can_move(current, to):
        raise ContractTransitionRefused(f"a contract that is {current} cannot become {to}")


def _move(contract: Contract, to: ContractStatus) -> None:
    _check_move(contract, to)
    contract.status = to.value


def _require_open(contract: Contract, what: str) -> None:
    if ContractStatus(contract.status) not in OPEN:
        raise ServicingRejected(f"a {what} needs a running contract; this one is {contract.status}")


def _require_after_start(contract: Contract, on: date) -> None:
    if contract.start_on is None or on < contract.start_on:
        raise ServicingRejected("the event is dated before the contract's payout")


def _payout(session: Session, contract: Contract, event: Any, _: ContractSettings) -> Result:
    _move(contract, S.ACTIVE)
    contract.start_on = event.occurred_on
    return {"start_on": event.occurred_on.isoformat()}


def _title(session: Session, contract: Contract, event: Any, _: ContractSettings) -> Result:
    if event.state == "released" and contract.closed_on is None:
        raise ServicingRejected("the title is released only once the contract has ended")
    contract.title_state, contract.title_reference = event.state, event.reference
    return {"title_action": contract.title_action, "title_state": event.state}


def _repayment(session: Session, contract: Contract, event: Any, cfg: ContractSettings) -> Result:
    _require_open(contract, "repayment")
    _require_after_start(contract, event.occurred_on)
    events = [*repository.events_of(session, contract.id), _pending(event)]
    state = state_of(contract, events)
    arrears = state.arrears(event.occurred_on, cfg)
    if contract.status == S.ACTIVE and _all_paid(state.dues, state.payments, cfg):
        _move(contract, S.MATURED)
        contract.closed_on = event.occurred_on
    return {"days_past_due": arrears.days_past_due, "bucket": arrears.bucket.value}


def _pending(event: Any) -> ContractEvent:
    return ContractEvent(
        event_id=event.event_id,
        kind=event.kind,
        occurred_on=event.occurred_on,
        amount_fen=to_fen(event.amount),
        detail={},
    )


def _all_paid(dues: Any, payments: Any, cfg: ContractSettings) -> bool:
    owed = sum(d.amount for d in dues)
    paid = sum(p.amount for p in payments)
    return bool(dues) and paid + cfg.payment_tolerance >= owed


def _quote(session: Session, contract: Contract, event: Any, _: ContractSettings) -> Result:
    _require_open(contract, "settlement quote")
    _require_after_start(contract, event.occurred_on)
    state = state_of(contract, repository.events_of(session, contract.id))
    assert contract.start_on is not None  # checked above
    try:
        quote = settlement_quote(
            state.terms,
            state.schedule,
            state.dues,
            state.payments,
            start_on=contract.start_on,
            as_of=event.occurred_on,
        )
    except SettlementNotPossible as exc:
        raise ServicingRejected(str(exc)) from None
    return {"quote": quote.as_dict()}


def _settlement(session: Session, contract: Contract, event: Any, _: ContractSettings) -> Result:
    _require_open(contract, "settlement payment")
    quote_row = repository.event(session, contract.id, event.quote_event_id)
    if quote_row is None or quote_row.kind != "settlement_quote":
        raise ServicingRejected(f"no settlement quote {event.quote_event_id} on this contract")
    quote = quote_row.detail["result"]["quote"]
    if event.occurred_on > date.fromisoformat(quote["valid_until"]):
        raise ServicingRejected(f"the quote expired on {quote['valid_until']}")
    if event.amount < Decimal(quote["total"]):
        raise ServicingRejected(f"the payment is below the quoted total {quote['total']}")
    _move(contract, S.SETTLED_EARLY)
    contract.closed_on = event.occurred_on
    return {"settled_with": quote["total"]}


def _extension(session: Session, contract: Contract, event: Any, _: ContractSettings) -> Result:
    _require_open(contract, "extension")
    if event.from_installment > len(contract.schedule):
        raise ServicingRejected(f"the contract has {len(contract.schedule)} installments")
    return {"months": event.months}


def _write_off(session: Session, contract: Contract, event: Any, _: ContractSettings) -> Result:
    _move(contract, S.WRITTEN_OFF)
    contract.closed_on = event.occurred_on
    return {}


def _default_notice(
    session: Session, contract: Contract, event: Any, cfg: ContractSettings
) -> Result:
    if contract.status != S.ACTIVE:
        raise ServicingRejected(
            f"a default notice needs an active contract; this one is {contract.status}"
        )
    _require_after_start(contract, event.occurred_on)
    events = repository.events_of(session, contract.id)
    arrears = state_of(contract, events).arrears(event.occurred_on, cfg)
    if arrears.days_past_due == 0:
        raise ServicingRejected(
            f"the contract is not past due on {event.occurred_on.isoformat()}: no default notice"
        )
    remedy_by = event.occurred_on + timedelta(days=cfg.notice_period_days)
    return {
        "days_past_due": arrears.days_past_due,
        "overdue_amount": str(arrears.overdue_amount),
        "remedy_by": remedy_by.isoformat(),
    }


def _repossession(
    session: Session, contract: Contract, event: Any, cfg: ContractSettings
) -> Result:
    _check_move(contract, S.REPOSSESSED)
    _require_after_start(contract, event.occurred_on)
    events = repository.events_of(session, contract.id)
    arrears = state_of(contract, events).arrears(event.occurred_on, cfg)
    notices = [Notice(e.event_id, e.occurred_on) for e in events if e.kind == "default_notice"]
    rule = RepossessionRule(cfg.repossession_min_days_past_due, cfg.notice_period_days)
    try:
        notice = notice_relied_on(
            rule, as_of=event.occurred_on, days_past_due=arrears.days_past_due, notices=notices
        )
    except RepossessionRefused as exc:
        raise ServicingRejected(str(exc)) from None
    _move(contract, S.REPOSSESSED)
    return {
        "days_past_due": arrears.days_past_due,
        "overdue_amount": str(arrears.overdue_amount),
        "notice_event_id": notice.event_id,
    }


def _cancellation(session: Session, contract: Contract, event: Any, _: ContractSettings) -> Result:
    _move(contract, S.CANCELLED)
    contract.closed_on = event.occurred_on
    return {}


HANDLERS: dict[str, Handler] = {
    "payout": _payout,
    "title": _title,
    "repayment": _repayment,
    "settlement_quote": _quote,
    "settlement_payment": _settlement,
    "extension": _extension,
    "write_off": _write_off,
    "default_notice": _default_notice,
    "repossession": _repossession,
    "cancellation": _cancellation,
}
