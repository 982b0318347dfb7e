"""Tests for autolease.product.screen: the screen never admits what the exact check rejects."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from autolease.product import screen
from autolease.product.catalogue import LeaseProduct
from autolease.product.request import MatchRequest
from autolease.product.service import load_seed_catalogue
from autolease.product.structures import Plan, evaluate, make_plan, screen_needs
from tests.product.helpers import needs, product, request, spec, vehicle

D = Decimal
SEED = load_seed_catalogue()


def admitted_but_rejected(plan: Plan, req: MatchRequest) -> tuple[int, list[str]]:
    """How many cells the screen admits, and those the exact evaluation rejects."""
    cells = screen.screen(plan.grid, plan.shape, screen_needs(plan, req))
    bad = []
    admitted = np.argwhere(cells.codes == 0)
    for ti, bi, di in admitted:
        term, balloon, down = plan.grid.terms[ti], plan.balloons[bi], plan.downs[di]
        ev = evaluate(plan, req, term, down, balloon)
        if not ev.feasible:
            bad.append(f"{plan.product.code} {term} {balloon} {down}: {ev.failures}")
    return len(admitted), bad


requests = st.builds(
    lambda price, down_share, budget, income, grade, age, fraud, term, seller: request(
        grade=grade,
        fraud=fraud,
        needs_=needs(
            down_payment_available=D(int(price * down_share)),
            monthly_budget=D(budget),
            monthly_income=D(income),
            term_months=term,
            amount_requested=D(int(price * 0.6)),
        ),
        vehicle_=vehicle(
            price=D(price),
            value_p10=D(int(price * 0.9)),
            value_p50=D(int(price * 0.97)),
            age_years=D(age) / 10,
            seller_type=seller,
        ),
    ),
    st.integers(min_value=20_000, max_value=600_000),
    st.floats(min_value=0.1, max_value=0.8),
    st.integers(min_value=500, max_value=30_000),
    st.integers(min_value=2_000, max_value=80_000),
    st.sampled_from(["A", "B", "C", "D"]),
    st.integers(min_value=0, max_value=70),
    st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
    st.sampled_from([12, 24, 36, 48]),
    st.sampled_from(["dealer", "lessee"]),
)


class TestScreenIsConservative:
    @given(requests)
    @settings(max_examples=60, deadline=None)
    def test_seed_catalogue(self, req: MatchRequest) -> None:
        for p in SEED.products:
            plan = make_plan(p, req)
            if isinstance(plan, Plan):
                _, bad = admitted_but_rejected(plan, req)
                assert bad == []

    @given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=-0.6, max_value=0.6))
    @settings(max_examples=80, deadline=None)
    def test_budget_within_fen_of_a_rent(self, pick: int, delta: float) -> None:
        """Budgets a few fen around each screened rent: the tolerance must hold exactly there."""
        base = request(needs_=needs(monthly_budget=D(10**6), monthly_income=None))
        for p in SEED.products:
            plan = make_plan(p, base)
            if not isinstance(plan, Plan):
                continue
            cells = screen.screen(plan.grid, plan.shape, screen_needs(plan, base))
            rents = cells.payment[cells.codes == 0]
            if rents.size == 0:
                continue
            budget = D(str(round(float(rents[pick % rents.size]) + delta, 2)))
            req = request(needs_=needs(monthly_budget=budget, monthly_income=None))
            tight = make_plan(p, req)
            assert isinstance(tight, Plan)
            _, bad = admitted_but_rejected(tight, req)
            assert bad == []

    @given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=-300, max_value=300))
    @settings(max_examples=60, deadline=None)
    def test_apr_ceiling_near_an_exact_apr(self, pick: int, delta_bp100: int) -> None:
        """Ceilings within ±0.03 % of a structure's exact APR (big fixed fees, small amounts)."""
        fees = [
            {"type": "gps", "payee": "gps_vendor", "fixed": "3000", "financed": True},
            {"type": "service", "payee": "lessor", "fixed": "2500"},
        ]
        loose = product(
            fees=fees,
            balloon_ratios=["0", "0.2"],
            pricing={**spec()["pricing"], "apr_ceiling": "0.9"},
        )
        req = request(
            needs_=needs(down_payment_available=D(15000), monthly_budget=None),
            vehicle_=vehicle(price=D(30000), value_p10=D(30000), value_p50=D(30000)),
        )
        plan = make_plan(loose, req)
        assert isinstance(plan, Plan)
        cells = screen.screen(plan.grid, plan.shape, screen_needs(plan, req))
        open_cells = np.argwhere(cells.codes == 0)
        ti, bi, di = open_cells[pick % len(open_cells)]
        ev = evaluate(plan, req, plan.grid.terms[ti], plan.downs[di], plan.balloons[bi])
        ceiling = (ev.apr + D(delta_bp100) / 1_000_000).quantize(D("0.000001"))
        tight: LeaseProduct = product(
            fees=fees,
            balloon_ratios=["0", "0.2"],
            pricing={**spec()["pricing"], "apr_ceiling": str(ceiling)},
        )
        tight_plan = make_plan(tight, req)
        assert isinstance(tight_plan, Plan)
        _, bad = admitted_but_rejected(tight_plan, req)
        assert bad == []


class TestScreenIsNotBlind:
    def test_comfortable_request_admits_most_structures(self) -> None:
        req = request(grade="A", needs_=needs(monthly_budget=D(20000), monthly_income=None))
        plan = make_plan(product(), req)
        assert isinstance(plan, Plan)
        admitted, bad = admitted_but_rejected(plan, req)
        assert bad == []
        assert admitted >= 20  # 3 terms × ~10 down payments, most within LTV 80 %


class TestTermFactors:
    def test_zero_rate_annuity(self) -> None:
        f = screen.term_factors(0.0, 12, 0.02)
        assert f.annuity == 12
        assert f.vn == 1

    def test_ceiling_sums(self) -> None:
        f = screen.term_factors(0.01, 3, 0.01)
        v = 1 / 1.01
        assert abs(f.c_s1 - (v + v**2 + v**3)) < 1e-12
        assert abs(f.c_s2 - (v**2 + 2 * v**3)) < 1e-12
        assert abs(f.c_a0 - (1 + v + v**2)) < 1e-12
        assert abs(f.c_w - (v + 2 * v**2)) < 1e-12
