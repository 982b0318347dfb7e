"""Why nothing fits, and the smallest change that would (pure).

`binding_constraint` names the rule that removed the last structures: constraints are checked
in a fixed order (product rules, term rules, balloon, down payment, LTV, financed limits,
budget, payment-to-income, APR ceiling), so the last one that removed anything is the one
that binds.

`smallest_changes` looks, for each structure still open after the product and term rules, at
the range of amounts advanced ``x`` every other limit allows — each limit is linear in ``x``
(rent and the APR slack come from `screen.affine_many`) — and derives one change per lever: a
larger down payment, a smaller amount (sale-and-leaseback), a larger budget, a larger documented
income, or another term. Each proposal is re-screened (the caller's `rescreen`) before it is
shown, so "down payment + ¥8,000" really does make an offer possible; when no single change
works, a term change combined with one more change is tried. They are ordered by
relative effort (the change divided by the current value; a term step counts half its length
over the term wanted) — a heuristic, stated here so nobody mistakes it for a law.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from autolease.product import screen
from autolease.product.changes import Change, Lever, apply_change
from autolease.product.kinds import Constraint
from autolease.product.request import (
    CustomerNeeds,
    MatchRequest,
    ceil_step,
    floor_step,
    maximum_down_payment,
    minimum_down_payment,
)
from autolease.product.structures import Plan

Screened = Sequence[tuple[Plan, screen.Cells]]
Rescreen = Callable[[CustomerNeeds], Screened]

# ---- the binding constraint ---------------------------------------------------------------------


def binding_constraint(
    gated: Mapping[str, Constraint],
    screened: Screened,
    req: MatchRequest,
) -> Constraint:
    """The constraint that removed the last structures at the terms allowed.

    Checks run in a fixed order (product rules in `Constraint` order, then `screen.CELL_ORDER`),
    so the last check that removed anything is the one that leaves nothing.
    """
    counts: Counter[int] = Counter()
    for plan, cells in screened:
        for index, term in enumerate(plan.grid.terms):
            if req.term_allowed(term):
                counts.update(cells.codes[index].ravel().tolist())
    counts.pop(0, None)
    if counts:
        return screen.CELL_ORDER[max(counts) - 1]
    if screened:
        return Constraint.TERM
    if not gated:
        return Constraint.CATALOGUE_EMPTY
    # Product rules apply in `Constraint` order too: the last one that removed a product binds.
    order = list(Constraint)
    return max(set(gated.values()), key=order.index)


# ---- the smallest changes ------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The amounts advanced x one structure allows: every bound but the ones left out."""

    lo: float
    hi: float


@dataclass(frozen=True)
class Bounds:
    """Each limit on x for one structure (term × balloon of a plan)."""

    common_lo: float
    common_hi: float
    apr_lo: float
    apr_hi: float
    cash_lo: float  # from the cash available, or the least share of the amount (回租)
    amount_hi: float  # from the amount requested (inf for a cash product)
    budget_hi: float
    income_hi: float
    rent_slope: float
    rent_intercept: float

    def window(
        self, *, cash: bool = True, amount: bool = True, budget: bool = True, income: bool = True
    ) -> Window | None:
        lo = max(self.common_lo, self.apr_lo, self.cash_lo if cash else -math.inf)
        hi = min(
            self.common_hi,
            self.apr_hi,
            self.amount_hi if amount else math.inf,
            self.budget_hi if budget else math.inf,
            self.income_hi if income else math.inf,
        )
        return Window(lo, hi) if lo <= hi else None

    def rent(self, x: float) -> float:
        return self.rent_slope * x + self.rent_intercept


def _upper(slope: float, intercept: float, cap: float) -> float:
    """Largest x with slope·x + intercept ≤ cap (slope > 0)."""
    if not math.isfinite(cap):
        return math.inf
    return (cap - intercept) / slope if slope > 0 else (math.inf if intercept <= cap else -math.inf)


