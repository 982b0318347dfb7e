"""What matching is asked (pure): the customer's needs, the vehicle, the risk view, settings.

Also the residual-value fallback (the demo depreciation curve) and the down-payment grid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from autolease.kit.money import round_money
from autolease.product.catalogue import Applicant, LeaseProduct

ZERO = Decimal(0)
INF = float("inf")


@dataclass(frozen=True)
class CustomerNeeds:
    down_payment_available: Decimal
    applicant_kind: str = "individual"
    product_type: str = "any"
    amount_requested: Decimal | None = None
    term_months: int | None = None
    flexible_term: bool = False
    monthly_budget: Decimal | None = None
    monthly_income: Decimal | None = None


@dataclass(frozen=True)
class VehicleView:
    price: Decimal
    value_p10: Decimal
    value_p50: Decimal
    age_years: Decimal
    mileage_km: int
    seller_type: str
    fuel_type: str | None = None
    residuals: Mapping[int, Decimal] = field(default_factory=dict)
    _estimated: dict[int, Decimal] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def residual(self, term_months: int) -> Decimal:
        """Residual value at maturity: given by the valuation, else the demo curve on P10."""
        given = self.residuals.get(term_months)
        if given is not None:
            return given
        if term_months not in self._estimated:  # memo: the same for every product
            self._estimated[term_months] = estimate_residual(
                self.value_p10, self.age_years, term_months
            )
        return self._estimated[term_months]


@dataclass(frozen=True)
class RiskView:
    grade: str
    fraud_score: float | None = None


@dataclass(frozen=True)
class MatchSettings:
    top_n: int = 3
    down_payment_levels: int = 10
    down_payment_step: Decimal = Decimal(100)
    weight_customer: float = 0.6
    weight_lessor: float = 0.4
    fee_alert_ratio: Decimal = Decimal("0.05")
    # a sale-and-leaseback may finance from this share of the amount requested up to all of it
    leaseback_min_share: Decimal = Decimal("0.8")


@dataclass(frozen=True)
class MatchRequest:
    needs: CustomerNeeds
    vehicle: VehicleView
    risk: RiskView
    settings: MatchSettings = field(default_factory=MatchSettings)

    @cached_property
    def applicant(self) -> Applicant:
        return Applicant(
            applicant_kind=self.needs.applicant_kind,
            product_type_wanted=self.needs.product_type,
            seller_type=self.vehicle.seller_type,
            fuel_type=self.vehicle.fuel_type,
            mileage_km=self.vehicle.mileage_km,
            vehicle_age_years=self.vehicle.age_years,
            grade=self.risk.grade,
        )

    def term_allowed(self, term_months: int) -> bool:
        return self.needs.flexible_term or self.needs.term_months in (None, term_months)


# ---- residual and the down-payment grid -----------------------------------------------------

# Demo depreciation curve, docs/domain.md §5.1: about 15 % a year in years 1-3,
# 10 % in years 4-7, 5 % after. Replaced by the valuation's residual curve when it is given.
CURVE = ((3.0, 0.85), (7.0, 0.90), (99.0, 0.95))


def _yearly_factor(age: float) -> float:
    return next(factor for limit, factor in CURVE if age < limit)


def depreciation_factor(age_years: float, months: int) -> float:
    """Share of today's value left after `months` more months on the demo curve.

    A ratio, not money, so it is computed in float (fractional years need fractional powers).

    Examples
    --------
    >>> round(depreciation_factor(0.0, 36), 6)
    0.614125
    """
    remaining = months / 12
    age = age_years
    factor = 1.0
    while remaining > 1e-12:
        into_year = age % 1.0
        step = min(remaining, 1.0 - into_year if into_year > 1e-12 else 1.0)
        factor *= _yearly_factor(age) ** step
        age += step
        remaining -= step
    return factor


def estimate_residual(value: Decimal, age_years: Decimal, months: int) -> Decimal:
    """Value after `months` more months on the demo curve, from `value` at `age_years`.

    Examples
    --------
    >>> estimate_residual(Decimal(100000), Decimal(0), 12)
    Decimal('85000.00')
    """
    factor = depreciation_factor(float(age_years), months)
    return round_money(value * Decimal(repr(factor)))


def ceil_step(amount: Decimal, step: Decimal) -> Decimal:
    units = amount // step
    return (units + (1 if units * step < amount else 0)) * step


def floor_step(amount: Decimal, step: Decimal) -> Decimal:
    return (amount // step) * step


def base_value(product: LeaseProduct, vehicle: VehicleView) -> Decimal:
    """What the down payment is taken from: the price, or the appraisal in a sale-and-leaseback."""
    return vehicle.price if product.cash_down_payment else vehicle.value_p50


def down_payment_grid(
    product: LeaseProduct, value: Decimal, needs: CustomerNeeds, settings: MatchSettings
) -> tuple[Decimal, ...]:
    """Down payments to try, multiples of `down_payment_step` within the product's range.

    For a cash product the grid stops at the down payment available; in a sale-and-leaseback
    the "down payment" is the part of the appraisal not financed, and the grid spans amounts
    financed from `leaseback_min_share` of the amount requested up to all of it.
    """
    step = settings.down_payment_step
    lo = minimum_down_payment(product, value, settings)
    hi = maximum_down_payment(product, value, settings)
    if product.cash_down_payment:
        hi = min(hi, floor_step(needs.down_payment_available, step))
    elif needs.amount_requested is not None:
        lo = max(lo, ceil_step(value - needs.amount_requested, step))
        hi = min(
            hi, floor_step(value - settings.leaseback_min_share * needs.amount_requested, step)
        )
    if hi < lo:
        return ()
    count = max(settings.down_payment_levels, 2)
    levels = {floor_step(lo + (hi - lo) * k / (count - 1), step) for k in range(count)}
    return tuple(sorted(levels | {lo, hi}))


def minimum_down_payment(product: LeaseProduct, value: Decimal, settings: MatchSettings) -> Decimal:
    return ceil_step(product.down_payment_min_ratio * value, settings.down_payment_step)


def maximum_down_payment(product: LeaseProduct, value: Decimal, settings: MatchSettings) -> Decimal:
    return floor_step(product.down_payment_max_ratio * value, settings.down_payment_step)
