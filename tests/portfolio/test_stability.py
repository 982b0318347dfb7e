from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from autolease.portfolio.stability import category_psi, psi, stability_by_month


def test_identical_distributions_have_psi_near_zero() -> None:
    values = np.random.default_rng(1).normal(0, 1, 10_000)
    assert psi(values, values) == pytest.approx(0.0, abs=1e-12)


def test_a_shifted_distribution_passes_the_alert_level() -> None:
    rng = np.random.default_rng(2)
    assert psi(rng.normal(0, 1, 10_000), rng.normal(1, 1, 10_000)) > 0.25


def test_psi_by_hand_on_two_bins() -> None:
    # Development deciles of 0..9 put 0-4 and 5-9 on either side of the median when bins=2.
    expected = np.arange(10, dtype=float)
    actual = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2], dtype=float)
    # shares: development 0.5 / 0.5, recent 7/12 / 5/12
    a1, a2 = 7 / 12, 5 / 12
    hand = (a1 - 0.5) * math.log(a1 / 0.5) + (a2 - 0.5) * math.log(a2 / 0.5)
    assert psi(expected, actual, bins=2) == pytest.approx(hand)


def test_a_new_category_shows_as_drift_not_infinity() -> None:
    value = category_psi(["x"] * 50 + ["y"] * 50, ["x"] * 40 + ["y"] * 40 + ["new"] * 20)
    assert math.isfinite(value)
    assert value > 0.25
    assert category_psi(["x", "y"], ["y", "x"]) == pytest.approx(0.0)


def test_stability_by_month_scores_every_later_month() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "month": ["m1"] * 2000 + ["m2"] * 2000 + ["m3"] * 2000,
            "score": np.concatenate(
                [rng.normal(0, 1, 2000), rng.normal(0, 1, 2000), rng.normal(2, 1, 2000)]
            ),
            "kind": ["a"] * 6000,
        }
    )
    table = stability_by_month(frame, ["score", "kind"], "month", ["m1"])
    by = table.set_index(["month", "column"])["index"]
    assert set(table.month) == {"m2", "m3"}
    assert by["m2", "score"] < 0.1 < 0.25 < by["m3", "score"]
    assert by["m3", "kind"] == pytest.approx(0.0)


def test_the_worked_examples_of_the_docs() -> None:
    shifted = category_psi(["x"] * 50 + ["y"] * 50, ["x"] * 60 + ["y"] * 40)
    assert shifted == pytest.approx(0.1 * math.log(1.2) - 0.1 * math.log(0.8))
    assert round(shifted, 3) == 0.041
    new = category_psi(["x"] * 50 + ["y"] * 50, ["x"] * 40 + ["y"] * 40 + ["new"] * 20)
    assert round(new, 2) == 1.56
