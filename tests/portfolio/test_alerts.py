from __future__ import annotations

import pandas as pd

from autolease.portfolio.alerts import approval_alerts, stability_alerts, vintage_alerts
from autolease.portfolio.settings import PortfolioSettings
from autolease.portfolio.simulate import REGIONS, Planted, simulate
from autolease.portfolio.vintage import vintage_curves

SETTINGS = PortfolioSettings()


def _curves(rows: list[tuple[str, str, int, int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["cohort", "segment", "mob", "contracts", "bad"])
    frame["bad_rate"] = frame["bad"] / frame["contracts"]
    return frame


def test_a_cohort_far_above_its_predecessors_is_flagged() -> None:
    curves = _curves(
        [
            ("2025-01", "x", 3, 1000, 20),
            ("2025-02", "x", 3, 1000, 20),
            ("2025-03", "x", 3, 500, 40),  # 8 % against 2 % before
        ]
    )
    alerts = vintage_alerts(curves, "region", SETTINGS)
    assert [a.subject for a in alerts] == ["region=x cohort 2025-03"]
    assert alerts[0].value == 0.08
    assert alerts[0].threshold == 0.03  # 1.5 × 2 %
    assert "2025-03" in alerts[0].message_zh


def test_no_alert_below_the_minimum_counts() -> None:
    few_contracts = _curves([("2025-01", "x", 3, 1000, 20), ("2025-02", "x", 3, 150, 40)])
    few_bad = _curves([("2025-01", "x", 3, 1000, 2), ("2025-02", "x", 3, 300, 9)])
    unwatched_mob = _curves([("2025-01", "x", 4, 1000, 20), ("2025-02", "x", 4, 500, 40)])
    for curves in (few_contracts, few_bad, unwatched_mob):
        assert vintage_alerts(curves, "region", SETTINGS) == []


def test_a_planted_cohort_is_flagged_in_the_simulated_book() -> None:
    planted = Planted(region="河南", first_month=10, months=3, multiplier=3.0)
    book = simulate(80_000, origination_months=24, seed=5, planted=planted)
    alerts = vintage_alerts(vintage_curves(book.panel, "region"), "region", SETTINGS)
    flagged = {a.subject for a in alerts}
    assert {f"region=河南 cohort {book.panel.months[m]}" for m in (10, 11, 12)} & flagged
    assert all(a.subject.startswith("region=河南") for a in alerts), flagged
    assert REGIONS.index("河南") >= 0


def test_stability_and_approval_alerts_use_their_thresholds() -> None:
    table = pd.DataFrame(
        {"month": ["m2", "m3"], "column": ["ltv", "ltv"], "index": [0.1, 0.3], "n": [10, 10]}
    )
    assert [a.subject for a in stability_alerts(table, SETTINGS)] == ["ltv m3"]
    rates = pd.DataFrame({"month": ["m2", "m3"], "approve_change_pp": [-9.9, -12.0]})
    assert [a.value for a in approval_alerts(rates, SETTINGS)] == [-12.0]


def test_a_cohort_is_flagged_when_earlier_ones_had_no_bad_contract() -> None:
    curves = _curves([("2025-01", "x", 3, 2000, 0), ("2025-02", "x", 3, 400, 12)])
    alerts = vintage_alerts(curves, "region", SETTINGS)
    assert [a.subject for a in alerts] == ["region=x cohort 2025-02"]
    assert alerts[0].threshold == 0.0
