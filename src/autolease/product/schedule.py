"""Repayment schedules (pure): level payment, equal principal, balloon, rent in advance.

`build_schedule(terms)` picks a generator from `GENERATORS`, a dict keyed by
(`AmortizationMethod`, `ScheduleType`), as Fineract's `LoanScheduleGeneratorFactory` does.

Conventions
-----------
- All money is `Decimal`; every rounding goes through `autolease.kit.money.round_money`
  (ROUND_HALF_UP to the fen). The monthly rate is ``annual_rate / 12`` at full precision.
- *Arrears* rent is due at the end of each month (periods 1..n); rent *in advance* is due at
  the start (periods 0..n-1), so the first payment carries no interest.
- A balloon (弹性尾款) is its own final row, due at period n, for exactly ``balloon``. In
  arrears the rent rows amortise down to the balloon; in advance they amortise down to the
  balloon discounted by one month, and the balloon row carries that month's interest.
- The last rent row absorbs the rounding residue so the balance reaches its target exactly.

>>> from decimal import Decimal
>>> rows = build_schedule(LeaseTerms(Decimal("100000"), Decimal("0.08"), 36))
>>> rows[0].payment, rows[-1].balance_after
(Decimal('3133.64'), Decimal('0.00'))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from autolease.kit.money import round_money
from autolease.product.exceptions import ScheduleInputError, field_error

ZERO = Decimal("0.00")
MONTHS_PER_YEAR = 12


class AmortizationMethod(StrEnum):
    LEVEL_PAYMENT = "level_payment"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金


class ScheduleType(StrEnum):
    ARREARS = "arrears"  # 后付
    ADVANCE = "advance"  # 先付


class RowKind(StrEnum):
    RENT = "rent"
    BALLOON = "balloon"


@dataclass(frozen=True)
class LeaseTerms:
    """What a schedule is built from. Raises `ScheduleInputError` naming the bad field."""

    principal: Decimal
    annual_rate: Decimal
    term_months: int
    balloon: Decimal = ZERO
    method: AmortizationMethod = AmortizationMethod.LEVEL_PAYMENT
    schedule_type: ScheduleType = ScheduleType.ARREARS

    def __post_init__(self) -> None:
        if self.principal <= 0:
            raise _bad("principal", "positive", "must be positive", "必须大于零")
        if not 0 <= self.annual_rate < 1:
            raise _bad("annual_rate", "range", "must be in [0, 1)", "必须在[0, 1)之间")
        if not 1 <= self.term_months <= 120:
            raise _bad("term_months", "range", "must be 1 to 120 months", "必须为1至120期")
        if not 0 <= self.balloon < self.principal:
            raise _bad(
                "balloon", "range", "must be at least 0 and below the principal", "须小于本金"
            )

    @property
    def monthly_rate(self) -> Decimal:
        return self.annual_rate / MONTHS_PER_YEAR

    @property
    def in_advance(self) -> bool:
        return self.schedule_type is ScheduleType.ADVANCE


@dataclass(frozen=True)
class Installment:
    number: int
    period: int
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance_after: Decimal
    kind: RowKind = RowKind.RENT


Schedule = tuple[Installment, ...]
Generator = Callable[[LeaseTerms], Schedule]


def _bad(field: str, rule: str, message_en: str, message_zh: str) -> ScheduleInputError:
    error = field_error(ScheduleInputError, field, rule, message_en, message_zh)
    assert isinstance(error, ScheduleInputError)
    return error


def residual_target(terms: LeaseTerms) -> Decimal:
    """Balance the rent rows amortise down to: the balloon, one month discounted in advance."""
    if terms.balloon == 0:
        return ZERO
    if terms.in_advance:
        return round_money(terms.balloon / (1 + terms.monthly_rate))
    return round_money(terms.balloon)


def level_payment_amount(
    principal: Decimal, monthly_rate: Decimal, months: int, balloon: Decimal, *, advance: bool
) -> Decimal:
    """The unrounded level rent (等额本息) that leaves `balloon` due at the end of the term.

    Parameters
    ----------
    principal : Decimal
        Amount financed at period 0.
    monthly_rate : Decimal
        Rate per month, e.g. ``Decimal("0.08") / 12``.
    months : int
        Number of rent payments.
    balloon : Decimal
        Amount due at period ``months`` on top of the rent (0 for none).
    advance : bool
        Rent due at the start of each month instead of the end.

    Returns
    -------
    Decimal
        ``(P - B v^n) r / (1 - v^n)``, divided by ``1 + r`` when in advance.

    Examples
    --------
    >>> round(level_payment_amount(Decimal(100000), Decimal("0.08") / 12, 36, Decimal(0),
    ...                            advance=False), 4)
    Decimal('3133.6365')
    """
    if monthly_rate == 0:
        return (principal - balloon) / months
    discount = (1 + monthly_rate) ** -months
    payment = (principal - balloon * discount) * monthly_rate / (1 - discount)
    return payment / (1 + monthly_rate) if advance else payment


def _interest(balance: Decimal, terms: LeaseTerms, number: int) -> Decimal:
    if terms.in_advance and number == 1:
        return ZERO
    return round_money(balance * terms.monthly_rate)


def _period(terms: LeaseTerms, number: int) -> int:
    return number - 1 if terms.in_advance else number


def _rent_rows(
    terms: LeaseTerms, principal_part: Callable[[Decimal, Decimal], Decimal]
) -> Schedule:
    """Rent rows 1..n; `principal_part(balance, interest)` gives each row's principal."""
    target = residual_target(terms)
    balance = round_money(terms.principal)
    rows: list[Installment] = []
    for number in range(1, terms.term_months + 1):
        interest = _interest(balance, terms, number)
        last = number == terms.term_months
        principal = balance - target if last else principal_part(balance, interest)
        balance -= principal
        rows.append(
            Installment(
                number, _period(terms, number), principal + interest, principal, interest, balance
            )
        )
    return (*rows, *_balloon_row(terms, target))


