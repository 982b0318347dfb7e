"""Figures by SP and by month (pure)."""

from __future__ import annotations

import pandas as pd
import pytest

from autolease.backtest.breakdown import breakdown


def _frames(latent: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    decisions = pd.DataFrame(
        {
            "application_id": [1, 2, 3, 4, 5],
            "policy_outcome": ["approve", "approve", "decline", "approve", "refer"],
            "against_outcome": ["approve", "decline", "decline", "decline", "approve"],
        }
    )
    book = pd.DataFrame(
        {
            "application_id": [1, 2, 3, 4, 5],
            "sp_code": ["A", "A", "B", "B", "B"],
            "submitted_at": pd.to_datetime(
                ["2025-01-03", "2025-01-20", "2025-02-01", "2025-02-11", "2025-02-27"], utc=True
            ),
            "booked": [True, True, False, True, False],
            "default_flag": [True, False, None, False, None],
        }
    )
    if latent:
        book["latent_default_flag"] = [1, 0, 1, 1, 0]
    return decisions, book


def test_by_sp_and_month_with_counterfactual_bad_rates() -> None:
    out = breakdown(*_frames())
    assert out["bad_rate_basis"] == "counterfactual"
    by_sp = {r["group"]: r for r in out["sp"]}
    assert (by_sp["A"]["n"], by_sp["B"]["n"]) == (2, 3)
    assert by_sp["A"]["policy_approval"] == 1.0
    assert by_sp["A"]["policy_bad_rate"] == 0.5  # apps 1 (bad) and 2 (good)
    assert by_sp["B"]["policy_approval"] == pytest.approx(1 / 3)
    assert by_sp["B"]["policy_bad_rate"] == 1.0  # app 4
    assert by_sp["B"]["against_approval"] == pytest.approx(1 / 3)
    assert by_sp["B"]["against_bad_rate"] == 0.0  # app 5
    assert [r["group"] for r in out["month"]] == ["2025-01", "2025-02"]
    assert out["month"][1]["n"] == 3


def test_observed_bad_rates_count_booked_only_and_none_when_unknown() -> None:
    out = breakdown(*_frames(latent=False))
    assert out["bad_rate_basis"] == "observed"
    by_sp = {r["group"]: r for r in out["sp"]}
    assert by_sp["A"]["policy_bad_rate"] == 0.5
    assert by_sp["B"]["against_bad_rate"] is None  # app 5 was never booked
