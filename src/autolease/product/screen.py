"""The float screen behind matching (pure, numpy).

Matching enumerates every product × term × balloon × down-payment structure. Doing each in
`Decimal` with a full schedule and an IRR would take far too long, so this module screens all
products' structures in one float64 numpy pass (products padded to one grid) with closed forms:

- level rent ``(P − B v^n) / a_n`` (÷ (1 + r) in advance); equal-principal maximum rent
  ``Q + P r`` (arrears) or ``Q + (P − Q) r`` (advance);
- the APR ceiling without a root finder: APR ≤ c exactly when the payments discounted at c
  are worth no more than what the customer receives, ``PV_c(payments) + upfront fees ≤ x``
  (the lessor's flows have one sign change, so the NPV falls as the rate rises);
- annuity and ceiling factors cached per (rate, term).

**Conservative by construction.** Each money comparison keeps a tolerance that bounds the
difference between these floats and the exact `Decimal` schedule: fen rounding of fees, of the
rent and of each row's interest, compounded to the last row (``0.01 × s_n``). A structure the
screen admits therefore passes the exact check; `tests/product/test_screen.py` checks that on
random inputs. A structure within a few fen of a limit may be screened out although the exact
figures would just pass — the price of never showing an offer that breaks a limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from autolease.product.kinds import Constraint

F64 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int8]

# Cell-level constraints in the order they are checked; a cell's code is the index + 1 of the
# first one it fails (0 = feasible). Term-level gates come first so the binding constraint of
# an infeasible request is the last one that removed structures.
CELL_ORDER: tuple[Constraint, ...] = (
    Constraint.AGE_PLUS_TERM,
    Constraint.LONG_TERM_AGE,
    Constraint.BALLOON_RESIDUAL,
    Constraint.DOWN_PAYMENT,
    Constraint.LTV,
    Constraint.FINANCED_LIMITS,
    Constraint.BUDGET,
    Constraint.PAYMENT_TO_INCOME,
    Constraint.APR_CEILING,
)
CODE = {c: i + 1 for i, c in enumerate(CELL_ORDER)}


@dataclass(frozen=True)
class TermFactors:
    """Per-term scalars: contract-rate annuity factors and ceiling-rate discount sums."""

    n: int
    rate: float  # monthly contract rate
    vn: float  # (1 + r)^-n
    annuity: float  # a_n = (1 - v^n) / r  (n when r = 0)
    accumulation: float  # s_n = ((1 + r)^n - 1) / r: compounds a fen of error to the last row
    c_s1: float  # Σ_{k=1..n} vc^k
    c_s2: float  # Σ_{k=1..n} (k-1) vc^k
    c_a0: float  # Σ_{t=0..n-1} vc^t
    c_a1: float  # Σ_{t=1..n-1} vc^t
    c_w: float  # Σ_{t=1..n-1} t vc^t
    c_vn: float  # vc^n


@lru_cache(maxsize=4096)
def term_factors(rate: float, n: int, ceiling_rate: float) -> TermFactors:
    """Factors for monthly contract `rate`, `n` months and monthly `ceiling_rate` (cached)."""
    vc = 1.0 / (1.0 + ceiling_rate)
    powers = vc ** np.arange(n + 1, dtype=np.float64)
    k = np.arange(n + 1, dtype=np.float64)
    if rate == 0:
        vn, annuity, accumulation = 1.0, float(n), float(n)
    else:
        vn = (1.0 + rate) ** -n
        annuity = (1.0 - vn) / rate
        accumulation = ((1.0 + rate) ** n - 1.0) / rate
    return TermFactors(
        n=n,
        rate=rate,
        vn=vn,
        annuity=annuity,
        accumulation=accumulation,
        c_s1=float(powers[1:].sum()),
        c_s2=float(((k[1:] - 1) * powers[1:]).sum()),
        c_a0=float(powers[:n].sum()),
        c_a1=float(powers[1:n].sum()),
        c_w=float((k[1:n] * powers[1:n]).sum()),
        c_vn=float(powers[n]),
    )


@dataclass(frozen=True)
class FeeShape:
    """Fees as ``fixed + rate × x`` split by financed / upfront, and the lessor's own share."""

    financed_fixed: float
    financed_rate: float
    upfront_fixed: float
    upfront_rate: float
    lessor_fixed: float
    lessor_rate: float
    count: int

    @property
    def tolerance(self) -> float:
        """Bound on the fen rounding of all fee amounts together."""
        return 0.005 * self.count + 0.001


