"""Per-product plans and the exact evaluation of one structure (pure).

For a `request.MatchRequest`, `make_plan` prices one product and lays out its structures
(terms × balloons × down payments) for the float screen; `evaluate` rebuilds one structure
exactly in `Decimal` — fees, principal, schedule, APR — and lists every constraint it breaks.
`matching.match` ties them together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np

from autolease.kit.money import round_money
from autolease.product import screen
from autolease.product.apr import effective_annual_rate, irr, lease_cash_flows
from autolease.product.catalogue import Catalogue, LeaseProduct, product_gate, term_gate
from autolease.product.kinds import Constraint
from autolease.product.pricing import (
    FeeCharge,
    Price,
    charge_fees,
    financed_fees,
    price,
    upfront_fees,
)
from autolease.product.request import (
    CustomerNeeds,
    MatchRequest,
    base_value,
    down_payment_grid,
    minimum_down_payment,
)
from autolease.product.schedule import (
    AmortizationMethod,
    LeaseTerms,
    Schedule,
    ScheduleType,
    build_schedule,
    max_rent,
    rent_rows,
    total_interest,
    total_payments,
)

ZERO = Decimal(0)
INF = float("inf")


# ---- plans: a product priced and gridded for this request -----------------------------------


@dataclass(frozen=True)
class Plan:
    product: LeaseProduct
    price: Price
    value: Decimal
    downs: tuple[Decimal, ...]
    balloons: tuple[Decimal, ...]
    grid: screen.Grid
    shape: screen.ProductShape


_FEE_SHAPES: dict[str, screen.FeeShape] = {}


def _fee_shape(product: LeaseProduct) -> screen.FeeShape:
    """The product's fees as floats, memoised by the terms hash (a pure function of it)."""
    key = product.terms_hash
    shape = _FEE_SHAPES.get(key)
    if shape is None:
        if len(_FEE_SHAPES) > 4096:
            _FEE_SHAPES.clear()
        shape = _FEE_SHAPES[key] = _compute_fee_shape(product)
    return shape


def _compute_fee_shape(product: LeaseProduct) -> screen.FeeShape:
    fees = product.fees

    def total(attr: str, keep: bool | None = None, lessor: bool = False) -> float:
        chosen = [
            f
            for f in fees
            if (keep is None or f.financed == keep) and (not lessor or f.payee.value == "lessor")
        ]
        return float(sum((getattr(f, attr) for f in chosen), ZERO))

    return screen.FeeShape(
        financed_fixed=total("fixed", True),
        financed_rate=total("rate", True),
        upfront_fixed=total("fixed", False),
        upfront_rate=total("rate", False),
        lessor_fixed=total("fixed", lessor=True),
        lessor_rate=total("rate", lessor=True),
        count=len(fees),
    )


def _payment_caps(product: LeaseProduct, needs: CustomerNeeds) -> tuple[float, float]:
    budget = float(needs.monthly_budget) if needs.monthly_budget is not None else INF
    income = (
        float(needs.monthly_income * product.eligibility.max_payment_to_income)
        if needs.monthly_income is not None
        else INF
    )
    return budget, income


def _shape(
    product: LeaseProduct, p: Price, value: Decimal, req: MatchRequest
) -> screen.ProductShape:
    budget, income = _payment_caps(product, req.needs)
    cap = product.ltv_cap_by_grade[req.risk.grade]
    return screen.ProductShape(
        price=float(value),
        rate=float(p.annual_rate),
        ceiling=float(product.pricing.apr_ceiling),
        equal_principal=product.method is AmortizationMethod.EQUAL_PRINCIPAL,
        advance=product.schedule_type is ScheduleType.ADVANCE,
        fees=_fee_shape(product),
        ltv_limit=float(cap * req.vehicle.value_p50),
        min_financed=float(product.min_financed),
        max_financed=float(product.max_financed),
        payment_cap_budget=budget,
        payment_cap_income=income,
        funding_cost=float(p.funding_cost),
        expected_loss=float(p.expected_loss),
    )


def _grid(
    product: LeaseProduct,
    value: Decimal,
    downs: tuple[Decimal, ...],
    req: MatchRequest,
    *,
    down_ok: bool,
) -> tuple[tuple[Decimal, ...], screen.Grid]:
    balloons = tuple(round_money(r * value) for r in product.balloon_ratios)
    terms = product.terms_months
    codes = []
    for term in terms:
        gate = term_gate(product, term, req.vehicle.age_years)
        codes.append(screen.CODE[gate] if gate is not None else 0)
    floats = np.array([float(b) for b in balloons], dtype=np.float64)
    caps = np.array(
        [float(product.max_balloon_of_residual * req.vehicle.residual(t)) for t in terms]
    )
    ok = floats[None, :] <= caps[:, None] - 0.01  # a fen of margin: the exact check is Decimal
    grid = screen.Grid(
        terms,
        tuple(codes),
        floats,
        ok,
        np.array([float(d) for d in downs], dtype=np.float64),
        np.array([down_ok] * len(downs), dtype=np.bool_),
    )
    return balloons, grid


def make_plan(product: LeaseProduct, req: MatchRequest) -> Plan | Constraint:
    """Price and grid `product` for this request, or say which product-level rule excludes it."""
    gate = product_gate(product, req.applicant)
    if gate is not None:
        return gate
    p = price(product.pricing, req.risk.grade, req.risk.fraud_score)
    if p is None:
        return Constraint.GRADE
    value = base_value(product, req.vehicle)
    downs = down_payment_grid(product, value, req.needs, req.settings)
    down_ok = bool(downs)
    if not downs:  # one placeholder row so the screen can say DOWN_PAYMENT binds
        downs = (minimum_down_payment(product, value, req.settings),)
    balloons, grid = _grid(product, value, downs, req, down_ok=down_ok)
    return Plan(product, p, value, downs, balloons, grid, _shape(product, p, value, req))


