from __future__ import annotations

import pandas as pd

from autolease.portfolio.vintage import vintage_curves
from tests.portfolio.hand import hand_panel


def _rate(curves: pd.DataFrame, cohort: str, mob: int, segment: str = "all") -> tuple[int, int]:
    row = curves[(curves.cohort == cohort) & (curves.mob == mob) & (curves.segment == segment)]
    assert len(row) == 1, (cohort, mob, segment)
    return int(row.bad.iloc[0]), int(row.contracts.iloc[0])


def test_cumulative_bad_rates_match_the_hand_count() -> None:
    curves = vintage_curves(hand_panel())
    # 2025-01: c3 is written off at MOB 2, c0 reaches M3+ at MOB 3.
    assert [_rate(curves, "2025-01", m) for m in range(4)] == [(0, 4), (0, 4), (1, 4), (2, 4)]
    assert [_rate(curves, "2025-02", m) for m in range(3)] == [(0, 2), (0, 2), (0, 2)]
    row = curves[(curves.cohort == "2025-01") & (curves.mob == 3)]
    assert row.bad_rate.iloc[0] == 0.5


def test_young_cohorts_stop_where_their_data_stops() -> None:
    curves = vintage_curves(hand_panel())
    assert curves[curves.cohort == "2025-02"].mob.max() == 2
    assert curves[curves.cohort == "2025-03"].mob.max() == 1
    assert "2025-04" not in set(curves.cohort)


def test_curves_by_segment_split_the_cohort() -> None:
    curves = vintage_curves(hand_panel(), "product")
    assert _rate(curves, "2025-01", 3, "a") == (1, 2)  # c0 of c0, c2
    assert _rate(curves, "2025-01", 2, "b") == (1, 2)  # c3 of c1, c3
    assert _rate(curves, "2025-03", 1, "a") == (0, 1)
    assert curves[(curves.cohort == "2025-03") & (curves.segment == "b")].empty