@dataclass(frozen=True)
class ProductShape:
    """Everything about one product the screen needs, as floats."""

    price: float  # the value the down payment is taken from (price or appraisal)
    rate: float  # annual contract rate
    ceiling: float  # annual APR ceiling
    equal_principal: bool
    advance: bool
    fees: FeeShape
    ltv_limit: float  # cap × appraised value
    min_financed: float
    max_financed: float
    payment_cap_budget: float  # inf when there is no budget
    payment_cap_income: float  # inf when there is no income
    funding_cost: float
    expected_loss: float


@dataclass(frozen=True)
class Grid:
    """One product's structures: terms × balloons × down payments."""

    terms: tuple[int, ...]
    term_codes: tuple[int, ...]  # 0 or a term-level code per term
    balloons: F64  # (nb,) balloon amounts
    balloon_ok: npt.NDArray[np.bool_]  # (nt, nb) within the residual cap
    downs: F64  # (nd,) down payments
    down_ok: npt.NDArray[np.bool_]  # (nd,) False for a placeholder beyond the cash available


@dataclass(frozen=True)
class Needs:
    """The customer side of the score, as floats."""

    term_wanted: int | None
    flexible_term: bool
    cash_available: float  # down payment available (cash products) or amount wanted (回租)
    cash_product: bool
    weight_customer: float
    weight_lessor: float


@dataclass(frozen=True)
class Cells:
    """Per-cell results, each of shape (nt, nb, nd)."""

    codes: I8
    score: F64
    payment: F64
    advanced: F64


FACTOR_NAMES = ("n", "vn", "annuity", "accumulation", "c_s1", "c_s2", "c_a0", "c_a1", "c_w", "c_vn")
# A padded cell (a product with fewer terms, balloons or down payments than the widest one).
PADDING = np.int8(127)
# Harmless factor values for padded terms, so no division by zero happens there.
PAD_ROW = (12.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)


@lru_cache(maxsize=1024)
def _factor_table(
    rate: float, ceiling: float, terms: tuple[int, ...]
) -> tuple[tuple[float, ...], ...]:
    """One row of `FACTOR_NAMES` values per term, cached by (annual rate, ceiling, terms)."""
    monthly = rate / 12
    factors = [term_factors(monthly, n, ceiling / 12) for n in terms]
    return tuple(tuple(float(getattr(f, name)) for name in FACTOR_NAMES) for f in factors)


@dataclass(frozen=True)
class _Batch:
    """Many products padded to one (P, T, B, D) grid; product scalars are (P, 1, 1, 1)."""

    t: dict[str, F64]
    s: dict[str, F64]
    balloon: F64
    downs: F64
    term_codes: I8
    balloon_ok: npt.NDArray[np.bool_]
    down_ok: npt.NDArray[np.bool_]
    valid: npt.NDArray[np.bool_]


PRODUCT_FIELDS = (
    "price",
    "rate",
    "ltv_limit",
    "min_financed",
    "max_financed",
    "payment_cap_budget",
    "payment_cap_income",
    "funding_cost",
    "expected_loss",
)
FEE_FIELDS = (
    "financed_fixed",
    "financed_rate",
    "upfront_fixed",
    "upfront_rate",
    "lessor_fixed",
    "lessor_rate",
    "tolerance",
)


def _product_columns(shapes: Sequence[ProductShape]) -> dict[str, F64]:
    rows = [
        [getattr(sh, f) for f in PRODUCT_FIELDS]
        + [getattr(sh.fees, f) for f in FEE_FIELDS]
        + [float(sh.advance), float(sh.equal_principal)]
        for sh in shapes
    ]
    table = np.array(rows, dtype=np.float64)
    names = (*PRODUCT_FIELDS, *(f"fee_{f}" for f in FEE_FIELDS), "advance", "ep")
    return {name: table[:, i][:, None, None, None] for i, name in enumerate(names)}


def _term_columns(items: Sequence[tuple[Grid, ProductShape]], width: int) -> dict[str, F64]:
    table = np.empty((len(items), width, len(FACTOR_NAMES) + 1), dtype=np.float64)
    for p, (grid, shape) in enumerate(items):
        rows = _factor_table(shape.rate, shape.ceiling, grid.terms)
        table[p, : len(rows), :-1] = rows
        table[p, len(rows) :, :-1] = PAD_ROW
        table[p, :, -1] = shape.rate / 12
    t = {name: table[:, :, i][:, :, None, None] for i, name in enumerate(FACTOR_NAMES)}
    t["r"] = table[:, :, -1][:, :, None, None]
    return t