def _balloon_row(terms: LeaseTerms, target: Decimal) -> Schedule:
    if terms.balloon == 0:
        return ()
    balloon = round_money(terms.balloon)
    return (
        Installment(
            terms.term_months + 1,
            terms.term_months,
            balloon,
            target,
            balloon - target,
            ZERO,
            RowKind.BALLOON,
        ),
    )


def _level(terms: LeaseTerms) -> Schedule:
    rent = round_money(
        level_payment_amount(
            terms.principal,
            terms.monthly_rate,
            terms.term_months,
            terms.balloon,
            advance=terms.in_advance,
        )
    )
    return _rent_rows(terms, lambda _balance, interest: rent - interest)


def _equal_principal(terms: LeaseTerms) -> Schedule:
    part = round_money((terms.principal - residual_target(terms)) / terms.term_months)
    return _rent_rows(terms, lambda _balance, _interest: part)


GENERATORS: dict[tuple[AmortizationMethod, ScheduleType], Generator] = {
    (AmortizationMethod.LEVEL_PAYMENT, ScheduleType.ARREARS): _level,
    (AmortizationMethod.LEVEL_PAYMENT, ScheduleType.ADVANCE): _level,
    (AmortizationMethod.EQUAL_PRINCIPAL, ScheduleType.ARREARS): _equal_principal,
    (AmortizationMethod.EQUAL_PRINCIPAL, ScheduleType.ADVANCE): _equal_principal,
}


def build_schedule(terms: LeaseTerms) -> Schedule:
    """The full schedule for `terms`: rent rows, then a balloon row when there is one.

    Parameters
    ----------
    terms : LeaseTerms
        Principal, rate, term, balloon, amortisation method and schedule type.

    Returns
    -------
    tuple of Installment
        Rows in due order; the last row's ``balance_after`` is exactly 0.

    Examples
    --------
    >>> rows = build_schedule(LeaseTerms(Decimal("100000"), Decimal("0.08"), 36, Decimal("30000")))
    >>> rows[0].payment, rows[-1].kind.value, rows[-1].payment
    (Decimal('2393.55'), 'balloon', Decimal('30000.00'))
    """
    return GENERATORS[(terms.method, terms.schedule_type)](terms)


