from __future__ import annotations

import numpy as np
import pytest

from autolease.fraud.features import FeatureSpec
from autolease.fraud.model import encode
from autolease.fraud.training import (
    TrainOptions,
    _folds,
    auc,
    auc_standard_error,
    best_rounds,
    cross_validated_auc,
    evaluate,
    fit_fraud_model,
)
from tests.fraud.test_model import OPTIONS, SPECS, _data


class TestAuc:
    def test_perfect_random_and_ties(self) -> None:
        assert auc([0, 1], [0.1, 0.9]) == 1.0
        assert auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == 0.5

    def test_one_class_has_no_auc(self) -> None:
        assert auc([1, 1], [0.2, 0.3]) is None


class TestAucStandardError:
    def test_hand_computed_delong(self) -> None:
        # positives outrank 1/2 and 2/2 negatives; negatives sit below 2/2 and 1/2 positives
        se = auc_standard_error([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        assert se == pytest.approx(np.sqrt(0.125 / 2 + 0.125 / 2))

    def test_agrees_with_the_bootstrap(self) -> None:
        rng = np.random.default_rng(0)
        y = rng.random(3000) < 0.06
        score = rng.normal(size=3000) + 1.2 * y
        boot: list[float] = []
        for _ in range(300):
            rows = rng.integers(0, len(y), len(y))
            value = auc(y[rows], score[rows])
            assert value is not None
            boot.append(value)
        se = auc_standard_error(y, score)
        assert se is not None
        assert se == pytest.approx(float(np.std(boot)), rel=0.2)

    def test_needs_two_rows_of_each_class(self) -> None:
        assert auc_standard_error([0, 0, 1], [0.1, 0.2, 0.3]) is None


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

    def test_fixed_rounds_by_default(self) -> None:
        records, y = _data(500)
        model = fit_fraud_model(encode(SPECS, records), y, SPECS, OPTIONS)
        assert model.metrics["trees"] == OPTIONS.rounds == model.booster.num_trees()

    def test_options_are_validated(self) -> None:
        with pytest.raises(ValueError, match="refer_rate"):
            TrainOptions(refer_rate=0)


FAST = TrainOptions(rounds=200, learning_rate=0.3, num_leaves=8, min_data_in_leaf=5, folds=3,
                    refer_rate=0.1, choose_rounds=True)  # fmt: skip


NOISY = tuple(FeatureSpec(f"x{j}", "float", "t", "") for j in range(8))


def _noisy(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One weak signal among eight inputs: many fast-learning trees overfit the rest."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(NOISY)))
    y = (rng.random(n) < 1 / (1 + np.exp(-(-2.5 + 1.0 * x[:, 0])))).astype(float)
    return x, y


class TestChooseRounds:
    def test_best_mean_curve_and_ties_go_to_fewer_trees(self) -> None:
        assert best_rounds(np.array([[0.6, 0.7, 0.9], [0.6, 0.8, 0.5]])) == 2
        assert best_rounds(np.array([[0.6, 0.8, 0.8]])) == 2

    def test_fast_learning_on_a_small_table_keeps_few_trees(self) -> None:
        x, y = _noisy(600, seed=5)
        model = fit_fraud_model(x, y, NOISY, FAST)
        trees = model.metrics["trees"]
        assert 1 <= trees < FAST.rounds // 2
        assert model.booster.num_trees() == trees
        assert fit_fraud_model(x, y, NOISY, FAST).to_files() == model.to_files()
        fixed = fit_fraud_model(x, y, NOISY, TrainOptions(**{**FAST.to_json(),
                                                             "choose_rounds": False}))  # fmt: skip
        fresh, truth = _noisy(5000, seed=6)
        chosen_auc = auc(truth, model.score_matrix(fresh))
        fixed_auc = auc(truth, fixed.score_matrix(fresh))
        assert chosen_auc is not None
        assert fixed_auc is not None
        assert chosen_auc > fixed_auc + 0.01

    def test_threshold_comes_from_scores_at_the_chosen_count(self) -> None:
        records, y = _data(1500, seed=3)
        model = fit_fraud_model(encode(SPECS, records), y, SPECS, FAST)
        fresh, _ = _data(2000, seed=4)
        referred = (model.score(fresh) >= model.refer_threshold).mean()
        assert 0.05 <= referred <= 0.15

    @pytest.mark.slow
    def test_cross_validation_nests_the_choice(self) -> None:
        x, y = _noisy(600, seed=7)
        estimate = cross_validated_auc(x, y, NOISY, FAST, folds=3, repeats=1)
        # by hand: the whole fit (its own cross-fit choosing the count) on each training part
        fold = _folds(y, 3, FAST.seed + 1000)
        by_hand: list[float] = []
        for k in range(3):
            model = fit_fraud_model(x[fold != k], y[fold != k], NOISY, FAST)
            by_hand.append(auc(y[fold == k], model.score_matrix(x[fold == k])) or 0.5)
        assert estimate["auc"] == round(float(np.mean(by_hand)), 4)
        noise = np.random.default_rng(1).permutation(y)
        assert cross_validated_auc(x, noise, NOISY, FAST, folds=3, repeats=2)["auc"] < 0.58