def _apr_bounds(slope: float, intercept: float) -> tuple[float, float]:
    """x range with slope·x + intercept ≥ 0."""
    if slope > 0:
        return -intercept / slope, math.inf
    if slope < 0:
        return -math.inf, -intercept / slope
    return (-math.inf, math.inf) if intercept >= 0 else (math.inf, -math.inf)


def structure_bounds(
    plan: Plan, req: MatchRequest, affine: screen.Affine | None = None
) -> list[tuple[int, Bounds]]:
    """(term index, `Bounds`) for each open term × balloon of `plan` (residual cap passed).

    `affine` is `screen.affine_in_advance(plan.grid, plan.shape)`, computed here if not given.
    """
    shape, fees, settings = plan.shape, plan.shape.fees, req.settings
    grow = 1 + fees.financed_rate
    value = float(plan.value)
    common_lo = max(
        (shape.min_financed + fees.tolerance - fees.financed_fixed) / grow,
        value - float(maximum_down_payment(plan.product, plan.value, settings)),
    )
    common_hi = min(
        (shape.ltv_limit - fees.tolerance - fees.financed_fixed) / grow,
        (shape.max_financed - fees.tolerance - fees.financed_fixed) / grow,
        value - float(minimum_down_payment(plan.product, plan.value, settings)),
    )
    cash_lo, amount_hi = _customer_bounds(plan, req)
    coefficients = affine or screen.affine_in_advance(plan.grid, shape)
    k1, k0, s1, s0 = (a.tolist() for a in coefficients)
    out = []
    for ti, term in enumerate(plan.grid.terms):
        if plan.grid.term_codes[ti] != 0 or not req.term_allowed(term):
            continue
        for b in range(len(plan.balloons)):
            if not plan.grid.balloon_ok[ti, b]:
                continue
            rent = (k1[ti][b], k0[ti][b])
            bounds = Bounds(
                common_lo,
                common_hi,
                *_apr_bounds(s1[ti][b], s0[ti][b]),
                cash_lo,
                amount_hi,
                _upper(*rent, shape.payment_cap_budget),
                _upper(*rent, shape.payment_cap_income),
                *rent,
            )
            out.append((ti, bounds))
    return out


def _customer_bounds(plan: Plan, req: MatchRequest) -> tuple[float, float]:
    step = req.settings.down_payment_step
    if plan.product.cash_down_payment:
        cash = floor_step(req.needs.down_payment_available, step)
        return float(plan.value - cash), math.inf
    amount = req.needs.amount_requested
    if amount is None:
        return -math.inf, math.inf
    share = req.settings.leaseback_min_share
    least = plan.value - floor_step(plan.value - share * amount, step)
    return float(least), float(amount)


def _open_structures(screened: Screened, req: MatchRequest) -> Iterable[tuple[Plan, Bounds]]:
    plans = [plan for plan, _ in screened]
    affines = screen.affine_many([(plan.grid, plan.shape) for plan in plans])
    for plan, affine in zip(plans, affines, strict=True):
        for _, bounds in structure_bounds(plan, req, affine):
            yield plan, bounds


def _down_payment_change(plan: Plan, b: Bounds, req: MatchRequest) -> Change | None:
    if not plan.product.cash_down_payment:
        return None
    w = b.window(cash=False)
    if w is None:
        return None
    step = req.settings.down_payment_step
    needed = ceil_step(plan.value - Decimal(str(math.floor(w.hi * 100) / 100)), step)
    if float(plan.value - needed) < w.lo:
        return None
    current = req.needs.down_payment_available
    return Change(Lever.DOWN_PAYMENT, current, needed, float((needed - current) / plan.value))


def _amount_change(plan: Plan, b: Bounds, req: MatchRequest) -> Change | None:
    amount = req.needs.amount_requested
    if plan.product.cash_down_payment or amount is None:
        return None
    w = b.window(amount=False, cash=False)
    if w is None:
        return None
    proposed = floor_step(Decimal(str(math.floor(w.hi))), req.settings.down_payment_step)
    if float(proposed) < w.lo or proposed >= amount:
        return None
    return Change(Lever.AMOUNT, amount, proposed, float((amount - proposed) / amount))


