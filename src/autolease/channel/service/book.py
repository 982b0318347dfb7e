"""The live book as a performance panel: each paid-out contract's state at each month on book,
from the contract domain's schedule and payments, with an `sp` segment (SP ids as labels)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.contract.arrears import Bucket
from autolease.contract.models import Contract, ContractEvent
from autolease.contract.service.state import state_of
from autolease.contract.settings import ContractSettings
from autolease.dealer.models import ServiceProvider
from autolease.portfolio.panel import NOT_OBSERVED, Panel, Segment, State

MOBS_KEPT = 13  # MOB 0 … 12: the grade's longest figure
BUCKET_STATE = {
    Bucket.CURRENT: State.CURRENT,
    Bucket.M1: State.M1,
    Bucket.M2: State.M2,
    Bucket.M3_PLUS: State.M3_PLUS,
}
GOOD_ENDS = frozenset({"settled_early", "matured"})


@dataclass(frozen=True)
class StoreBook:
    panel: Panel
    sp_ids: tuple[int, ...]  # panel segment "sp" code i is SP id sp_ids[i]
    application_ids: tuple[str, ...] = ()  # each panel row's application


def month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_end(index: int) -> date:
    year, mon = index // 12, index % 12 + 1
    return date(year, mon, calendar.monthrange(year, mon)[1])


def load_book(session: Session, month: str, settings: ContractSettings) -> StoreBook:
    """Every SP and every contract paid out by the end of `month`, as known at that month end."""
    last = month_index(month)
    sp_ids = tuple(session.scalars(select(ServiceProvider.id).order_by(ServiceProvider.id)))
    contracts = [
        c
        for c in session.scalars(select(Contract).where(Contract.start_on.is_not(None)))
        if c.start_on is not None and month_index(c.start_on.strftime("%Y-%m")) <= last
    ]
    events = _events(session, [c.id for c in contracts])
    first = min(
        (month_index(c.start_on.strftime("%Y-%m")) for c in contracts if c.start_on), default=last
    )
    states = np.full((len(contracts), MOBS_KEPT), NOT_OBSERVED, dtype=np.int8)
    origination = np.zeros(len(contracts), dtype=np.int32)
    codes = np.zeros(len(contracts), dtype=np.int32)
    position = {sp_id: i for i, sp_id in enumerate(sp_ids)}
    for row, contract in enumerate(contracts):
        assert contract.start_on is not None
        start = month_index(contract.start_on.strftime("%Y-%m"))
        origination[row], codes[row] = start - first, position[contract.sp_id]
        states[row] = _states(contract, events[contract.id], start, last, settings)
    months = tuple(month_label(i) for i in range(first, last + 1))
    segment = Segment(codes, tuple(str(i) for i in sp_ids))
    apps = tuple(c.application_id for c in contracts)
    return StoreBook(Panel(states, origination, months, {"sp": segment}), sp_ids, apps)


def _events(session: Session, ids: Sequence[str]) -> dict[str, list[ContractEvent]]:
    found: dict[str, list[ContractEvent]] = defaultdict(list)
    if ids:
        query = select(ContractEvent).where(ContractEvent.contract_id.in_(ids))
        for event in session.scalars(query.order_by(ContractEvent.occurred_on, ContractEvent.id)):
            found[event.contract_id].append(event)
    return found


def _states(
    contract: Contract,
    events: list[ContractEvent],
    start: int,
    last: int,
    settings: ContractSettings,
) -> np.ndarray:
    state = state_of(contract, events)
    out = np.full(MOBS_KEPT, NOT_OBSERVED, dtype=np.int8)
    for mob in range(min(MOBS_KEPT, last - start + 1)):
        as_of = month_end(start + mob)
        out[mob] = _state_at(contract, state.arrears(as_of, settings).bucket, as_of)
    return out


def _state_at(contract: Contract, bucket: Bucket, as_of: date) -> State:
    closed = contract.closed_on is not None and contract.closed_on <= as_of
    if closed and contract.status in GOOD_ENDS:
        return State.CLOSED_GOOD
    if closed and contract.status == "written_off":
        return State.WRITTEN_OFF
    return BUCKET_STATE[bucket]
