from __future__ import annotations

import math

import numpy as np
import pytest

from autolease.fraud.features import FeatureSpec
from autolease.fraud.model import FraudModel, encode
from autolease.fraud.training import TrainOptions, fit_fraud_model
from autolease.ml.checks import ModelCase, check_model

SPECS = (
    FeatureSpec("shared_devices", "float", "t", ""),
    FeatureSpec("thin_file", "bool", "t", ""),
    FeatureSpec("lead_source", "category", "t", "", ("sp", "partner_referral", "direct")),
)
OPTIONS = TrainOptions(rounds=30, num_leaves=4, min_data_in_leaf=10, folds=2, refer_rate=0.1)


def _data(n: int = 600, seed: int = 0) -> tuple[list[dict[str, object]], np.ndarray]:
    rng = np.random.default_rng(seed)
    devices = rng.poisson(1.0, n)
    thin = rng.random(n) < 0.3
    lead = rng.choice(["sp", "partner_referral", "direct"], n)
    logit = -3 + 0.9 * devices + 1.0 * thin + 0.8 * (lead == "partner_referral")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    records = [
        {"shared_devices": int(d), "thin_file": bool(t), "lead_source": str(s)}
        for d, t, s in zip(devices, thin, lead, strict=True)
    ]
    return records, y


def fit() -> FraudModel:
    records, y = _data()
    return fit_fraud_model(encode(SPECS, records), y, SPECS, OPTIONS)


class TestEncode:
    def test_categories_booleans_and_missing(self) -> None:
        x = encode(SPECS, [{"shared_devices": 2, "thin_file": True, "lead_source": "direct"},
                           {"lead_source": "unknown"}])  # fmt: skip
        assert x[0].tolist() == [2.0, 1.0, 2.0]
        assert all(math.isnan(v) for v in x[1])


class TestFraudModel:
    def test_contract_suite(self) -> None:
        records, _ = _data(40, seed=1)
        check_model(
            ModelCase(
                name="fraud_gbm",
                fit=fit,
                predict=lambda m, rs: m.score(rs),
                records=records,
                save=lambda m: m.to_files(),
                load=lambda files: FraudModel.from_files(files, name="fraud_gbm", version="t"),
            )
        )

    def test_round_trip_keeps_threshold_and_inputs(self) -> None:
        model = fit()
        loaded = FraudModel.from_files(model.to_files(), name="fraud_gbm", version="7")
        assert loaded.refer_threshold == model.refer_threshold
        assert loaded.specs == model.specs
        assert loaded.ref == "fraud_gbm@7"

    def test_a_booster_with_other_inputs_is_refused(self) -> None:
        files = fit().to_files()
        other = FraudModel.from_files(files, name="x", version="1")
        other.specs = other.specs[:2]
        with pytest.raises(ValueError, match="number of inputs"):
            FraudModel.from_files(other.to_files(), name="x", version="1")

    def test_explain_names_the_inputs_that_raise_the_score(self) -> None:
        model = fit()
        risky = {"shared_devices": 6, "thin_file": True, "lead_source": "partner_referral"}
        reasons = model.explain(risky, top=2)
        assert reasons
        assert reasons[0].feature == "shared_devices"
        assert all(r.value > 0 for r in reasons)