def _budget_change(plan: Plan, b: Bounds, req: MatchRequest) -> Change | None:
    budget = req.needs.monthly_budget
    w = b.window(budget=False)
    if budget is None or w is None:
        return None
    proposed = ceil_step(Decimal(str(math.ceil(b.rent(w.lo)))), Decimal(10))
    if proposed <= budget:
        return None
    return Change(Lever.MONTHLY_BUDGET, budget, proposed, float((proposed - budget) / budget))


def _income_change(plan: Plan, b: Bounds, req: MatchRequest) -> Change | None:
    income = req.needs.monthly_income
    w = b.window(income=False)
    if income is None or w is None:
        return None
    cap = plan.product.eligibility.max_payment_to_income
    needed = Decimal(str(math.ceil(b.rent(w.lo)))) / cap
    proposed = ceil_step(needed, Decimal(100))
    if proposed <= income:
        return None
    return Change(Lever.MONTHLY_INCOME, income, proposed, float((proposed - income) / income))


LEVERS: tuple[Callable[[Plan, Bounds, MatchRequest], Change | None], ...] = (
    _down_payment_change,
    _amount_change,
    _budget_change,
    _income_change,
)


def _term_change(screened: Screened, req: MatchRequest) -> Change | None:
    wanted = req.needs.term_months
    if wanted is None or req.needs.flexible_term:
        return None
    open_terms = {
        term
        for plan, cells in screened
        for index, term in enumerate(plan.grid.terms)
        if term != wanted and bool((cells.codes[index] == 0).any())
    }
    if not open_terms:
        return None
    best = min(open_terms, key=lambda t: (abs(t - wanted), -t))
    return Change(Lever.TERM, wanted, best, abs(best - wanted) / wanted / 2)


def has_feasible(screened: Screened, req: MatchRequest) -> bool:
    """Does any screened structure pass at a term the request allows?"""
    return any(
        bool((cells.codes[index] == 0).any())
        for plan, cells in screened
        for index, term in enumerate(plan.grid.terms)
        if req.term_allowed(term)
    )


def _single_changes(screened: Screened, req: MatchRequest, rescreen: Rescreen) -> list[Change]:
    best: dict[Lever, Change] = {}
    for plan, bounds in _open_structures(screened, req):
        for lever in LEVERS:
            change = lever(plan, bounds, req)
            if change is not None and (
                change.lever not in best or change.effort < best[change.lever].effort
            ):
                best[change.lever] = change
    confirmed = []
    for change in best.values():
        needs = apply_change(req.needs, change)
        if has_feasible(rescreen(needs), replace(req, needs=needs)):
            confirmed.append(change)
    term = _term_change(screened, req)
    return [*confirmed, term] if term is not None else confirmed


def _term_then_change(screened: Screened, req: MatchRequest, rescreen: Rescreen) -> list[Change]:
    """When no single change helps: another term together with one more change."""
    wanted = req.needs.term_months
    if wanted is None or req.needs.flexible_term:
        return []
    terms = {t for plan, _ in screened for t in plan.grid.terms if t != wanted}
    for term in sorted(terms, key=lambda t: (abs(t - wanted), -t)):
        needs = replace(req.needs, term_months=term)
        moved = replace(req, needs=needs)
        singles = _single_changes(rescreen(needs), moved, rescreen)
        if singles:
            then = min(singles, key=lambda c: (c.effort, c.lever.value))
            step = abs(term - wanted) / wanted / 2
            return [Change(Lever.TERM, wanted, term, step + then.effort, then)]
    return []


def smallest_changes(
    screened: Screened, req: MatchRequest, rescreen: Rescreen
) -> tuple[Change, ...]:
    """Changes that make an offer possible, least effort first (one per lever).

    `rescreen(needs)` re-screens the catalogue with changed needs; a proposal that still
    admits nothing is dropped, so every change returned is one the matcher has confirmed.
    When no single change helps, a term change combined with one other change is tried.
    """
    found = _single_changes(screened, req, rescreen) or _term_then_change(screened, req, rescreen)
    return tuple(sorted(found, key=lambda c: (c.effort, c.lever.value)))