def _batch(items: Sequence[tuple[Grid, ProductShape]]) -> _Batch:
    nt = max(len(g.terms) for g, _ in items)
    nb = max(len(g.balloons) for g, _ in items)
    nd = max(len(g.downs) for g, _ in items)
    count = len(items)
    balloon = np.zeros((count, 1, nb, 1))
    downs = np.zeros((count, 1, 1, nd))
    term_codes = np.zeros((count, nt, 1, 1), dtype=np.int8)
    balloon_ok = np.zeros((count, nt, nb, 1), dtype=np.bool_)
    down_ok = np.zeros((count, 1, 1, nd), dtype=np.bool_)
    valid = np.zeros((count, nt, nb, nd), dtype=np.bool_)
    for p, (g, _) in enumerate(items):
        t, b, d = len(g.terms), len(g.balloons), len(g.downs)
        balloon[p, 0, :b, 0] = g.balloons
        downs[p, 0, 0, :d] = g.downs
        term_codes[p, :t, 0, 0] = g.term_codes
        balloon_ok[p, :t, :b, 0] = g.balloon_ok
        down_ok[p, 0, 0, :d] = g.down_ok
        valid[p, :t, :b, :d] = True
    return _Batch(
        _term_columns(items, nt),
        _product_columns([sh for _, sh in items]),
        balloon,
        downs,
        term_codes,
        balloon_ok,
        down_ok,
        valid,
    )


def _kernel(t: dict[str, F64], s: dict[str, F64], balloon: F64, downs: F64) -> dict[str, F64]:
    """Rent, totals and the ceiling-rate PV for every cell, both methods, both timings."""
    r, n, adv = t["r"], t["n"], s["advance"]
    advanced = s["price"] - downs
    principal = advanced * (1 + s["fee_financed_rate"]) + s["fee_financed_fixed"]
    upfront = advanced * s["fee_upfront_rate"] + s["fee_upfront_fixed"]
    grow = 1 + r * adv  # (1 + r) for rent in advance, 1 in arrears
    first = np.where(adv > 0, t["c_a0"], t["c_s1"])  # Σ vc^t over the rent due dates
    middle = np.where(adv > 0, t["c_a1"], t["c_s1"])
    slope = np.where(adv > 0, t["c_w"], t["c_s2"])
    level = (principal - balloon * t["vn"]) / t["annuity"] / grow
    target = balloon / grow
    part = (principal - target) / n
    ep_top = np.where((adv > 0) & (n <= 1), part, part + (principal - part * adv) * r)
    ep_pv = part * first + principal * r * middle - part * r * slope
    ep_interest = r * ((n - adv) * principal - part * n * (n - 1) / 2) + (balloon - target)
    ep = s["ep"] > 0
    tol_pay = 0.01 * t["accumulation"] + s["fee_tolerance"] + 0.01
    return {
        "advanced": advanced,
        "principal": principal,
        "upfront": upfront,
        "payment": np.where(ep, ep_top, level),
        "total_paid": np.where(ep, principal + ep_interest, level * n + balloon),
        "pv": np.where(ep, ep_pv, level * first) + balloon * t["c_vn"],
        "tol_pay": tol_pay,
        "tol_apr": 0.005 * n + tol_pay + 2 * s["fee_tolerance"] + 0.01,
    }


def _codes(conditions: list[npt.NDArray[np.bool_]], shape: tuple[int, ...]) -> I8:
    """Index + 1 of the first condition that holds, per cell (0 when none does)."""
    codes = np.zeros(shape, dtype=np.int8)
    for index in range(len(conditions) - 1, -1, -1):
        np.copyto(codes, np.int8(index + 1), where=conditions[index])
    return codes


def _cell_codes(b: _Batch, v: dict[str, F64]) -> I8:
    s, principal, payment = b.s, v["principal"], v["payment"]
    tol = s["fee_tolerance"]
    conditions = [
        b.term_codes == CODE[Constraint.AGE_PLUS_TERM],
        b.term_codes == CODE[Constraint.LONG_TERM_AGE],
        ~b.balloon_ok,
        ~b.down_ok,
        principal > s["ltv_limit"] - tol,
        (principal < s["min_financed"] + tol) | (principal > s["max_financed"] - tol),
        payment > s["payment_cap_budget"] - v["tol_pay"],
        payment > s["payment_cap_income"] - v["tol_pay"],
        v["pv"] + v["upfront"] > v["advanced"] - v["tol_apr"],
    ]
    codes = _codes(conditions, b.valid.shape)
    np.copyto(codes, PADDING, where=~b.valid)
    return codes


