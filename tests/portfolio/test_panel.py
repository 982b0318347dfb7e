from __future__ import annotations

import numpy as np
import pytest

from autolease.portfolio.panel import NOT_OBSERVED, Panel, Segment
from tests.portfolio.hand import hand_panel


def test_cut_at_hides_the_months_after_the_reporting_month() -> None:
    cut = hand_panel().cut_at(1)  # end of 2025-02
    assert cut.contracts == 6  # c6, paid out in 2025-03, is not yet booked
    np.testing.assert_array_equal(cut.states[0], [0, 1, NOT_OBSERVED, NOT_OBSERVED])
    np.testing.assert_array_equal(cut.states[4], [0, NOT_OBSERVED, NOT_OBSERVED, NOT_OBSERVED])
    assert cut.segments["product"].codes.tolist() == [0, 1, 0, 1, 0, 1]
    assert cut.months == hand_panel().months


def test_cut_at_the_last_month_changes_nothing() -> None:
    panel = hand_panel()
    np.testing.assert_array_equal(panel.cut_at(3).states, panel.states)


def test_ever_bad_is_cumulative() -> None:
    ever = hand_panel().ever_bad_by()
    assert ever[0].tolist() == [False, False, False, True]
    assert ever[3].tolist() == [False, False, True, True]


def test_a_panel_refuses_mismatched_lengths() -> None:
    states = np.zeros((2, 3), dtype=np.int8)
    with pytest.raises(ValueError, match="origination"):
        Panel(states, np.zeros(3, dtype=np.int32), ("2025-01",))
    with pytest.raises(ValueError, match="segment"):
        Panel(
            states,
            np.zeros(2, dtype=np.int32),
            ("2025-01",),
            {"p": Segment(np.zeros(1, dtype=np.int32), ("a",))},
        )
