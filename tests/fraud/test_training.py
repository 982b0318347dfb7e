from __future__ import annotations

import numpy as np
import pytest

from autolease.fraud.model import encode
from autolease.fraud.training import TrainOptions, auc, evaluate, fit_fraud_model
from tests.fraud.test_model import OPTIONS, SPECS, _data


class TestAuc:
    def test_perfect_random_and_ties(self) -> None:
        assert auc([0, 1], [0.1, 0.9]) == 1.0
        assert auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == 0.5

    def test_one_class_has_no_auc(self) -> None:
        assert auc([1, 1], [0.2, 0.3]) is None


class TestEvaluate:
    def test_referral_and_recall_at_a_rate(self) -> None:
        score = np.array([0.9, 0.8, 0.1, 0.2, 0.3, 0.05, 0.01, 0.02, 0.03, 0.04])
        y = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        ring = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], bool)
        out = evaluate(score, y, ring, refer_rate=0.2, patterns=["gang_ring", None, "bad_sp"]
                       + [None] * 7)  # fmt: skip
        assert out["referred_share"] == 0.2
        assert out["fraud_recall"] == 0.5
        assert out["ring_recall"] == 1.0
        assert out["recall_by_pattern"] == {"bad_sp": {"rows": 1, "recall": 0.0},
                                            "gang_ring": {"rows": 1, "recall": 1.0}}  # fmt: skip

    def test_extra_flags_count_as_referred(self) -> None:
        out = evaluate([0.1, 0.2], [1, 0], threshold=0.5, extra_flags=[True, False])
        assert out["referred_share"] == 0.5
        assert out["fraud_recall"] == 1.0

    def test_a_threshold_or_rate_is_required(self) -> None:
        with pytest.raises(ValueError, match="threshold or refer_rate"):
            evaluate([0.1], [1])


class TestFitFraudModel:
    def test_threshold_refers_about_the_budget_out_of_sample(self) -> None:
        records, y = _data(2000, seed=3)
        model = fit_fraud_model(encode(SPECS, records), y, SPECS, OPTIONS)
        fresh, _ = _data(2000, seed=4)
        referred = (model.score(fresh) >= model.refer_threshold).mean()
        assert 0.05 <= referred <= 0.15
        assert model.metrics["oof"]["auc"] > 0.7

    def test_same_seed_same_model(self) -> None:
        records, y = _data(500)
        x = encode(SPECS, records)
        a = fit_fraud_model(x, y, SPECS, OPTIONS).to_files()
        assert fit_fraud_model(x, y, SPECS, OPTIONS).to_files() == a

    def test_too_few_fraud_rows(self) -> None:
        with pytest.raises(ValueError, match="too few"):
            fit_fraud_model(np.zeros((10, 3)), np.zeros(10), SPECS, OPTIONS)

    def test_options_are_validated(self) -> None:
        with pytest.raises(ValueError, match="refer_rate"):
            TrainOptions(refer_rate=0)
