"""Tests for autolease.product.stage: the offers stage in the decision pipeline."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from autolease.origination.facts import build_facts
from autolease.origination.pipeline import (
    ApplicationFacts,
    DecisionContext,
    Outcome,
    Severity,
    run_pipeline,
)
from autolease.origination.schemas import ApplicationCreate
from autolease.origination.stages import default_stages
from autolease.product.catalogue import CatalogueBox
from autolease.product.service import build_offers_stage, load_seed_catalogue
from autolease.product.stage import OffersStage, replace_offers_stage, residuals_from
from tests.factories import TODAY, make_body

D = Decimal
AS_OF = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
SEED = load_seed_catalogue()


def facts(**changes: Any) -> ApplicationFacts:
    base = build_facts(ApplicationCreate.model_validate(make_body(1)), sp_grade="B")
    values: dict[str, Any] = {
        "asking_price": D(120000),
        "amount": D(70000),
        "down_payment": D(50000),
        "term_months": 36,
        "monthly_budget": D(4000),
        "monthly_income": D(20000),
        "first_registration_date": date(2024, 6, 1),
        "mileage_km": 40000,
        "seller_type": "dealer",
        "product_type": "any",
        "applicant_kind": "individual",
        "fuel_type": "petrol",
    }
    values.update(changes)
    return dataclasses.replace(base, **values)


def context(
    outcome: Outcome | None = Outcome.APPROVE, features: dict[str, Any] | None = None, **kw: Any
) -> DecisionContext:
    ctx = DecisionContext(facts(**kw), as_of=AS_OF, business_date=TODAY)
    ctx.outcome = outcome
    ctx.features.update(features or {})
    return ctx


GOOD = {"credit_grade": "A", "valuation_p10": 110000, "valuation_p50": 118000, "fraud_score": 0.1}


class TestOffersStage:
    def test_offers_are_json_safe_with_snapshot_and_explanations(self) -> None:
        ctx = context(features=GOOD)
        note = OffersStage(SEED).run(ctx)
        assert ctx.offers
        assert note.startswith(f"{len(ctx.offers)} offer(s)")
        assert json.loads(json.dumps(ctx.offers)) == ctx.offers
        offer = ctx.offers[0]
        for key in ("monthly_payment", "down_payment", "balloon", "total_cost", "apr", "fees"):
            assert key in offer
        chosen = SEED.by_code(offer["product"]["code"])
        assert chosen is not None
        assert offer["product"]["terms_hash"] == chosen.terms_hash
        assert offer["product_terms"]["code"] == offer["product"]["code"]
        assert "APR" in offer["explanation_en"]
        assert "年化利率" in offer["explanation_zh"]
        assert D(offer["apr"]) > D(offer["annual_rate"])
        assert ctx.features["offers_considered"] > 0
        assert ctx.features["product_catalogue"] == SEED.fingerprint[:16]

    def test_the_decisions_offers_say_where_they_depart_from_the_request(self) -> None:
        ctx = context(features=GOOD, amount=D(15000), down_payment=D(110000))
        OffersStage(SEED).run(ctx)
        assert ctx.offers
        for offer in ctx.offers:
            moved = {d["field"]: d for d in offer["departures"]}
            assert moved["amount"]["requested"] == "15000"
            assert moved["amount"]["offered"] == offer["amount_advanced"]
            if offer["product"]["type"] != "sale_leaseback":
                assert moved["down_payment"]["requested"] == "110000"

    def test_missing_inputs_fall_back_and_say_so(self) -> None:
        ctx = context(features={})
        OffersStage(SEED).run(ctx)
        notes = (
            {n["code"] for n in ctx.offers[0]["notes"]}
            if ctx.offers
            else set(ctx.features["offer_notes"])
        )
        assert notes == {
            "VALUATION_FROM_ASKING_PRICE",
            "GRADE_DEFAULTED",
            "RESIDUAL_ESTIMATED",
            "FRAUD_SCORE_MISSING",
        }

    def test_grade_c_fallback_prices_as_c(self) -> None:
        ctx = context(features={"valuation_p50": 118000}, down_payment=D(65000), amount=D(55000))
        OffersStage(SEED).run(ctx)
        assert ctx.offers
        assert all("grade C" in o["explanation_en"] for o in ctx.offers)

    def test_referral_offers_are_provisional(self) -> None:
        ctx = context(Outcome.REFER, features=GOOD)
        OffersStage(SEED).run(ctx)
        assert ctx.offers
        assert "OFFERS_PROVISIONAL" in {n["code"] for n in ctx.offers[0]["notes"]}

    @pytest.mark.parametrize("outcome", [Outcome.DECLINE, None])
    def test_no_offers_unless_approved_or_referred(self, outcome: Outcome | None) -> None:
        ctx = context(outcome, features=GOOD)
        note = OffersStage(SEED).run(ctx)
        assert ctx.offers == []
        assert ctx.reasons == []
        assert note.startswith("no offers")

    def test_no_feasible_offer_reason_names_constraint_and_change(self) -> None:
        ctx = context(features=GOOD, down_payment=D(10000), amount=D(110000))
        OffersStage(SEED).run(ctx)
        assert ctx.offers == []
        reason = ctx.reasons[-1]
        assert reason.code == "NO_FEASIBLE_OFFER"
        assert reason.severity is Severity.INFO
        assert "down payment ¥10,000 → " in reason.message_en
        assert "首付" in reason.message_zh
        assert ctx.features["offer_binding_constraint"] in ("ltv", "down_payment")
        assert ctx.features["offer_changes"][0]["lever"] == "down_payment"

    def test_sale_leaseback_requires_the_lessee_as_seller(self) -> None:
        ctx = context(features=GOOD, product_type="sale_leaseback", seller_type="dealer")
        OffersStage(SEED).run(ctx)
        assert ctx.offers == []
        assert ctx.features["offer_binding_constraint"] == "seller"
        own = context(features=GOOD, product_type="sale_leaseback", seller_type="lessee")
        OffersStage(SEED).run(own)
        assert own.offers
        assert {o["product"]["type"] for o in own.offers} == {"sale_leaseback"}

    def test_reads_a_catalogue_box(self) -> None:
        box = CatalogueBox()
        stage = build_offers_stage(box)
        empty = context(features=GOOD)
        stage.run(empty)
        assert empty.features["offer_binding_constraint"] == "catalogue_empty"
        box.replace(SEED)
        full = context(features=GOOD)
        stage.run(full)
        assert full.offers


class TestResidualsFrom:
    def test_key_styles(self) -> None:
        found = residuals_from(
            {
                "residual_value_36m": 60000,
                "residual_value_p50_24": "70000",
                "residual_values": {"12": 80000},
                "residual_value_bad": 1,
                "residual_value_48m": None,
            }
        )
        assert found == {36: D(60000), 24: D(70000), 12: D(80000)}


class TestInThePipeline:
    def test_runs_last_and_stores_offers_on_the_context(self) -> None:
        stages = replace_offers_stage(default_stages(), OffersStage(SEED))
        assert [s.name for s in stages][-1] == "offers"
        assert len(stages) == len(default_stages())
        body = make_body(1)
        ctx = DecisionContext(
            build_facts(ApplicationCreate.model_validate(body), sp_grade="B"), AS_OF, TODAY
        )
        run_pipeline(stages, ctx, iter(range(100)).__next__)
        assert ctx.trace[-1].stage == "offers"
        assert ctx.offers or any(r.code == "NO_FEASIBLE_OFFER" for r in ctx.reasons)

    def test_replace_appends_when_absent(self) -> None:
        stages = replace_offers_stage((), OffersStage(SEED))
        assert [s.name for s in stages] == ["offers"]
