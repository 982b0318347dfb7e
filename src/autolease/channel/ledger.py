"""The deposit (保证金) ledger arithmetic (pure, Decimal).

The balance is the sum of the entries: top-ups add, deductions and refunds subtract. An entry
that would take the balance below zero is refused, so the balance never goes negative.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal("0.00")


class EntryKind(StrEnum):
    TOP_UP = "top_up"
    DEDUCTION = "deduction"  # against a loss on one of the SP's contracts
    REFUND = "refund"


SIGN = {EntryKind.TOP_UP: 1, EntryKind.DEDUCTION: -1, EntryKind.REFUND: -1}


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    amount: Decimal  # positive


def signed(entry: Entry) -> Decimal:
    return entry.amount * SIGN[entry.kind]


def balance(entries: Iterable[Entry]) -> Decimal:
    return sum((signed(e) for e in entries), ZERO)


def overdraw_problem(current: Decimal, entry: Entry) -> str | None:
    """Why `entry` cannot be posted on a balance of `current`, or None when it can."""
    if entry.amount <= 0:
        return "an amount must be positive"
    if current + signed(entry) < 0:
        return f"a {entry.kind.value} of {entry.amount} exceeds the balance of {current}"
    return None
