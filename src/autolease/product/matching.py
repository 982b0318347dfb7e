"""Match the customer's needs to the catalogue (pure).

From the needs (monthly budget, income, down payment available, term wanted), the vehicle
(price, value P10/P50, residuals) and the risk view (credit grade, fraud score), `match`
enumerates every product × term × balloon × down-payment structure, keeps the feasible ones
and returns the top N offers ranked by fit for the customer and the lessor's risk-adjusted
return, each rebuilt exactly (schedule, fees, APR). When nothing is feasible it names the
binding constraint and the smallest single changes that would make an offer possible.

Speed: every structure is screened in float64 by `screen.py` (closed forms, cached annuity
factors, no root finding, one numpy pass over all products); only the best few are rebuilt in
`Decimal` by `structures.evaluate`. The screen is conservative, so the exact check confirms
what it admits; a disagreement would be counted in `MatchResult.screen_rejections` and the
structure dropped (the tests assert it never happens).

Ranking (weights in `MatchSettings`): score = 0.6 × customer fit + 0.4 × lessor fit, where
customer fit blends the term wanted (0.30), payment headroom under the budget and income cap
(0.25), annual cost of credit (0.20), cash kept (0.15) and a small balloon (0.10), and lessor
fit is the risk-adjusted margin (rate − funding − expected loss × LTV / 0.6 + the lessor's
fees a year) over 8 %. At most one offer per (product, term, with/without balloon) is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np

from autolease.product import screen
from autolease.product.catalogue import Catalogue
from autolease.product.changes import Change
from autolease.product.explain import binding_constraint, smallest_changes
from autolease.product.kinds import Constraint
from autolease.product.pricing import fee_alerts, risk_adjusted_margin
from autolease.product.request import CustomerNeeds, MatchRequest
from autolease.product.structures import Evaluation, Plan, evaluate, plan_catalogue, screen_needs

Screened = tuple[tuple[Plan, screen.Cells], ...]


@dataclass(frozen=True)
class Offer:
    rank: int
    evaluation: Evaluation
    score: float
    margin: Decimal
    alerts: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    offers: tuple[Offer, ...]
    considered: int
    feasible: int
    binding: Constraint | None = None
    changes: tuple[Change, ...] = ()
    gated: Mapping[str, Constraint] = field(default_factory=dict)
    screen_rejections: int = 0


def screen_all(plans: tuple[Plan, ...], req: MatchRequest, *, with_score: bool = True) -> Screened:
    """Run the float screen over every plan (scores only when ranking)."""
    items = [(plan.grid, plan.shape, screen_needs(plan, req)) for plan in plans]
    return tuple(zip(plans, screen.screen_many(items, with_score=with_score), strict=True))


def _allowed_terms(plan: Plan, req: MatchRequest) -> np.ndarray:
    return np.array([req.term_allowed(t) for t in plan.grid.terms], dtype=np.bool_)


def ranked_cells(screened: Screened, req: MatchRequest) -> list[tuple[float, int, int]]:
    """Feasible cells at the terms allowed as (score, plan index, flat cell index), best first."""
    scores: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    flats: list[np.ndarray] = []
    for index, (plan, cells) in enumerate(screened):
        allowed = _allowed_terms(plan, req)[:, None, None]
        mask = (cells.codes == 0) & allowed
        flat = np.flatnonzero(mask)
        scores.append(cells.score.ravel()[flat])
        owners.append(np.full(flat.size, index))
        flats.append(flat)
    if not scores:
        return []
    score, owner, flat = (np.concatenate(a) for a in (scores, owners, flats))
    order = np.lexsort((flat, owner, -score))
    return list(
        zip(score[order].tolist(), owner[order].tolist(), flat[order].tolist(), strict=True)
    )


def _offer(ev: Evaluation, score: float, rank: int, req: MatchRequest) -> Offer:
    years = Decimal(ev.term_months) / 12
    lessor_fees = sum((c.amount for c in ev.charges if c.payee.value == "lessor"), Decimal(0))
    fee_yield = lessor_fees / ev.advanced / years if ev.advanced > 0 else Decimal(0)
    margin = risk_adjusted_margin(ev.price, ev.ltv, fee_yield)
    alerts = fee_alerts(ev.charges, ev.principal, req.settings.fee_alert_ratio)
    return Offer(rank, ev, score, margin, alerts)


def pick_offers(
    screened: Screened, ranked: list[tuple[float, int, int]], req: MatchRequest
) -> tuple[tuple[Offer, ...], int]:
    """The top N distinct offers rebuilt exactly, and how many the exact check rejected."""
    offers: list[Offer] = []
    seen: set[tuple[str, int, bool]] = set()
    rejections = 0
    for score, owner, flat in ranked:
        plan, cells = screened[owner]
        ti, bi, di = np.unravel_index(flat, cells.codes.shape)
        term, balloon = plan.grid.terms[ti], plan.balloons[bi]
        key = (plan.product.code, term, balloon > 0)
        if key in seen:
            continue
        ev = evaluate(plan, req, term, plan.downs[di], balloon)
        if not ev.feasible:
            rejections += 1
            continue
        seen.add(key)
        offers.append(_offer(ev, score, len(offers) + 1, req))
        if len(offers) >= req.settings.top_n:
            break
    return tuple(offers), rejections


def match(catalogue: Catalogue, req: MatchRequest) -> MatchResult:
    """The top N offers for `req` from `catalogue`, or why there are none and what would help.

    Parameters
    ----------
    catalogue : Catalogue
        Products to consider (inactive ones are skipped).
    req : MatchRequest
        Customer needs, vehicle, risk view and settings.

    Returns
    -------
    MatchResult
        Offers best first; when there are none, the binding constraint and the changes.
    """
    plans, gated = plan_catalogue(catalogue, req)
    screened = screen_all(plans, req)
    considered = sum(cells.codes.size for _, cells in screened)
    ranked = ranked_cells(screened, req)
    offers, rejections = pick_offers(screened, ranked, req)
    if offers:
        return MatchResult(offers, considered, len(ranked), None, (), gated, rejections)

    def rescreen(needs: CustomerNeeds) -> Screened:
        changed = replace(req, needs=needs)
        return screen_all(plan_catalogue(catalogue, changed)[0], changed, with_score=False)

    binding = binding_constraint(gated, screened, req)
    changes = smallest_changes(screened, req, rescreen)
    return MatchResult((), considered, len(ranked), binding, changes, gated, rejections)
