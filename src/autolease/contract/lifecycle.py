"""A contract's status machine (pure).

    booked ──payout──▶ active ──▶ settled_early | matured | written_off | repossessed
       │                                                     ▲               │
       └──▶ cancelled (before payout)                        └── written_off ◀┘

`booked` is a signed contract waiting for its payout; the lease runs from the payout date.
A repossessed car may still end in a write-off of the shortfall; every other end is final.
"""

from __future__ import annotations

from enum import StrEnum


class ContractStatus(StrEnum):
    BOOKED = "booked"
    ACTIVE = "active"
    SETTLED_EARLY = "settled_early"
    MATURED = "matured"
    WRITTEN_OFF = "written_off"
    REPOSSESSED = "repossessed"
    CANCELLED = "cancelled"


S = ContractStatus
ALLOWED: dict[ContractStatus, frozenset[ContractStatus]] = {
    S.BOOKED: frozenset({S.ACTIVE, S.CANCELLED}),
    S.ACTIVE: frozenset({S.SETTLED_EARLY, S.MATURED, S.WRITTEN_OFF, S.REPOSSESSED}),
    S.REPOSSESSED: frozenset({S.WRITTEN_OFF}),
    S.SETTLED_EARLY: frozenset(),
    S.MATURED: frozenset(),
    S.WRITTEN_OFF: frozenset(),
    S.CANCELLED: frozenset(),
}
OPEN = frozenset({S.ACTIVE, S.REPOSSESSED})


def can_move(current: ContractStatus, to: ContractStatus) -> bool:
    return to in ALLOWED[current]