def plan_catalogue(
    catalogue: Catalogue, req: MatchRequest
) -> tuple[tuple[Plan, ...], dict[str, Constraint]]:
    plans: list[Plan] = []
    gated: dict[str, Constraint] = {}
    for product in catalogue.active():
        made = make_plan(product, req)
        if isinstance(made, Plan):
            plans.append(made)
        else:
            gated[product.code] = made
    return tuple(plans), gated


def screen_needs(plan: Plan, req: MatchRequest) -> screen.Needs:
    cash = plan.product.cash_down_payment
    available = req.needs.down_payment_available if cash else req.needs.amount_requested
    return screen.Needs(
        term_wanted=req.needs.term_months,
        flexible_term=req.needs.flexible_term,
        cash_available=float(available if available is not None else plan.value),
        cash_product=cash,
        weight_customer=req.settings.weight_customer,
        weight_lessor=req.settings.weight_lessor,
    )


# ---- the exact evaluation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """One structure computed exactly in Decimal, with every constraint it breaks."""

    product: LeaseProduct
    price: Price
    term_months: int
    down_payment: Decimal
    balloon: Decimal
    advanced: Decimal
    principal: Decimal
    charges: tuple[FeeCharge, ...]
    schedule: Schedule
    apr: Decimal
    ltv: Decimal
    failures: tuple[Constraint, ...]

    @property
    def feasible(self) -> bool:
        return not self.failures

    @property
    def monthly_payment(self) -> Decimal:
        """The level rent, or the largest rent of an equal-principal schedule."""
        if self.product.method is AmortizationMethod.LEVEL_PAYMENT:
            return rent_rows(self.schedule)[0].payment
        return self.max_payment

    @property
    def first_payment(self) -> Decimal:
        return rent_rows(self.schedule)[0].payment

    @property
    def last_payment(self) -> Decimal:
        return rent_rows(self.schedule)[-1].payment

    @property
    def max_payment(self) -> Decimal:
        return max_rent(self.schedule)

    @property
    def upfront_fees(self) -> Decimal:
        return upfront_fees(self.charges)

    @property
    def total_fees(self) -> Decimal:
        return sum((c.amount for c in self.charges), ZERO)

    @property
    def total_payments(self) -> Decimal:
        return total_payments(self.schedule)

    @property
    def total_interest(self) -> Decimal:
        return total_interest(self.schedule)

    @property
    def total_cost(self) -> Decimal:
        """Everything paid beyond the amount advanced: interest plus every fee."""
        return self.total_payments + self.upfront_fees - self.advanced

    @property
    def effective_annual_rate(self) -> Decimal:
        return effective_annual_rate(self.apr / 12)


def _down_payment_ok(plan: Plan, down: Decimal, req: MatchRequest) -> bool:
    product, value = plan.product, plan.value
    in_range = (
        product.down_payment_min_ratio * value <= down <= product.down_payment_max_ratio * value
    )
    if product.cash_down_payment:
        return in_range and down <= req.needs.down_payment_available
    amount = req.needs.amount_requested
    if amount is None:
        return in_range
    share = req.settings.leaseback_min_share
    return in_range and share * amount <= value - down <= amount


def _failures(ev: Evaluation, plan: Plan, req: MatchRequest) -> tuple[Constraint, ...]:
    product, needs = plan.product, req.needs
    gate = term_gate(product, ev.term_months, req.vehicle.age_years)
    rent = ev.max_payment
    pti = product.eligibility.max_payment_to_income
    checks = (
        (gate is not None, gate or Constraint.TERM),
        (
            ev.balloon > product.max_balloon_of_residual * req.vehicle.residual(ev.term_months),
            Constraint.BALLOON_RESIDUAL,
        ),
        (not _down_payment_ok(plan, ev.down_payment, req), Constraint.DOWN_PAYMENT),
        (
            ev.principal > product.ltv_cap_by_grade[req.risk.grade] * req.vehicle.value_p50,
            Constraint.LTV,
        ),
        (
            not product.min_financed <= ev.principal <= product.max_financed,
            Constraint.FINANCED_LIMITS,
        ),
        (needs.monthly_budget is not None and rent > needs.monthly_budget, Constraint.BUDGET),
        (
            needs.monthly_income is not None and rent > pti * needs.monthly_income,
            Constraint.PAYMENT_TO_INCOME,
        ),
        (ev.apr > product.pricing.apr_ceiling, Constraint.APR_CEILING),
    )
    return tuple(code for failed, code in checks if failed)


def evaluate(
    plan: Plan, req: MatchRequest, term: int, down: Decimal, balloon: Decimal
) -> Evaluation:
    """Build one structure exactly: fees, principal, schedule, APR and the constraints broken."""
    product = plan.product
    advanced = plan.value - down
    charges = charge_fees(product.fees, advanced)
    principal = advanced + financed_fees(charges)
    terms = LeaseTerms(
        principal, plan.price.annual_rate, term, balloon, product.method, product.schedule_type
    )
    schedule = build_schedule(terms)
    flows = lease_cash_flows(schedule, amount_advanced=advanced, upfront_fees=upfront_fees(charges))
    ev = Evaluation(
        product=product,
        price=plan.price,
        term_months=term,
        down_payment=down,
        balloon=balloon,
        advanced=advanced,
        principal=principal,
        charges=charges,
        schedule=schedule,
        apr=irr(flows) * 12,
        ltv=principal / req.vehicle.value_p50,
        failures=(),
    )
    return replace(ev, failures=_failures(ev, plan, req))
