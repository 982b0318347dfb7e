"""Report: IRLS logistic regression, AUC, and the book's AUC in the documented range."""

from __future__ import annotations

from typing import Any

import numpy as np

from autolease.synth.calibration import AUC_RANGE
from autolease.synth.outcomes import level_payment
from autolease.synth.report import auc, build_report, fit_logistic, logistic_auc, predict_logistic


def test_fit_logistic_recovers_coefficients() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20_000, 2))
    true = np.array([-1.0, 1.5, -0.5])
    p = 1 / (1 + np.exp(-(true[0] + x @ true[1:])))
    y = (rng.random(20_000) < p).astype(float)
    beta = fit_logistic(x, y)
    assert np.allclose(beta, true, atol=0.08)
    assert 0.5 < auc(predict_logistic(beta, x), y > 0) < 1.0


def test_auc_edge_cases() -> None:
    assert auc(np.array([0.1, 0.9]), np.array([0, 1])) == 1.0
    assert auc(np.array([0.5, 0.5]), np.array([0, 1])) == 0.5
    assert np.isnan(auc(np.array([0.5]), np.array([1])))


def test_level_payment_golden_value() -> None:
    rent = level_payment(np.array([100_000.0]), np.array([0.08]), np.array([36]))
    assert float(rent[0]) == 3133.64


def test_book_auc_in_documented_range(medium_book: dict[str, Any]) -> None:
    result = logistic_auc(medium_book)
    assert AUC_RANGE[0] <= result["auc_test"] <= AUC_RANGE[1]
    assert result["in_range"]
    assert result["coefficients"]["pti"] > 0


def test_report_sections(small_book: dict[str, Any]) -> None:
    sections = build_report(small_book)
    assert [s["section"] for s in sections] == [
        "marginals", "fraud_mix", "default_rates", "logistic_regression",
    ]  # fmt: skip
    marg = sections[0]
    assert marg["rows"]["applications"] == 2_000
    assert abs(sum(marg["product_type"].values()) - 1) < 1e-6
