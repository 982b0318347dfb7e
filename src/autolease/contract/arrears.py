"""The arrears state of a contract, derived from its schedule and payments (pure).

Payments are applied oldest installment first (a waterfall). As of a date:

- **days past due** count from the due date of the oldest installment not fully paid;
- the **bucket** is ``current`` at 0 days, ``M1`` at 1-30, ``M2`` at 31-60, ``M3+`` from 61;
- **first payment default** (FPD) is true when the first installment was still not fully paid
  at the end of the `fpd_days`-th day after it fell due; it is ``None`` until then.

A shortfall up to `tolerance` is treated as paid, so a rounding fen never makes a contract late.

>>> dues = (Due(1, date(2026, 2, 1), Decimal("100")), Due(2, date(2026, 3, 1), Decimal("100")))
>>> state = arrears_state(dues, (Payment(date(2026, 2, 3), Decimal("100")),), date(2026, 3, 15))
>>> state.days_past_due, state.bucket.value, state.overdue_amount
(14, 'M1', Decimal('100'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)
FPD_DAYS = 30


class Bucket(StrEnum):
    CURRENT = "current"
    M1 = "M1"
    M2 = "M2"
    M3_PLUS = "M3+"


def bucket_of(days_past_due: int) -> Bucket:
    if days_past_due <= 0:
        return Bucket.CURRENT
    if days_past_due <= 30:
        return Bucket.M1
    if days_past_due <= 60:
        return Bucket.M2
    return Bucket.M3_PLUS


@dataclass(frozen=True)
class Due:
    """One installment: its number, due date and the whole amount due (rent or balloon)."""

    number: int
    due_on: date
    amount: Decimal


@dataclass(frozen=True)
class Payment:
    on: date
    amount: Decimal


@dataclass(frozen=True)
class ArrearsState:
    as_of: date
    days_past_due: int
    bucket: Bucket
    overdue_amount: Decimal
    paid_total: Decimal
    installments_due: int
    installments_paid: int
    oldest_unpaid: int | None
    first_payment_default: bool | None
    unapplied: Decimal

    def as_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "days_past_due": self.days_past_due,
            "bucket": self.bucket.value,
            "overdue_amount": str(self.overdue_amount),
            "paid_total": str(self.paid_total),
            "installments_due": self.installments_due,
            "installments_paid": self.installments_paid,
            "oldest_unpaid": self.oldest_unpaid,
            "first_payment_default": self.first_payment_default,
            "unapplied": str(self.unapplied),
        }


def paid_dates(
    dues: Sequence[Due], payments: Sequence[Payment], tolerance: Decimal = ZERO
) -> list[date | None]:
    """For each installment, the day the waterfall finished paying it (None: not yet)."""
    remaining = [due.amount for due in dues]
    done: list[date | None] = [None] * len(dues)
    index = 0
    for payment in sorted(payments, key=lambda p: p.on):
        left = payment.amount
        while index < len(dues) and left > ZERO:
            applied = min(left, remaining[index])
            remaining[index] -= applied
            left -= applied
            if remaining[index] <= tolerance:
                done[index] = payment.on
                index += 1
        while index < len(dues) and remaining[index] <= tolerance:
            done[index] = payment.on
            index += 1
    return done


def arrears_state(
    dues: Sequence[Due],
    payments: Sequence[Payment],
    as_of: date,
    *,
    tolerance: Decimal = ZERO,
    fpd_days: int = FPD_DAYS,
) -> ArrearsState:
    """The state as of `as_of`; payments after that day are ignored."""
    counted = [p for p in payments if p.on <= as_of]
    done = paid_dates(dues, counted, tolerance)
    fallen_due = [d for d in dues if d.due_on <= as_of]
    unpaid = [d for d, when in zip(dues, done, strict=True) if when is None and d.due_on <= as_of]
    paid_total = sum((p.amount for p in counted), ZERO)
    owed = sum((d.amount for d in fallen_due), ZERO)
    scheduled = sum((d.amount for d in dues), ZERO)
    dpd = (as_of - unpaid[0].due_on).days if unpaid else 0
    return ArrearsState(
        as_of=as_of,
        days_past_due=dpd,
        bucket=bucket_of(dpd),
        overdue_amount=max(owed - paid_total, ZERO) if unpaid else ZERO,
        paid_total=paid_total,
        installments_due=len(fallen_due),
        installments_paid=sum(1 for when in done if when is not None),
        oldest_unpaid=unpaid[0].number if unpaid else None,
        first_payment_default=_first_payment_default(dues, done, as_of, fpd_days),
        unapplied=max(paid_total - scheduled, ZERO),
    )


def _first_payment_default(
    dues: Sequence[Due], done: Sequence[date | None], as_of: date, fpd_days: int
) -> bool | None:
    if not dues:
        return None
    first, paid_on = dues[0], done[0]
    deadline = first.due_on.toordinal() + fpd_days
    if paid_on is not None and paid_on.toordinal() <= deadline:
        return False
    if as_of.toordinal() <= deadline:  # it can still be paid today
        return None
    return True
