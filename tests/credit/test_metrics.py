"""Tests for autolease.credit.metrics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autolease.credit import metrics


class TestAuc:
    def test_perfect_and_reversed(self) -> None:
        y = np.array([0, 0, 1, 1])
        assert metrics.auc(y, [0.1, 0.2, 0.8, 0.9]) == 1.0
        assert metrics.auc(y, [0.9, 0.8, 0.2, 0.1]) == 0.0

    def test_ties_count_half(self) -> None:
        assert metrics.auc([0, 1], [0.5, 0.5]) == 0.5

    def test_single_class_is_nan(self) -> None:
        assert math.isnan(metrics.auc([1, 1], [0.2, 0.3]))

    def test_length_mismatch(self) -> None:
        with pytest.raises(ValueError, match="same length"):
            metrics.auc([0, 1], [0.1])


class TestKs:
    def test_separated(self) -> None:
        assert metrics.ks([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0

    def test_known_value(self) -> None:
        assert metrics.ks([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.5


class TestBrierAndLogLoss:
    def test_values(self) -> None:
        assert metrics.brier([0, 1], [0.0, 0.5]) == pytest.approx(0.125)
        assert metrics.log_loss([1], [0.5]) == pytest.approx(math.log(2))


class TestCalibration:
    def test_perfect_calibration(self) -> None:
        y = np.array([0] * 9 + [1] + [0] * 5 + [1] * 5)
        p = np.array([0.1] * 10 + [0.5] * 10)
        assert metrics.calibration_error(y, p, bins=2) == pytest.approx(0.0)

    def test_table_counts(self) -> None:
        table = metrics.calibration_table([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], bins=2)
        assert [b.count for b in table] == [2, 2]
        assert [b.bad_rate for b in table] == [0.5, 0.5]


class TestEvaluate:
    def test_fields(self) -> None:
        ev = metrics.evaluate([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        assert ev.auc == 0.75
        assert ev.gini == 0.5
        assert ev.n == 4
        assert ev.bad_rate == 0.5
        assert set(ev.to_json()) >= {"auc", "ks", "gini", "brier", "calibration_error"}
