"""Tests for autolease.credit.calibration."""

from __future__ import annotations

import numpy as np
import pytest

from autolease.credit.calibration import (
    Calibrator,
    fit_calibrator,
    fit_isotonic,
    fit_platt,
    logit,
    sigmoid,
)


def simulated(a: float, b: float, n: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    z = rng.normal(0, 1.5, n)
    y = (rng.random(n) < sigmoid(a * z + b)).astype(int)
    return z, y


class TestSigmoidLogit:
    def test_inverse(self) -> None:
        p = np.array([0.01, 0.5, 0.99])
        assert np.allclose(sigmoid(logit(p)), p)

    def test_extremes_are_finite(self) -> None:
        assert np.all(np.isfinite(logit(np.array([0.0, 1.0]))))


class TestFitPlatt:
    def test_recovers_parameters(self) -> None:
        z, y = simulated(0.7, -1.0)
        cal = fit_platt(z, y)
        assert cal.method == "platt"
        assert cal.a == pytest.approx(0.7, abs=0.05)
        assert cal.b == pytest.approx(-1.0, abs=0.05)


class TestFitIsotonic:
    def test_monotone_and_small(self) -> None:
        z, y = simulated(1.0, 0.0)
        cal = fit_isotonic(z, y, max_knots=50)
        assert len(cal.knots_x) <= 50
        out = cal.apply(np.linspace(-4, 4, 50))
        assert np.all(np.diff(out) >= 0)


class TestCalibratorJson:
    @pytest.mark.parametrize(
        "cal",
        [
            Calibrator(),
            Calibrator.platt(0.5, 0.1),
            Calibrator("isotonic", knots_x=(0, 1), knots_y=(0.1, 0.2)),
        ],
    )
    def test_round_trip(self, cal: Calibrator) -> None:
        assert Calibrator.from_json(cal.to_json()) == cal

    def test_unknown_method(self) -> None:
        with pytest.raises(ValueError, match="unknown calibration"):
            Calibrator.from_json({"method": "magic"})

    def test_bad_isotonic_knots(self) -> None:
        with pytest.raises(ValueError, match="increasing knots"):
            Calibrator.from_json({"method": "isotonic", "knots_x": [1, 0], "knots_y": [0, 1]})


class TestFitCalibrator:
    def test_identity(self) -> None:
        assert fit_calibrator("identity", [0.0, 1.0], [0, 1]) == Calibrator()
