"""Tests for autolease.credit.features: declared once, computed by one function."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from autolease.credit import features
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import ApplicationFacts
from autolease.origination.schemas import ApplicationCreate
from tests.factories import TODAY, make_body


def facts() -> ApplicationFacts:
    return build_facts(ApplicationCreate.model_validate(make_body(1)), sp_grade="B")


class TestDeclarations:
    def test_every_feature_is_described_and_computed(self) -> None:
        computed = features.compute({"amount_yuan": np.array([1.0])})
        assert list(computed) == [f.name for f in features.FEATURES]
        for spec in features.FEATURES:
            assert spec.description_en
            assert spec.description_zh
            assert spec.as_of
            assert spec.monotone in (-1, 0, 1)
            assert (spec.dtype == "category") == bool(spec.categories)

    def test_schema_labels_and_monotone_follow_the_declarations(self) -> None:
        schema = features.schema()
        assert schema.names == tuple(f.name for f in features.FEATURES)
        assert features.labels()["ltv_on_asking_price"].zh == "融资额与报价比"
        assert features.monotone()["hard_queries_90d"] == 1
        assert "applicant_age" not in features.monotone()


class TestCompute:
    def test_ratios(self) -> None:
        out = features.compute(
            {
                "amount_yuan": np.array([100_000.0]),
                "asking_price_yuan": np.array([125_000.0]),
                "down_payment_yuan": np.array([25_000.0]),
                "valuation_yuan": np.array([110_000.0]),
                "invoice_price_yuan": np.array([np.nan]),
                "monthly_income_yuan": np.array([10_000.0]),
                "term_months": np.array([36.0]),
                "outstanding_debt_yuan": np.array([60_000.0]),
                "as_of_day": np.array([20_000.0]),
                "first_registration_day": np.array([20_000.0 - 365.25 * 3]),
            }
        )
        assert out["ltv_on_asking_price"][0] == pytest.approx(0.8)
        assert out["down_payment_ratio"][0] == pytest.approx(0.2)
        assert out["ltv_on_valuation"][0] == pytest.approx(100 / 110)
        assert out["price_to_value"][0] == pytest.approx(125 / 110)
        assert out["payment_to_income"][0] == pytest.approx(0.32267, abs=1e-4)
        assert out["debt_to_income"][0] == pytest.approx(0.5)
        assert out["vehicle_age_years"][0] == pytest.approx(3.0)

    def test_missing_raw_gives_missing_features(self) -> None:
        out = features.compute({"amount_yuan": np.array([1.0, 2.0])})
        assert np.isnan(out["ltv_on_valuation"]).all()
        assert out["product_type"].tolist() == [None, None]

    def test_zero_denominator_is_missing(self) -> None:
        out = features.compute(
            {"amount_yuan": np.array([1.0]), "asking_price_yuan": np.array([0.0])}
        )
        assert math.isnan(out["ltv_on_asking_price"][0])

    def test_lengths_must_agree(self) -> None:
        with pytest.raises(ValueError, match="different lengths"):
            features.compute({"amount_yuan": np.array([1.0]), "term_months": np.array([1.0, 2])})


class TestApplicationFeatures:
    def test_from_facts_and_stage_features(self) -> None:
        f = facts()
        stage = {
            "applicant_age": 35,
            "hard_queries_90d": 4,
            "court_enforced": False,
            "bureau_first_credit_date": date(2016, 11, 29),
            "ltv": 0.8,
        }
        values = features.application_features(f, stage, TODAY)
        assert values["applicant_age"] == 35.0
        assert values["hard_queries_90d"] == 4.0
        assert values["court_enforced"] == 0.0
        assert values["credit_history_years"] == pytest.approx(10.0, abs=0.01)
        assert values["ltv_on_valuation"] == pytest.approx(0.8)
        assert values["ltv_on_asking_price"] == pytest.approx(float(f.amount / f.asking_price))
        assert values["product_type"] == f.product_type
        assert values["phone_tenure_months"] is None

    def test_same_numbers_as_the_batch_path(self) -> None:
        f = facts()
        raw = features.raw_from_application(f, {}, TODAY)
        single = features.application_features(f, {}, TODAY)
        batch = features.compute({k: np.repeat(v, 3) for k, v in raw.items()})
        assert batch["vehicle_age_years"][2] == pytest.approx(single["vehicle_age_years"])

    def test_unusable_stage_values_are_missing(self) -> None:
        values = features.application_features(facts(), {"hard_queries_90d": "many"}, TODAY)
        assert values["hard_queries_90d"] is None


class TestLevelPayment:
    def test_golden_value(self) -> None:
        value = features.level_payment(np.array([100_000.0]), 0.08, np.array([36.0]))[0]
        assert float(Decimal(str(value)).quantize(Decimal("0.01"))) == 3133.64
