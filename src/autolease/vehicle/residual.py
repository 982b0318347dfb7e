"""Residual value at the end of a lease term, with an interval (pure).

Method
------
1. **Future car.** The same car ``term`` months older, with the odometer advanced at its own
   pace (declared km ÷ age, clipped to 5,000-40,000 km a year; for cars under a year old, or
   with no usable pace, the benchmark 15,000 km a year of docs/domain.md §5.2).
2. **Model at the future point.** The valuation model is evaluated at that age and mileage
   (P10 / P50 / P90 in today's market: no market drift is assumed).
3. **Beyond the training data.** Trees are flat past the oldest age they saw, which would
   overstate old cars. The part of the future age beyond ``max_age_years`` depreciates on the
   rule-of-thumb curve of docs/domain.md §5.1 (15 %/yr to year 3, 10 %/yr years 4-7, 5 %/yr after).
4. **Interval.** Today's P10/P50/P90 spread of this car (how uncertain its value is now)
   carries over to the end of the term, and market prices move meanwhile: a market term
   z₀.₉·σ·√years (σ = 0.05 a year by default, [P]) is added in quadrature in log space, so a
   48-month residual always has a wider band than a 12-month one.
5. The residual P50 never exceeds today's P50 (a car does not appreciate in this model).

``rate`` is residual P50 ÷ today's P50: the balloon or operating-lease residual percentage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from autolease.vehicle.features import Valuation, ValuationInput, Valuer, round_to

Z90 = 1.2815515655446004  # standard normal quantile of 0.9
BENCHMARK_KM_PER_YEAR = 15_000.0  # docs/domain.md §5.2 [S]
MIN_KM_PER_YEAR, MAX_KM_PER_YEAR = 5_000.0, 40_000.0
MARKET_SIGMA_PER_YEAR = 0.05  # [P] yearly log-volatility of used-car prices for one car


@dataclass(frozen=True)
class Residual:
    term_months: int
    age_years_at_end: float
    mileage_km_at_end: float
    p10: float
    p50: float
    p90: float
    rate: float
    extrapolated_years: float
    method: str = "model-at-future-age+curve-beyond-data+market-sigma"


def curve_factor(age_from: float, age_to: float) -> float:
    """Value retained between two ages on the docs/domain.md §5.1 rule-of-thumb curve."""
    factor, age = 1.0, age_from
    for until, kept in ((3.0, 0.85), (7.0, 0.90), (math.inf, 0.95)):
        if age >= age_to:
            break
        if age < until:
            span = min(age_to, until) - age
            factor *= kept**span
            age += span
    return factor


def km_per_year(mileage_km: float, age_years: float) -> float:
    if age_years < 1.0 or mileage_km <= 0:
        return BENCHMARK_KM_PER_YEAR
    return min(max(mileage_km / age_years, MIN_KM_PER_YEAR), MAX_KM_PER_YEAR)


def residual_value(
    valuer: Valuer,
    item: ValuationInput,
    term_months: int,
    *,
    today: Valuation | None = None,
    market_sigma: float = MARKET_SIGMA_PER_YEAR,
) -> Residual:
    """Expected value at the end of ``term_months`` with a P10-P90 interval."""
    if today is None:
        return value_with_residual(valuer, item, term_months, market_sigma=market_sigma)[1]
    plan = _plan(valuer, item, term_months)
    return _residual(plan, today, valuer.value(plan.at_model), market_sigma)


def value_with_residual(
    valuer: Valuer,
    item: ValuationInput,
    term_months: int,
    *,
    market_sigma: float = MARKET_SIGMA_PER_YEAR,
) -> tuple[Valuation, Residual]:
    """Today's value and the residual, from one model call on a two-row matrix (the intake
    values every car both ways; each model call has a fixed cost much larger than a row's)."""
    plan = _plan(valuer, item, term_months)
    today, raw = valuer.value_many([item, plan.at_model])
    return today, _residual(plan, today, raw, market_sigma)


@dataclass(frozen=True)
class _Plan:
    term_months: int
    future: ValuationInput
    at_model: ValuationInput  # the future car, no older than the model has seen
    beyond: float  # years of the future age past the model's data


def _plan(valuer: Valuer, item: ValuationInput, term_months: int) -> _Plan:
    if term_months <= 0:
        raise ValueError("term_months must be positive")
    years = term_months / 12
    pace = km_per_year(item.mileage_km, item.age_years)
    future = item.at_future(years, pace * years)
    beyond = max(0.0, future.age_years - max(valuer.max_age_years, item.age_years))
    at_model = future.at_future(-beyond, 0.0) if beyond else future
    return _Plan(term_months, future, at_model, beyond)


def _residual(plan: _Plan, now: Valuation, raw: Valuation, market_sigma: float) -> Residual:
    years = plan.term_months / 12
    factor = curve_factor(plan.at_model.age_years, plan.future.age_years) if plan.beyond else 1.0
    p50 = min(raw.p50 * factor, now.p50)
    spread_lo = math.log(now.p50 / now.p10) if now.p10 > 0 else 0.0
    spread_hi = math.log(now.p90 / now.p50) if now.p50 > 0 else 0.0
    market = Z90 * market_sigma * math.sqrt(years)
    p10 = p50 * math.exp(-math.hypot(spread_lo, market))
    p90 = p50 * math.exp(math.hypot(spread_hi, market))
    return Residual(
        term_months=plan.term_months,
        age_years_at_end=round_to(plan.future.age_years, 3),
        mileage_km_at_end=round(plan.future.mileage_km),
        p10=p10,
        p50=p50,
        p90=p90,
        rate=p50 / now.p50 if now.p50 > 0 else 0.0,
        extrapolated_years=round_to(plan.beyond, 3),
    )
