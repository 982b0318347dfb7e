"""Referral fees and their ledger arithmetic (pure, Decimal).

A partner's fee rule is a fixed amount per booked contract or a rate of the financed amount
(rounded half-up to the fen). The ledger's balance is the sum of its entries: an accrual (a
referred contract booked) adds, a reversal (that contract cancelled) and a payout subtract. A
payout larger than the balance is refused; a reversal after the fee was paid out may take the
balance below zero: the partner then owes it, and later accruals net it off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ZERO = Decimal("0.00")
FEN = Decimal("0.01")


class FeeKind(StrEnum):
    FIXED = "fixed"
    PERCENT = "percent"


class FeeEntryKind(StrEnum):
    ACCRUAL = "accrual"
    REVERSAL = "reversal"
    PAYOUT = "payout"


SIGN = {FeeEntryKind.ACCRUAL: 1, FeeEntryKind.REVERSAL: -1, FeeEntryKind.PAYOUT: -1}


@dataclass(frozen=True)
class FeeRule:
    kind: FeeKind
    fixed: Decimal | None = None  # yuan per booked contract
    rate: Decimal | None = None  # share of the financed amount, 0.015 = 1.5 %

    def problem(self) -> str | None:
        """Why the rule is not usable, or None."""
        if self.kind is FeeKind.FIXED and (self.fixed is None or self.rate is not None):
            return "a fixed fee needs fee_fixed and no fee_rate"
        if self.kind is FeeKind.PERCENT and (self.rate is None or self.fixed is not None):
            return "a percent fee needs fee_rate and no fee_fixed"
        return None


def fee_for(rule: FeeRule, financed: Decimal) -> Decimal:
    """The fee a booked contract of `financed` yuan earns under `rule`.

    >>> fee_for(FeeRule(FeeKind.PERCENT, rate=Decimal("0.015")), Decimal("83333.33"))
    Decimal('1250.00')
    >>> fee_for(FeeRule(FeeKind.FIXED, fixed=Decimal("800")), Decimal("50000"))
    Decimal('800.00')
    """
    if rule.kind is FeeKind.FIXED:
        assert rule.fixed is not None
        return rule.fixed.quantize(FEN, rounding=ROUND_HALF_UP)
    assert rule.rate is not None
    return (financed * rule.rate).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FeeEntry:
    kind: FeeEntryKind
    amount: Decimal  # positive


def signed(entry: FeeEntry) -> Decimal:
    return entry.amount * SIGN[entry.kind]


def balance(entries: Iterable[FeeEntry]) -> Decimal:
    return sum((signed(e) for e in entries), ZERO)


def payout_problem(current: Decimal, amount: Decimal) -> str | None:
    """Why a payout of `amount` cannot be made on a balance of `current`, or None."""
    if amount <= 0:
        return "a payout must be positive"
    if amount > current:
        return f"a payout of {amount} exceeds the fees owed ({current})"
    return None