def rent_rows(schedule: Schedule) -> Schedule:
    return tuple(row for row in schedule if row.kind is RowKind.RENT)


def max_rent(schedule: Schedule) -> Decimal:
    """The largest rent payment (the balloon excluded): what a budget must cover."""
    return max(row.payment for row in rent_rows(schedule))


def total_payments(schedule: Schedule) -> Decimal:
    return sum((row.payment for row in schedule), ZERO)


def total_interest(schedule: Schedule) -> Decimal:
    return sum((row.interest for row in schedule), ZERO)


# ---- early settlement --------------------------------------------------------------------------


@dataclass(frozen=True)
class EarlySettlementRule:
    """Configurable early-settlement terms (docs/domain.md §1.8).

    penalty = ``penalty_rate`` × outstanding principal + ``penalty_months_interest`` months of
    interest on it, waived once ``waive_after_payments`` rent payments have been made.
    """

    penalty_rate: Decimal = Decimal("0.03")
    penalty_months_interest: int = 0
    waive_after_payments: int | None = None
    validity_days: int = 7

    def waived(self, payments_made: int) -> bool:
        return self.waive_after_payments is not None and payments_made >= self.waive_after_payments


@dataclass(frozen=True)
class SettlementQuote:
    payments_made: int
    outstanding_principal: Decimal
    accrued_interest: Decimal
    penalty: Decimal
    penalty_waived: bool
    unrefunded_fees: Decimal
    total: Decimal
    valid_until: date


def early_settlement_quote(
    terms: LeaseTerms,
    *,
    payments_made: int,
    days_since_last_due: int,
    rule: EarlySettlementRule,
    as_of: date,
    unrefunded_fees: Decimal = ZERO,
) -> SettlementQuote:
    """What the lessee pays to settle today: principal + accrued rent + penalty + fees.

    Parameters
    ----------
    terms : LeaseTerms
        The contract's terms (the schedule is rebuilt from them).
    payments_made : int
        Rent rows paid so far, ``0 <= payments_made < term_months``.
    days_since_last_due : int
        Days since the last due date, 0..30; interest accrues on a 30/360 basis.
    rule : EarlySettlementRule
        Penalty and validity terms from the product snapshot.
    as_of : date
        Quote date; the quote is valid until ``as_of + rule.validity_days``.
    unrefunded_fees : Decimal
        Fees still owed at settlement (0 by default).

    Returns
    -------
    SettlementQuote

    Examples
    --------
    >>> terms = LeaseTerms(Decimal("100000"), Decimal("0.08"), 36)
    >>> q = early_settlement_quote(terms, payments_made=12, days_since_last_due=0,
    ...                            rule=EarlySettlementRule(), as_of=date(2026, 1, 1))
    >>> q.outstanding_principal, q.penalty
    (Decimal('69286.36'), Decimal('2078.59'))
    """
    if not 0 <= payments_made < terms.term_months:
        raise _bad("payments_made", "range", "must be 0 to term - 1", "须为0至总期数-1")
    if not 0 <= days_since_last_due <= 30:
        raise _bad("days_since_last_due", "range", "must be 0 to 30", "须为0至30天")
    rents = rent_rows(build_schedule(terms))
    outstanding = (
        rents[payments_made - 1].balance_after if payments_made else round_money(terms.principal)
    )
    accrued = round_money(outstanding * terms.annual_rate * days_since_last_due / 360)
    waived = rule.waived(payments_made)
    penalty = ZERO if waived else _penalty(outstanding, terms, rule)
    total = outstanding + accrued + penalty + round_money(unrefunded_fees)
    return SettlementQuote(
        payments_made,
        outstanding,
        accrued,
        penalty,
        waived,
        round_money(unrefunded_fees),
        total,
        as_of + timedelta(days=rule.validity_days),
    )


def _penalty(outstanding: Decimal, terms: LeaseTerms, rule: EarlySettlementRule) -> Decimal:
    months_interest = outstanding * terms.monthly_rate * rule.penalty_months_interest
    return round_money(outstanding * rule.penalty_rate + months_interest)
