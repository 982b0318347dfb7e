"""Tests for autolease.product.matching (and structures / explain behind it)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from autolease.product.catalogue import Catalogue
from autolease.product.changes import Lever, apply_change
from autolease.product.kinds import Constraint
from autolease.product.matching import MatchResult, match
from autolease.product.request import (
    MatchRequest,
    MatchSettings,
    down_payment_grid,
    estimate_residual,
)
from autolease.product.service import load_seed_catalogue
from tests.product.helpers import catalogue, needs, product, request, spec, vehicle

D = Decimal
SEED = load_seed_catalogue()


def rematch(cat: Catalogue, req: MatchRequest, result: MatchResult, lever: Lever) -> MatchResult:
    change = next(c for c in result.changes if c.lever is lever)
    return match(cat, replace(req, needs=apply_change(req.needs, change)))


class TestMatchOffers:
    def test_top_n_ranked_distinct_and_within_limits(self) -> None:
        req = request(grade="A", settings=MatchSettings(top_n=3))
        result = match(SEED, req)
        assert [o.rank for o in result.offers] == [1, 2, 3]
        scores = [o.score for o in result.offers]
        assert scores == sorted(scores, reverse=True)
        keys = {(o.evaluation.product.code, o.evaluation.balloon > 0) for o in result.offers}
        assert len(keys) == 3
        for offer in result.offers:
            ev = offer.evaluation
            assert ev.feasible
            assert ev.term_months == 36
            assert ev.max_payment <= D(4000)
            assert ev.max_payment <= D(15000) * ev.product.eligibility.max_payment_to_income
            assert ev.apr <= ev.product.pricing.apr_ceiling
            assert ev.principal <= ev.product.ltv_cap_by_grade["A"] * D(120000)
            assert ev.down_payment <= D(40000)
        assert result.screen_rejections == 0
        assert result.feasible >= 3
        assert result.binding is None

    def test_apr_includes_fees(self) -> None:
        result = match(catalogue(), request(grade="A"))
        ev = result.offers[0].evaluation
        assert ev.total_fees > 0
        assert ev.apr > ev.price.annual_rate
        assert ev.total_cost == ev.total_payments + ev.upfront_fees - ev.advanced

    def test_flexible_term_may_offer_other_terms_but_prefers_the_one_wanted(self) -> None:
        req = request(grade="A", needs_=needs(flexible_term=True, term_months=24))
        result = match(catalogue(), req)
        terms = [o.evaluation.term_months for o in result.offers]
        assert terms[0] == 24
        assert len(set(terms)) > 1

    def test_fraud_score_loads_the_rate(self) -> None:
        calm = match(catalogue(), request(grade="B")).offers[0].evaluation
        risky = match(catalogue(), request(grade="B", fraud=0.9)).offers[0].evaluation
        assert risky.price.annual_rate == calm.price.annual_rate + D("0.02")

    def test_product_type_filter(self) -> None:
        req = request(needs_=needs(product_type="operating_lease"), grade="A")
        result = match(SEED, req)
        assert result.offers
        assert {o.evaluation.product.product_type.value for o in result.offers} == {
            "operating_lease"
        }
        assert result.gated["DL-STD"] is Constraint.PRODUCT_TYPE


class TestNoOffer:
    def test_budget_binds_and_a_longer_term_helps(self) -> None:
        # ¥84,000 at 9 % + fees: about ¥3,900 a month over 24 months, ¥2,700 over 36
        req = request(needs_=needs(term_months=24, monthly_budget=D(3000)), grade="B")
        result = match(catalogue(), req)
        assert result.offers == ()
        assert result.binding is Constraint.BUDGET
        term = next(c for c in result.changes if c.lever is Lever.TERM)
        assert (term.current, term.proposed) == (24, 36)
        assert term.text()[0] == "term 24 → 36 months"
        assert rematch(catalogue(), req, result, Lever.TERM).offers

    def test_smallest_down_payment_change_makes_an_offer_possible(self) -> None:
        req = request(needs_=needs(term_months=24, monthly_budget=D(3000)), grade="B")
        result = match(catalogue(), req)
        down = next(c for c in result.changes if c.lever is Lever.DOWN_PAYMENT)
        assert down.proposed > D(40000)
        assert down.proposed % 100 == 0
        assert rematch(catalogue(), req, result, Lever.DOWN_PAYMENT).offers
        smaller = replace(down, proposed=Decimal(down.proposed) - 500)
        assert not match(catalogue(), replace(req, needs=apply_change(req.needs, smaller))).offers

    def test_budget_change_is_confirmed(self) -> None:
        req = request(needs_=needs(term_months=24, monthly_budget=D(3000)), grade="B")
        result = match(catalogue(), req)
        assert rematch(catalogue(), req, result, Lever.MONTHLY_BUDGET).offers
        assert [c.effort for c in result.changes] == sorted(c.effort for c in result.changes)

    def test_ltv_binds(self) -> None:
        req = request(needs_=needs(down_payment_available=D(10000)), grade="C")
        result = match(catalogue(), req)
        assert result.binding is Constraint.DOWN_PAYMENT
        down = result.changes[0]
        assert down.lever is Lever.DOWN_PAYMENT
        assert rematch(catalogue(), req, result, Lever.DOWN_PAYMENT).offers

    def test_ltv_binds_above_the_minimum_down_payment(self) -> None:
        req = request(needs_=needs(down_payment_available=D(30000)), grade="C")
        result = match(catalogue(), req)
        assert result.binding is Constraint.LTV
        assert rematch(catalogue(), req, result, Lever.DOWN_PAYMENT).offers

    def test_sale_leaseback_suggests_a_smaller_amount(self) -> None:
        slb = product(product_type="sale_leaseback")
        req = request(
            needs_=needs(amount_requested=D(95000), monthly_budget=D(2000)),
            vehicle_=vehicle(seller_type="lessee"),
        )
        result = match(catalogue(slb), req)
        assert result.binding is Constraint.BUDGET
        amount = next(c for c in result.changes if c.lever is Lever.AMOUNT)
        assert amount.proposed < D(76000)  # below 80 % of the amount requested
        assert amount.text()[0].startswith("amount financed ¥95,000 → ")
        assert rematch(catalogue(slb), req, result, Lever.AMOUNT).offers

    def test_term_not_offered(self) -> None:
        req = request(needs_=needs(term_months=30))
        result = match(catalogue(), req)
        assert result.binding is Constraint.TERM
        assert result.changes[0].lever is Lever.TERM
        assert result.changes[0].proposed in (24, 36)

    def test_product_rule_excludes_everything(self) -> None:
        req = request(vehicle_=vehicle(mileage_km=300_000))
        result = match(SEED, req)
        assert result.binding is Constraint.MILEAGE
        assert result.changes == ()
        assert result.considered == 0

    def test_old_vehicle_needs_a_shorter_term_and_more_down(self) -> None:
        req = request(
            needs_=needs(term_months=36, down_payment_available=D(24000)),
            vehicle_=vehicle(age_years=D("5.5")),
            grade="C",
        )
        result = match(catalogue(), req)
        assert result.binding is Constraint.AGE_PLUS_TERM
        combined = result.changes[0]
        assert combined.lever is Lever.TERM
        assert combined.proposed == 24
        assert combined.then is not None
        assert combined.then.lever is Lever.DOWN_PAYMENT
        assert " and down payment " in combined.text()[0]

    def test_empty_catalogue(self) -> None:
        result = match(Catalogue(), request())
        assert result.binding is Constraint.CATALOGUE_EMPTY
        assert result.offers == ()


class TestStructures:
    def test_residual_curve(self) -> None:
        assert estimate_residual(D(100000), D(0), 12) == D("85000.00")
        assert estimate_residual(D(100000), D(0), 48) == D("55271.25")  # .85^3 × .9
        # half a year at 15 %, half at 10 %: √(0.85 × 0.90)
        assert estimate_residual(D(100000), D("2.5"), 12) == D("87464.28")

    def test_down_payment_grid_stops_at_the_cash_available(self) -> None:
        grid = down_payment_grid(product(), D(120000), needs(), MatchSettings())
        assert grid[0] == D(24000)
        assert grid[-1] == D(40000)
        assert all(d % 100 == 0 for d in grid)
        assert len(grid) <= 11

    def test_down_payment_grid_empty_below_the_minimum(self) -> None:
        thin = needs(down_payment_available=D(5000))
        assert down_payment_grid(product(), D(120000), thin, MatchSettings()) == ()

    def test_balloon_above_the_residual_is_excluded(self) -> None:
        big = product(balloon_ratios=["0", "0.6"], max_balloon_of_residual="0.5")
        result = match(catalogue(big), request(grade="A"))
        assert result.offers
        assert all(o.evaluation.balloon == 0 for o in result.offers)

    def test_spec_helper_is_a_copy(self) -> None:
        assert spec()["fees"] is not spec()["fees"]
