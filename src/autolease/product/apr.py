"""APR on the real cash flows (pure): an IRR over every payment and every related fee.

PBOC Announcement 〔2021〕 No. 3 asks for the annualised rate on the principal the customer
actually has, counting interest and all directly related fees (docs/domain.md §1.6).
`lease_cash_flows` lays a schedule and the fees out as one flow per period (the lessor's
view: the advance is negative, fees and rent are positive); `irr` finds the periodic rate
with a safeguarded Newton iteration that falls back to bisection, in `Decimal`.

The APR shown on an offer is the nominal annual rate ``12 × monthly IRR`` (how lease rates are
quoted); the effective annual rate ``(1 + IRR)^12 − 1`` is shown beside it.

>>> from decimal import Decimal
>>> round(apr([Decimal(-975), Decimal(1080)], periods_per_year=1), 4)
Decimal('0.1077')
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from autolease.product.exceptions import AprError, field_error
from autolease.product.schedule import Installment

ONE = Decimal(1)
LOWEST_RATE = Decimal("-0.99")
FIRST_UPPER = Decimal(1)
HIGHEST_RATE = Decimal(1_000_000)
TOLERANCE = Decimal("1e-15")
MAX_ITERATIONS = 200
LOWER_STEPS = 6  # lo: -0.99, -0.9999, ... -1 + 1e-12


def _error(rule: str, message_en: str, message_zh: str) -> AprError:
    error = field_error(AprError, "cash_flows", rule, message_en, message_zh)
    assert isinstance(error, AprError)
    return error


def npv_and_slope(rate: Decimal, flows: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """Net present value of `flows` (one per period, period 0 first) and its derivative."""
    step = ONE / (ONE + rate)
    factor = ONE
    value = Decimal(0)
    slope = Decimal(0)
    for period, flow in enumerate(flows):
        value += flow * factor
        slope -= period * flow * factor * step
        factor *= step
    return value, slope


def _positive(rate: Decimal, flows: Sequence[Decimal]) -> bool:
    return npv_and_slope(rate, flows)[0] > 0


def _bracket(flows: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """Rates (lo, hi) with NPVs of opposite sign: hi grows tenfold, then lo creeps to -1."""
    lo, hi = LOWEST_RATE, FIRST_UPPER
    while _positive(hi, flows) == _positive(lo, flows) and hi < HIGHEST_RATE:
        hi *= 10
    for _ in range(LOWER_STEPS):
        if _positive(hi, flows) != _positive(lo, flows):
            return lo, hi
        lo = -ONE + (ONE + lo) / 100
    raise _error("no_root", "the cash flows have no rate of return", "现金流无内部收益率")


def irr(flows: Sequence[Decimal], *, guess: Decimal = Decimal("0.01")) -> Decimal:
    """The periodic internal rate of return of `flows`.

    Parameters
    ----------
    flows : sequence of Decimal
        One net flow per period, period 0 first; needs both signs.
    guess : Decimal
        Starting rate for Newton's method.

    Returns
    -------
    Decimal
        The rate ``r > -1`` at which the net present value is zero, to about 1e-15.

    Raises
    ------
    AprError
        When the flows do not change sign or no root is found in (-1 + 1e-12, 1e6].

    Examples
    --------
    >>> round(irr([Decimal(-100), Decimal(110)]), 6)
    Decimal('0.100000')
    """
    if not any(f > 0 for f in flows) or not any(f < 0 for f in flows):
        raise _error("one_sign", "cash flows must have both signs", "现金流须有正有负")
    lo, hi = _bracket(flows)
    positive_at_lo = npv_and_slope(lo, flows)[0] > 0
    rate = guess if lo < guess < hi else (lo + hi) / 2
    for _ in range(MAX_ITERATIONS):
        value, slope = npv_and_slope(rate, flows)
        if value == 0:
            return rate
        if (value > 0) == positive_at_lo:
            lo = rate
        else:
            hi = rate
        candidate = rate - value / slope if slope != 0 else lo
        if not lo < candidate < hi:
            candidate = (lo + hi) / 2
        if abs(candidate - rate) < TOLERANCE:
            return candidate
        rate = candidate
    raise _error("no_convergence", "the rate of return did not converge", "内部收益率未收敛")


def apr(flows: Sequence[Decimal], *, periods_per_year: int = 12) -> Decimal:
    """Nominal annual rate: the periodic IRR times the number of periods in a year.

    Examples
    --------
    >>> round(apr([Decimal(-1000), Decimal(1080)], periods_per_year=1), 4)
    Decimal('0.0800')
    """
    return irr(flows) * periods_per_year


def effective_annual_rate(period_rate: Decimal, *, periods_per_year: int = 12) -> Decimal:
    """``(1 + r)^k − 1``: the period rate compounded over a year.

    Examples
    --------
    >>> round(effective_annual_rate(Decimal("0.01")), 6)
    Decimal('0.126825')
    """
    return (ONE + period_rate) ** periods_per_year - ONE


def lease_cash_flows(
    schedule: Sequence[Installment], *, amount_advanced: Decimal, upfront_fees: Decimal
) -> tuple[Decimal, ...]:
    """The lessor's net flow per month: −advance + upfront fees at 0, then every payment.

    Parameters
    ----------
    schedule : sequence of Installment
        Rent and balloon rows; financed fees are inside their principal already.
    amount_advanced : Decimal
        What the customer actually receives: the vehicle price financed, or the cash paid out
        in a sale-and-leaseback — not the fees added to the principal.
    upfront_fees : Decimal
        Directly related fees the customer pays at signing, whoever the payee.

    Returns
    -------
    tuple of Decimal
        Flows for periods 0..n.

    Examples
    --------
    >>> from autolease.product.schedule import LeaseTerms, build_schedule
    >>> rows = build_schedule(LeaseTerms(Decimal(1000), Decimal("0.12"), 2))
    >>> lease_cash_flows(rows, amount_advanced=Decimal(1000), upfront_fees=Decimal(10))
    (Decimal('-990'), Decimal('507.51'), Decimal('507.51'))
    """
    last = max(row.period for row in schedule)
    flows = [Decimal(0)] * (last + 1)
    flows[0] = upfront_fees - amount_advanced
    for row in schedule:
        flows[row.period] += row.payment
    return tuple(flows)


def schedule_apr(
    schedule: Sequence[Installment], *, amount_advanced: Decimal, upfront_fees: Decimal
) -> Decimal:
    """APR of a lease: ``12 × IRR`` of `lease_cash_flows`."""
    flows = lease_cash_flows(schedule, amount_advanced=amount_advanced, upfront_fees=upfront_fees)
    return apr(flows)
