"""Figures per SP and month, credibility for small SPs, and grades from the grade policy."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from autolease.channel.actions import actions_all
from autolease.channel.actions import load_policy as load_actions_policy
from autolease.channel.grading import grade_all, load_policy, policy_inputs
from autolease.channel.performance import METRICS, Counts, MonthFigures, at_month, count
from autolease.decision.engine import PolicyEngine
from autolease.portfolio.panel import NOT_OBSERVED, Panel, Segment, State

PEERS = 100


def figures(own_hits: int, own_n: int, peer_rate: float = 0.03) -> MonthFigures:
    """Peers with 200 contracts each at `peer_rate` on every metric; SP 0 with its own."""
    n = np.full(PEERS + 1, 200, dtype=np.int64)
    hits = np.full(PEERS + 1, round(200 * peer_rate), dtype=np.int64)
    n[0], hits[0] = own_n, own_hits
    per_metric = {m.name: hits.copy() for m in METRICS}
    per_metric["early_payoff"] = np.full(PEERS + 1, 10, dtype=np.int64)
    return MonthFigures(12, n // 6, per_metric, {m.name: n.copy() for m in METRICS}, n)


Grade = Callable[..., str]


@pytest.fixture(scope="module")
def grade() -> Grade:
    engine, policy = PolicyEngine(), load_policy()

    def of(fig: MonthFigures, k: float = 100.0) -> str:
        return grade_all(engine, policy, policy_inputs(fig, k=k))[0].grade

    return of


class TestCredibility:
    def test_a_three_contract_sp_with_one_default_does_not_drop_to_d(self, grade: Grade) -> None:
        assert grade(figures(1, 3)) != "D"

    def test_without_credibility_it_would(self, grade: Grade) -> None:
        assert grade(figures(1, 3), k=0.0) == "D"

    def test_the_same_rate_over_300_contracts_is_d(self, grade: Grade) -> None:
        assert grade(figures(100, 300)) == "D"

    def test_peers_like_the_pool_are_b(self, grade: Grade) -> None:
        assert grade(figures(6, 200)) == "B"

    def test_the_inputs_carry_ratios_and_sizes(self) -> None:
        row = policy_inputs(figures(1, 3))[0]
        assert 1.0 < row["m3_mob6_ratio"] < 2.0
        assert row["contracts"] == 3
        assert row["approval_ratio"] is None


def tiny_panel() -> tuple[Panel, np.ndarray]:
    c, m1, m3, off = State.CURRENT, State.M1, State.M3_PLUS, NOT_OBSERVED
    states = np.array(
        [
            [c, m1, m1, m1, m3, m3, m3, m3],  # SP 0, month 0: FPD, M1 by 3, M3 by 6
            [c, c, c, c, c, c, c, c],  # SP 0, month 0
            [c, c, c, c, c, c, c, off],  # SP 1, month 1
            [c, c, off, off, off, off, off, off],  # SP 1, month 6: too young for MOB 3
        ],
        dtype=np.int8,
    )
    orig = np.array([0, 0, 1, 6], dtype=np.int32)
    sp = np.array([0, 0, 1, 1], dtype=np.int32)
    panel = Panel(
        states, orig, tuple(f"2025-{i:02d}" for i in range(1, 8)), {"sp": Segment(sp, ("a", "b"))}
    )
    return panel, sp


class TestFigures:
    def test_counts_only_cohorts_that_reached_the_month_on_book(self) -> None:
        panel, sp = tiny_panel()
        fig = at_month(count(panel, sp, 2), month=6, lookback=6)
        assert fig.volume.tolist() == [0, 1]
        assert fig.exposures["fpd"].tolist() == [2, 1]  # cohorts 0-5 for MOB 1
        assert fig.hits["fpd"].tolist() == [1, 0]
        assert fig.exposures["m1_mob3"].tolist() == [2, 1]  # cohorts up to 3
        assert fig.hits["m3_mob6"].tolist() == [1, 0]
        assert fig.exposures["m3_mob6"].tolist() == [2, 0]  # only cohort 0 reached MOB 6
        assert fig.contracts.tolist() == [0, 2]  # originated in months 1-6


class TestActions:
    def test_a_sudden_rise_in_volume_is_an_alert(self) -> None:
        zeros = np.zeros((1, 4), dtype=np.int64)
        counts = Counts(
            np.array([[10, 10, 10, 30]], dtype=np.int64), {m.name: zeros for m in METRICS}
        )
        row = policy_inputs(at_month(counts, 3, lookback=1))[0]
        assert row["volume_ratio"] == 3.0
        codes = actions_all(PolicyEngine(), load_actions_policy(), [{**row, "grade": "B"}])
        assert codes == [("SP_ALERT_VOLUME_SPIKE",)]

    def test_no_history_no_ratio(self) -> None:
        zeros = np.zeros((1, 4), dtype=np.int64)
        counts = Counts(np.array([[0, 0, 0, 30]], dtype=np.int64), {m.name: zeros for m in METRICS})
        assert policy_inputs(at_month(counts, 3))[0]["volume_ratio"] is None
        assert policy_inputs(at_month(counts, 2))[0]["volume_ratio"] is None
