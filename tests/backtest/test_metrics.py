from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pandas as pd
import pytest

from autolease.backtest.metrics import summarize
from autolease.backtest.report import render_html, render_text
from autolease.backtest.runner import count_codes

REFS = {"policy": "p@1", "against": "q@1"}


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    decisions = pd.DataFrame(
        {
            "application_id": [1, 2, 3, 4, 5],
            "policy_outcome": ["approve", "approve", "refer", "decline", "approve"],
            "policy_reasons": ["", "", "X", "Y|X", ""],
            "against_outcome": ["approve", "decline", "refer", "approve", "decline"],
            "against_reasons": ["", "Z", "X", "", "Z"],
            "upstream_codes": ["", "", "", "", ""],
        }
    )
    book = pd.DataFrame(
        {
            "application_id": [1, 2, 3, 4, 5],
            "amount_fen": [10_000_000, 20_000_000, 5_000_000, 8_000_000, 4_000_000],
            "credit_pd": [0.02, 0.10, 0.3, 0.05, 0.2],
            "booked": [True, True, False, True, False],
            "default_flag": pd.array([False, True, None, False, None], dtype="boolean"),
            "latent_default_flag": [False, True, True, False, True],
            "is_fraud": [False, False, False, False, True],
        }
    )
    return decisions, book


class TestSummarize:
    def test_rates_per_policy(self) -> None:
        summary = summarize(*frames(), refs=REFS)
        p, q = summary.policies
        assert (p.approval_rate, p.refer_rate, p.decline_rate) == (0.6, 0.2, 0.2)
        assert (q.approval_rate, q.decline_rate) == (0.4, 0.4)
        assert p.top_reasons == [("X", 2), ("Y", 1)]

    def test_bad_rates_observed_on_booked_and_counterfactual_on_all(self) -> None:
        approved = summarize(*frames(), refs=REFS).policies[0].approved
        assert approved.count == 3
        assert (approved.bad_rate_observed.value, approved.bad_rate_observed.n) == (0.5, 2)
        assert approved.bad_rate_counterfactual.value == pytest.approx(2 / 3)
        assert approved.fraud_rate.value == pytest.approx(1 / 3)
        assert approved.amount == Decimal("340000.00")

    def test_expected_loss_is_pd_times_lgd_times_amount(self) -> None:
        approved = summarize(*frames(), refs=REFS, lgd=0.5).policies[0].approved
        # (0.02 * 100k + 0.10 * 200k + 0.2 * 40k) * 0.5 = 15,000
        assert approved.expected_loss == Decimal("15000.00")

    def test_swap_sets(self) -> None:
        swap_in, swap_out = summarize(*frames(), refs=REFS).swaps
        assert (swap_in.name, swap_in.stats.count) == ("swap_in", 2)
        assert swap_in.stats.bad_rate_counterfactual.value == 1.0
        assert (swap_out.name, swap_out.stats.count) == ("swap_out", 1)
        assert swap_out.stats.bad_rate_observed.value == 0.0

    def test_crosstab(self) -> None:
        crosstab = summarize(*frames(), refs=REFS).crosstab
        assert crosstab["approve"] == {"approve": 1, "refer": 0, "decline": 2}
        assert crosstab["decline"]["approve"] == 1

    def test_without_outcome_columns_rates_are_unknown(self) -> None:
        decisions, book = frames()
        summary = summarize(decisions, book[["application_id", "amount_fen"]], refs=REFS)
        approved = summary.policies[0].approved
        assert approved.bad_rate_observed.value is None
        assert approved.expected_loss is None

    def test_lgd_out_of_range(self) -> None:
        with pytest.raises(ValueError, match="lgd"):
            summarize(*frames(), refs=REFS, lgd=1.5)


class TestReports:
    def test_text_has_the_headline_figures(self) -> None:
        text = render_text(summarize(*frames(), refs=REFS, notes=("a note",)))
        assert "Backtest of p@1 (policy) against q@1 (against)" in text
        assert "60.00%" in text
        assert "swap_in: approved by p@1, declined by q@1" in text
        assert "a note" in text

    def test_html_is_escaped_and_self_contained(self) -> None:
        summary = summarize(*frames(), refs={"policy": "<p>", "against": "q@1"})
        html = render_html(summary)
        assert "&lt;p&gt;" in html
        assert "<p>@" not in html
        assert "<script" not in html
        assert "http" not in html


class TestCountCodes:
    def test_counts_and_first_seen_order_match_a_plain_count(self) -> None:
        rng = random.Random(7)
        combos = ["", "A", "B|A", "C", "A|A", "D|B", "E"]
        joined = [rng.choice(combos) for _ in range(5_000)]
        plain: Counter[str] = Counter(c for value in joined if value for c in value.split("|"))
        counted = count_codes(joined)
        assert list(counted.items()) == list(plain.items())
        assert counted.most_common() == plain.most_common()

    def test_ties_keep_the_order_codes_were_first_seen(self) -> None:
        assert count_codes(["", "Y|X", "X|Y", "Z"]).most_common() == [("Y", 2), ("X", 2), ("Z", 1)]
