from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from autolease.backtest.jobs import BacktestOptions, decide
from autolease.backtest.runner import PolicyPair, contexts, decide_in_process, decide_partition
from autolease.backtest.stages import BookStages
from autolease.decision.catalog import PolicyCatalog
from autolease.decision.jdm import PolicyDocument
from autolease.decision.stage import PolicyStage

P, Q = "origination/approve", "origination/approve-conservative"


@pytest.fixture(scope="module")
def scored(book: pd.DataFrame) -> pd.DataFrame:
    from autolease.backtest.standin import standin_scores

    return book.merge(standin_scores(book), on="application_id").iloc[:300]


@pytest.fixture(scope="module")
def pair(policies: dict[str, PolicyDocument], book_dir: Path) -> PolicyPair:
    return PolicyPair(policies[P], policies[Q], BookStages(book_dir))


class TestDecidePartition:
    def test_one_decision_per_application_under_both_policies(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        decided = decide_partition(scored, pair)
        assert decided["application_id"].tolist() == scored["application_id"].tolist()
        assert set(decided["policy_outcome"]) <= {"approve", "refer", "decline"}
        assert set(decided["against_outcome"]) <= {"approve", "refer", "decline"}
        assert (decided["policy_outcome"] == "approve").any()

    def test_matches_the_service_policy_stage_row_by_row(
        self, scored: pd.DataFrame, pair: PolicyPair, policies: dict[str, PolicyDocument]
    ) -> None:
        decided = decide_partition(scored, pair).set_index("application_id")
        stages = pair.stages.build()
        policy_stage = PolicyStage(PolicyCatalog([policies[P]]))
        for application_id, ctx, valuation in contexts(scored):
            pair.stages.run(stages, ctx, valuation)
            policy_stage.run(ctx)
            assert ctx.outcome is not None
            row = decided.loc[application_id]
            assert ctx.outcome.value == row["policy_outcome"]
            policy_codes = [r.code for r in ctx.reasons if r.stage == "policy"]
            assert "|".join(policy_codes) == row["policy_reasons"]

    def test_chunking_does_not_change_decisions(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        whole = decide_partition(scored, pair)
        chunked = decide_in_process(scored, pair, chunk_rows=37)
        pd.testing.assert_frame_equal(whole, chunked)

    def test_dask_synchronous_equals_pandas(
        self, scored: pd.DataFrame, pair: PolicyPair, book_dir: Path
    ) -> None:
        options = BacktestOptions(
            data=book_dir, policy=pair.policy, against=pair.against, executor="dask",
            scheduler="synchronous", partitions=4,
        )  # fmt: skip
        with_dask = decide(scored, pair, options, None)
        pd.testing.assert_frame_equal(with_dask, decide_partition(scored, pair))

    def test_without_book_valuation_the_vehicle_stage_refers(
        self, scored: pd.DataFrame, policies: dict[str, PolicyDocument], book_dir: Path
    ) -> None:
        plain = PolicyPair(policies[P], policies[Q], BookStages(book_dir, use_book_valuation=False))
        decided = decide_partition(scored.iloc[:20], plain)
        assert decided["upstream_codes"].str.contains("VALUATION_UNAVAILABLE").all()
        assert (decided["policy_outcome"] != "approve").all()


class TestOnACluster:
    def test_a_local_cluster_gives_the_same_decisions(
        self, scored: pd.DataFrame, pair: PolicyPair, book_dir: Path
    ) -> None:
        options = BacktestOptions(
            data=book_dir, policy=pair.policy, against=pair.against, executor="dask",
            workers=1, processes=False, partitions=3,
        )  # fmt: skip
        done: list[int] = []
        on_cluster = decide(scored, pair, options, done.append)
        pd.testing.assert_frame_equal(on_cluster, decide_partition(scored, pair))
        assert sum(done) == len(scored)
        assert len(done) == 3