def screen_many(
    items: Sequence[tuple[Grid, ProductShape, Needs]], *, with_score: bool = True
) -> list[Cells]:
    """Screen many products in one numpy pass; one `Cells` (a view) per product.

    Scores are computed only when asked for and some structure passes (-inf elsewhere).
    """
    if not items:
        return []
    b = _batch([(g, sh) for g, sh, _ in items])
    v = _kernel(b.t, b.s, b.balloon, b.downs)
    codes = _cell_codes(b, v)
    open_cells = codes == 0
    score = np.full(codes.shape, -np.inf)
    if with_score and open_cells.any():
        np.copyto(score, _score(b, v, [nd for _, _, nd in items]), where=open_cells)
    out = []
    for p, (g, _, _) in enumerate(items):
        view = (p, slice(0, len(g.terms)), slice(0, len(g.balloons)), slice(0, len(g.downs)))
        out.append(Cells(codes[view], score[view], v["payment"][view], v["advanced"][view]))
    return out


def screen(grid: Grid, shape: ProductShape, needs: Needs, *, with_score: bool = True) -> Cells:
    """Screen one product (see `screen_many`)."""
    return screen_many([(grid, shape, needs)], with_score=with_score)[0]


def _score(b: _Batch, v: dict[str, F64], needs: Sequence[Needs]) -> F64:
    """Fit for the customer blended with the lessor's risk-adjusted return (both in [0, 1])."""
    s, n = b.s, b.t["n"]
    first = needs[0]
    years = n / 12
    if first.term_wanted is None:
        term_fit = np.ones_like(n)
    else:
        gap = np.abs(n - first.term_wanted)
        term_fit = np.where(gap == 0, 1.0, 0.5 * np.clip(1 - gap / 24, 0, 1))
    cap = np.minimum(s["payment_cap_budget"], s["payment_cap_income"])
    afford = np.where(np.isfinite(cap), 1 - v["payment"] / cap, 0.5)
    advanced = np.maximum(v["advanced"], 1.0)
    annual_cost = (v["total_paid"] + v["upfront"] - v["advanced"]) / advanced / years
    cost_fit = 1 - np.clip(annual_cost / 0.3, 0, 1)
    cash = np.array([max(nd.cash_available, 1.0) for nd in needs])[:, None, None, None]
    is_cash = np.array([nd.cash_product for nd in needs])[:, None, None, None]
    cash_fit = np.where(is_cash, 1 - b.downs / cash, v["advanced"] / cash)
    balloon_fit = 1 - b.balloon / s["price"]
    customer = (
        0.30 * term_fit + 0.25 * afford + 0.20 * cost_fit + 0.15 * cash_fit + 0.10 * balloon_fit
    )
    ltv = v["principal"] / np.maximum(s["ltv_limit"], 1.0)
    lessor_fees = (s["fee_lessor_fixed"] + s["fee_lessor_rate"] * v["advanced"]) / years
    margin = s["rate"] - s["funding_cost"] - s["expected_loss"] * ltv / 0.6 + lessor_fees / advanced
    lessor = np.clip(margin / 0.08, 0, 1)
    blended: F64 = first.weight_customer * customer + first.weight_lessor * lessor
    return blended


Affine = tuple[F64, F64, F64, F64]


def affine_many(items: Sequence[tuple[Grid, ProductShape]]) -> list[Affine]:
    """Rent and APR slack as ``a·x + b`` in the amount advanced x, per term and balloon.

    One numpy pass for all products. For each: (rent_slope, rent_intercept, slack_slope,
    slack_intercept), each (nt, nb); the rent includes its tolerance, and the APR slack
    ``x − upfront − PV_c − tol`` must be ≥ 0.
    """
    if not items:
        return []
    at_zero_and_one = [
        (
            Grid(
                g.terms,
                g.term_codes,
                g.balloons,
                g.balloon_ok,
                np.array([sh.price, sh.price - 1.0]),  # x = 0 and x = 1
                np.array([True, True]),
            ),
            sh,
        )
        for g, sh in items
    ]
    b = _batch(at_zero_and_one)
    v = _kernel(b.t, b.s, b.balloon, b.downs)
    pay = v["payment"] + v["tol_pay"]
    slack = v["advanced"] - v["upfront"] - v["pv"] - v["tol_apr"]
    out = []
    for p, (g, _) in enumerate(items):
        nt, nb = len(g.terms), len(g.balloons)
        k = pay[p, :nt, :nb]
        s = slack[p, :nt, :nb]
        out.append((k[..., 1] - k[..., 0], k[..., 0], s[..., 1] - s[..., 0], s[..., 0]))
    return out


def affine_in_advance(grid: Grid, shape: ProductShape) -> Affine:
    """`affine_many` for one product."""
    return affine_many([(grid, shape)])[0]
