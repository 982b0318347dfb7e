"""The SP status machine and its due-diligence items (pure).

prospect → active → watch → suspended → terminated. `active` and `suspended` keep the meaning
they had before (auth blocks a suspended SP); `watch` is active under closer review. An SP
becomes active only when every due-diligence item is verified; terminated is final.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum


class Status(StrEnum):
    PROSPECT = "prospect"
    ACTIVE = "active"
    WATCH = "watch"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class Item(StrEnum):
    BUSINESS_LICENCE = "business_licence"  # value: the USCC on the licence
    LEGAL_REPRESENTATIVE = "legal_representative"
    PREMISES = "premises"
    AGREEMENT = "agreement"
    DEPOSIT_PAID = "deposit_paid"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PROSPECT: frozenset({Status.ACTIVE, Status.TERMINATED}),
    Status.ACTIVE: frozenset({Status.WATCH, Status.SUSPENDED, Status.TERMINATED}),
    Status.WATCH: frozenset({Status.ACTIVE, Status.SUSPENDED, Status.TERMINATED}),
    Status.SUSPENDED: frozenset({Status.ACTIVE, Status.WATCH, Status.TERMINATED}),
    Status.TERMINATED: frozenset(),
}


def missing_items(verified: Collection[str]) -> tuple[Item, ...]:
    """The due-diligence items not yet verified, in their order."""
    return tuple(item for item in Item if item.value not in verified)


def transition_problem(current: str, target: str, verified: Collection[str]) -> str | None:
    """Why `current` → `target` is not allowed, or None when it is."""
    now, then = Status(current), Status(target)
    if then not in TRANSITIONS[now]:
        return f"an SP cannot go from {now.value} to {then.value}"
    missing = missing_items(verified)
    if now is Status.PROSPECT and then is Status.ACTIVE and missing:
        return "due diligence is not complete: " + ", ".join(m.value for m in missing)
    return None
