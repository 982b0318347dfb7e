from __future__ import annotations

import pandas as pd
import pytest

from autolease.portfolio.drift import outcome_rates, reason_shares


def _decisions() -> pd.DataFrame:
    rows = [
        ("2025-01", "approve", []),
        ("2025-01", "approve", ["LTV_HIGH"]),
        ("2025-01", "decline", ["LTV_HIGH", "PD_HIGH"]),
        ("2025-01", "refer", ["PD_HIGH"]),
        ("2025-02", "approve", []),
        ("2025-02", "decline", ["LTV_HIGH"]),
        ("2025-02", "decline", ["LTV_HIGH", "LTV_HIGH"]),
        ("2025-02", "decline", ["LTV_HIGH"]),
    ]
    return pd.DataFrame(rows, columns=["month", "outcome", "reasons"])


def test_approval_rate_change_against_the_baseline() -> None:
    rates = outcome_rates(_decisions(), ["2025-01"]).set_index("month")
    assert rates.loc["2025-01", "approve_rate"] == 0.5
    assert rates.loc["2025-02", "approve_rate"] == 0.25
    assert rates.loc["2025-02", "decline_rate"] == 0.75
    assert rates.loc["2025-02", "approve_change_pp"] == pytest.approx(-25.0)
    assert rates.loc["2025-01", "approve_change_pp"] == pytest.approx(0.0)


def test_reason_shares_count_each_decision_once() -> None:
    shares = reason_shares(_decisions(), ["2025-01"]).set_index(["month", "code"])
    assert shares.loc[("2025-01", "LTV_HIGH"), "share"] == 0.5  # 2 of 4 decisions
    assert shares.loc[("2025-01", "PD_HIGH"), "share"] == 0.5
    # three of the four February decisions carry LTV_HIGH (one of them twice)
    assert shares.loc[("2025-02", "LTV_HIGH"), "count"] == 3
    assert shares.loc[("2025-02", "LTV_HIGH"), "share"] == 0.75
    assert shares.loc[("2025-02", "LTV_HIGH"), "change_pp"] == pytest.approx(25.0)
