from __future__ import annotations

import numpy as np
import pytest

from autolease.portfolio.panel import State
from autolease.portfolio.rolls import flow_rates, roll_rates, transition_counts
from tests.portfolio.hand import hand_panel


def test_transition_counts_match_the_hand_count() -> None:
    counts = transition_counts(hand_panel())
    expected = np.zeros((6, 6), dtype=np.int64)
    expected[State.CURRENT, State.CURRENT] = 7
    expected[State.CURRENT, State.M1] = 4
    expected[State.M1, State.CURRENT] = 1
    expected[State.M1, State.M2] = 2
    expected[State.M1, State.WRITTEN_OFF] = 1
    expected[State.M2, State.M3_PLUS] = 1
    expected[State.WRITTEN_OFF, State.WRITTEN_OFF] = 1
    np.testing.assert_array_equal(counts, expected)
    assert counts.sum() == 17  # every pair of observed consecutive months


def test_roll_rates_are_row_shares() -> None:
    rates = roll_rates(hand_panel())
    assert rates.loc["current", "M1"] == pytest.approx(4 / 11)
    assert rates.loc["M1", "M2"] == pytest.approx(2 / 4)
    assert rates.loc["M1", "written off"] == pytest.approx(1 / 4)
    assert rates.loc["closed"].sum() == 0  # no contract closed: an empty row stays zero


def test_flow_rates_follow_the_chain() -> None:
    assert flow_rates(hand_panel()) == pytest.approx(
        {"current→M1": 4 / 11, "M1→M2": 0.5, "M2→M3+": 1.0, "M3+→written off": 0.0}
    )
