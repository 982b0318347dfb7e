"""The deal asked for: product, seller, lead source, term, down payment and amount."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.synth import calibration as cal
from autolease.synth import text
from autolease.synth.fraud import Plan

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

DIRECT, LEASEBACK, OPERATING = 0, 1, 2
DEALER, INDIVIDUAL, LESSEE = 0, 1, 2


@dataclass
class Deal:
    """Requested financing per row (money in yuan, float64, rounded to 0.01)."""

    product: I64
    seller: I64
    lead: I64
    partner: Any
    term: I64
    down: F64
    amount: F64


def choose_products(rng: np.random.Generator, plan: Plan) -> tuple[I64, I64]:
    """Product type and seller type per row.

    Parameters
    ----------
    rng : numpy.random.Generator
    plan : Plan

    Returns
    -------
    tuple of ndarray
        ``(product, seller)`` indices.
    """
    n = plan.n
    product = rng.choice(3, size=n, p=np.array(cal.PRODUCT_WEIGHTS))
    draw = rng.random(n)
    dealer_fraud = plan.is_type("gang_ring") | plan.is_type("straw_buyer")
    dealer_fraud |= plan.is_type("inflated_price")
    product = np.where(dealer_fraud, np.where(draw < 0.85, DIRECT, LEASEBACK), product)
    leaseback = plan.is_type("bad_sp") | plan.is_type("double_financing")
    product = np.where(leaseback, np.where(draw < 0.65, LEASEBACK, DIRECT), product)
    seller = np.where(rng.random(n) < 0.85, DEALER, INDIVIDUAL)
    seller = np.where(product == LEASEBACK, LESSEE, np.where(product == OPERATING, DEALER, seller))
    seller = np.where(plan.is_type("inflated_price") & (product == DIRECT), DEALER, seller)
    return product, seller


def _leads(rng: np.random.Generator, plan: Plan) -> tuple[I64, Any]:
    n = plan.n
    lead = rng.choice(3, size=n, p=np.array(cal.LEAD_WEIGHTS))
    straw = plan.is_type("straw_buyer")
    gang = plan.is_type("gang_ring")
    draw = rng.random(n)
    lead = np.where(straw, np.where(draw < 0.6, 1, 0), lead)
    lead = np.where(gang, np.where(draw < 0.3, 1, 0), lead)
    good = len(cal.PARTNERS) - cal.BAD_PARTNER_COUNT
    honest = rng.integers(0, good, n)
    bad = rng.integers(good, len(cal.PARTNERS), n)
    bad_share = np.where(straw, 0.8, np.where(gang, 0.5, 0.1))
    partner = np.where(rng.random(n) < bad_share, bad, honest)
    return lead, text.where(lead == 1, text.take(cal.PARTNERS, partner))


def _terms(rng: np.random.Generator, age: F64) -> I64:
    n = len(age)
    terms = np.array(cal.TERMS)
    term = terms[rng.choice(4, size=n, p=np.array(cal.TERM_WEIGHTS))]
    short = terms[
        rng.choice(3, size=n, p=np.array(cal.TERM_WEIGHTS[:3]) / sum(cal.TERM_WEIGHTS[:3]))
    ]
    return np.where((term == 48) & (age > 3.0), short, term)


def make_deal(
    rng: np.random.Generator,
    plan: Plan,
    product: I64,
    seller: I64,
    age: F64,
    asking: F64,
    valuation: F64,
) -> Deal:
    """Requested financing.

    Parameters
    ----------
    rng : numpy.random.Generator
    plan : Plan
    product, seller : ndarray of int64
    age : ndarray of float64
        Vehicle age (years).
    asking, valuation : ndarray of float64
        Prices in yuan.

    Returns
    -------
    Deal
    """
    n = plan.n
    lead, partner = _leads(rng, plan)
    ratio = np.clip(rng.beta(2.5, 6.0, n), 0.1, 0.6)
    packaged = plan.is_type("gang_ring") | plan.is_type("straw_buyer") | plan.is_type("bad_sp")
    ratio = np.where(packaged, rng.uniform(0.05, 0.15, n), ratio)
    deposit = np.where(rng.random(n) < 0.3, rng.uniform(0.05, 0.1, n), 0.0)
    ratio = np.where(product == LEASEBACK, deposit, ratio)
    down = np.round(asking * ratio, -2)
    fees = np.where(rng.random(n) < 0.4, asking * rng.uniform(0.02, 0.06, n), 0.0)
    amount = asking - down + np.where(product == DIRECT, fees, 0.0)
    ltv = np.clip(rng.normal(0.66, 0.09, n), 0.35, 0.9)
    amount = np.where(product == LEASEBACK, valuation * ltv, amount)
    structured = (rng.random(n) < cal.STRUCTURED_SHARE) & ~plan.is_fraud
    down, amount = _structure_to_fit(rng, structured, product, asking, valuation, down, amount)
    amount = np.maximum(np.round(amount, -2), 5_000.0)
    term = _terms(rng, age)
    term = np.where(structured, _term_to_fit(term, age), term)
    return Deal(product, seller, lead, partner, term, down, amount)


def _term_to_fit(term: I64, age: F64) -> I64:
    """The longest standard term, up to the one asked for, that keeps the car's age at the end
    of the lease within the policy's limit; the asked term when none does (an old car)."""
    fitted = term.copy()
    for candidate in sorted(cal.TERMS, reverse=True):
        fits = (candidate <= term) & (age + candidate / 12 <= cal.MAX_AGE_AT_MATURITY)
        fitted = np.where(fits & (fitted == term) & (candidate < term), candidate, fitted)
    too_long = age + term / 12 > cal.MAX_AGE_AT_MATURITY
    return np.where(too_long, fitted, term)


def _structure_to_fit(
    rng: np.random.Generator,
    structured: B,
    product: I64,
    asking: F64,
    valuation: F64,
    down: F64,
    amount: F64,
) -> tuple[F64, F64]:
    """Most honest deals are sized by the SP to the lessor's LTV cap on its own value estimate.

    Fraud is never structured (a packaged deal asks for as much as it can); a sale-and-leaseback
    has no down payment to move, only its amount.
    """
    n = len(structured)
    estimate = valuation * rng.lognormal(0.0, cal.SP_VALUE_ERROR, n)
    target = np.round(estimate * rng.uniform(*cal.STRUCTURED_LTV, n), -2)
    fitted = np.minimum(target, asking * (1 - cal.MIN_DOWN_SHARE))
    fitted_down = np.where(product == LEASEBACK, down, np.round(asking - fitted, -2))
    return np.where(structured, fitted_down, down), np.where(structured, fitted, amount)
