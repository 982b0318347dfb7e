"""The live book in the store as a performance panel: each contract's state at each month-end.

For a store of demo or pilot size (a Python pass per contract and month); a large book is
reported from its panel files (`autolease portfolio report --panel/--book`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.contract.arrears import Bucket
from autolease.contract.calendar import add_months
from autolease.contract.models import Contract, ContractEvent
from autolease.contract.service.state import state_of
from autolease.contract.settings import ContractSettings
from autolease.dealer.models import ServiceProvider
from autolease.portfolio.panel import NOT_OBSERVED, Panel, Segment, State

BUCKET_STATE = {
    Bucket.CURRENT: State.CURRENT,
    Bucket.M1: State.M1,
    Bucket.M2: State.M2,
    Bucket.M3_PLUS: State.M3_PLUS,
}
CLOSED_STATE = {"settled_early": State.CLOSED_GOOD, "matured": State.CLOSED_GOOD}


def month_end(day: date) -> date:
    return date.fromordinal(add_months(day.replace(day=1), 1).toordinal() - 1)


def panel_from_store(session: Session, *, as_of: date, settings: ContractSettings) -> Panel:
    contracts = [
        c
        for c in session.scalars(
            select(Contract).where(Contract.start_on.is_not(None)).order_by(Contract.start_on)
        ).all()
        if c.start_on is not None and c.start_on <= as_of
    ]
    events = _events_by_contract(session)
    sps = {sp.id: sp for sp in session.scalars(select(ServiceProvider)).all()}
    if not contracts:
        return Panel(np.zeros((0, 1), dtype=np.int8), np.zeros(0, dtype=np.int32), ())
    first = _month(_start(contracts[0]))
    months = _labels(first, _month(as_of))
    width = max(c.term_months for c in contracts) + 1
    states = np.full((len(contracts), width), NOT_OBSERVED, dtype=np.int8)
    for row, contract in enumerate(contracts):
        states[row] = _row(contract, events.get(contract.id, []), as_of, width, settings)
    origination = np.array([_month(_start(c)) - first for c in contracts], dtype=np.int32)
    return Panel(states, origination, months, _segments(contracts, sps))


def _row(
    contract: Contract,
    events: Sequence[ContractEvent],
    as_of: date,
    width: int,
    settings: ContractSettings,
) -> np.ndarray:
    assert contract.start_on is not None
    out = np.full(width, NOT_OBSERVED, dtype=np.int8)
    state = state_of(contract, events)
    for mob in range(width):
        end = month_end(add_months(contract.start_on, mob))
        if end > as_of:
            break
        out[mob] = _state_at(contract, state.arrears(end, settings).bucket, end)
    return out


def _state_at(contract: Contract, bucket: Bucket, end: date) -> int:
    if contract.closed_on is not None and contract.closed_on <= end:
        if contract.status in CLOSED_STATE:
            return int(CLOSED_STATE[contract.status])
        if contract.status == "written_off":
            return int(State.WRITTEN_OFF)
    return int(BUCKET_STATE[bucket])


def _events_by_contract(session: Session) -> dict[str, list[ContractEvent]]:
    grouped: dict[str, list[ContractEvent]] = defaultdict(list)
    rows = session.scalars(
        select(ContractEvent).order_by(ContractEvent.occurred_on, ContractEvent.id)
    ).all()
    for event in rows:
        grouped[event.contract_id].append(event)
    return grouped


def _start(contract: Contract) -> date:
    assert contract.start_on is not None  # selected so
    return contract.start_on


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _labels(first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, max(first, last) + 1))


def _segments(contracts: Sequence[Contract], sps: dict[int, ServiceProvider]) -> dict[str, Segment]:
    def codes(values: list[str]) -> Segment:
        labels = tuple(sorted(set(values)))
        index = {v: i for i, v in enumerate(labels)}
        return Segment(np.array([index[v] for v in values], dtype=np.int32), labels)

    return {
        "product": codes([c.product_type for c in contracts]),
        "sp_grade": codes([sps[c.sp_id].grade if c.sp_id in sps else "?" for c in contracts]),
        "region": codes([sps[c.sp_id].region if c.sp_id in sps else "?" for c in contracts]),
    }
