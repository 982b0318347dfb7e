from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pytest

from autolease.backtest import runner
from autolease.backtest.book import count_applications
from autolease.backtest.jobs import (
    BacktestOptions,
    BacktestResult,
    decide,
    early_client,
    early_pool,
    run_backtest,
)
from autolease.backtest.runner import (
    DATA_FEATURES,
    PolicyMemo,
    PolicyPair,
    contexts,
    decide_in_process,
    decide_partition,
    decision_columns,
)
from autolease.backtest.stages import BookStages, BookValuer
from autolease.decision.catalog import PolicyCatalog
from autolease.decision.engine import PolicyEngine
from autolease.decision.equivalence import input_classes
from autolease.decision.inputs import build_policy_input
from autolease.decision.jdm import PolicyDocument
from autolease.decision.stage import PolicyStage, evaluations_of
from autolease.identity.stage import IdentityStage
from autolease.kit.clock import business_date
from autolease.kit.money import from_fen
from autolease.origination.pipeline import ApplicationFacts, DecisionContext, PersonFacts
from autolease.vehicle.repository import ParquetHistoryProvider
from autolease.vehicle.stage import VehicleStage
from tests.decision.conftest import graph

P, Q = "origination/approve", "origination/approve-conservative"


@pytest.fixture(scope="module")
def scored(book: pd.DataFrame) -> pd.DataFrame:
    from autolease.backtest.standin import standin_scores

    return book.merge(standin_scores(book), on="application_id").iloc[:300]


@pytest.fixture(scope="module")
def pair(policies: dict[str, PolicyDocument], book_dir: Path) -> PolicyPair:
    return PolicyPair(policies[P], policies[Q], BookStages(book_dir))


def policy_inputs(rows: pd.DataFrame, pair: PolicyPair) -> Iterator[dict[str, Any]]:
    """Each row's policy input, through one set of the pair's stages, as the runner builds it."""
    stages = pair.stages.build()
    for _, ctx, valuation in contexts(rows):
        pair.stages.run(stages, ctx, valuation)
        yield build_policy_input(ctx.facts, ctx.features, ctx.reasons).values


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
            # the policy's own list: it names an earlier stage's refer by that stage's code,
            # which the context keeps once, under the earlier stage
            policy_codes = [r["code"] for r in evaluations_of(ctx)[0].reasons]
            assert "|".join(policy_codes) == row["policy_reasons"]

    def test_chunking_does_not_change_decisions(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        whole = decide_partition(scored, pair)
        chunked = decide_in_process(scored, pair, chunk_rows=37)
        pd.testing.assert_frame_equal(whole, chunked)

    def test_policy_batches_do_not_change_decisions(
        self, scored: pd.DataFrame, pair: PolicyPair, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        whole = decide_partition(scored, pair)
        monkeypatch.setattr(runner, "BATCH", 7)
        pd.testing.assert_frame_equal(decide_partition(scored, pair), whole)

    def test_equals_a_plain_row_by_row_replay(
        self, scored: pd.DataFrame, pair: PolicyPair, book_dir: Path
    ) -> None:
        """The optimised path against the obvious one: facts field by field, fresh stages
        and a fresh valuer per row, one `PolicyEngine.decide` per row and policy."""
        engine = PolicyEngine()
        history = ParquetHistoryProvider(book_dir)
        rows = scored.astype(object).where(scored.notna(), None).to_dict("records")
        expected: dict[str, list[object]] = {name: [] for name in decision_columns()}
        for row in rows:
            facts = _plain_facts(row)
            at = row["submitted_at"].to_pydatetime().astimezone(UTC)
            ctx = DecisionContext(facts, at, business_date(at))
            ctx.features.update({k: row[k] for k in DATA_FEATURES if k in row})
            IdentityStage().run(ctx)
            age = (ctx.business_date - facts.first_registration_date).days / 365.25
            fen = row["valuation_price_fen"]
            valuer = BookValuer(fen / 100, age) if fen is not None and fen > 0 else None
            VehicleStage(valuer=valuer, history=history).run(ctx)
            values = build_policy_input(facts, ctx.features, ctx.reasons).values
            expected["application_id"].append(row["application_id"])
            for role, policy in pair.items():
                outcome, codes = engine.decide(policy, values)
                expected[f"{role}_outcome"].append(outcome)
                expected[f"{role}_reasons"].append("|".join(codes))
            expected["upstream_codes"].append("|".join(values["upstream_codes"]))
        reference = pd.DataFrame(expected).astype({"application_id": "int64"})
        pd.testing.assert_frame_equal(decide_partition(scored, pair), reference)

    def test_a_failing_policy_gives_error_rows_and_the_other_policy_still_decides(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        odd = PolicyDocument.from_graph("test/odd", "1", graph([], outcome='"maybe"'))
        decided = decide_partition(scored.iloc[:5], PolicyPair(odd, pair.against, pair.stages))
        assert set(decided["policy_outcome"]) == {"error"}
        assert decided["policy_reasons"].str.contains("maybe").all()
        assert set(decided["against_outcome"]) <= {"approve", "refer", "decline"}

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


class TestPolicyMemo:
    def test_duplicate_rows_get_the_decisions_of_their_first_copy(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        twice = pd.concat([scored.iloc[:40], scored.iloc[:40]], ignore_index=True)
        decided = decide_partition(twice, pair).drop(columns="application_id")
        first, second = decided.iloc[:40], decided.iloc[40:].reset_index(drop=True)
        pd.testing.assert_frame_equal(first, second)

    def test_one_evaluation_per_class_of_input_and_the_engines_answer(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        engine = PolicyEngine()
        memo = PolicyMemo(engine, pair)
        inputs = list(policy_inputs(scored, pair))
        for values in inputs:
            first = memo.decide(values)
            assert memo.decide(dict(values)) == first
            for role, policy in enumerate((pair.policy, pair.against)):
                outcome, codes = engine.decide(policy, values)
                assert first[role] == (outcome, "|".join(codes))
        classes = input_classes(p.graph() for p in (pair.policy, pair.against))
        assert classes is not None
        assert memo.evaluated == len({classes.key(values) for values in inputs}) < len(inputs)

    def test_a_process_keeps_one_memo_per_pair_across_partitions(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        runner._MEMOS.clear()
        first = runner.process_memo(pair)
        decide_partition(scored.iloc[:50], pair)
        assert runner.process_memo(pair) is first
        assert first.asked == 50
        swapped = PolicyPair(pair.against, pair.policy, pair.stages)
        assert runner.process_memo(swapped) is not first
        assert list(runner._MEMOS) == [(pair.against.content_hash, pair.policy.content_hash)]

    def test_stops_keying_when_inputs_do_not_repeat_and_still_answers(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        engine = PolicyEngine()
        memo = PolicyMemo(engine, pair)
        memo.PROBE = 10
        for values in policy_inputs(scored.iloc[:30], pair):
            outcome, codes = engine.decide(pair.policy, values)
            assert memo.decide(values)[0] == (outcome, "|".join(codes))
        assert not memo.keying
        assert memo.evaluated == 30

    def test_keeps_keying_when_inputs_repeat(self, scored: pd.DataFrame, pair: PolicyPair) -> None:
        memo = PolicyMemo(PolicyEngine(), pair)
        memo.PROBE = 10
        values = next(policy_inputs(scored.iloc[:1], pair))
        for _ in range(30):
            memo.decide(values)
        assert memo.keying
        assert memo.evaluated == 1

    def test_duplicates_inside_one_batch_are_evaluated_once(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        memo = PolicyMemo(PolicyEngine(), pair)
        inputs = list(policy_inputs(scored.iloc[:5], pair))
        answers = memo.decide_all([*inputs, *inputs, inputs[0]])
        assert memo.evaluated == 5
        assert answers[5:10] == answers[:5]
        assert answers[10] == answers[0]
        assert memo.decide_all(inputs) == answers[:5]
        assert memo.evaluated == 5

    def test_the_key_tells_a_bool_from_an_equal_number(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        memo = PolicyMemo(PolicyEngine(), pair)
        values = next(policy_inputs(scored.iloc[:1], pair))
        memo.decide({**values, "court_enforced": False})
        memo.decide({**values, "court_enforced": 0})
        assert memo.evaluated == 2


@pytest.mark.slow
class TestLocalProcesses:
    def test_a_pool_of_processes_gives_the_in_process_decisions(
        self, scored: pd.DataFrame, pair: PolicyPair, book_dir: Path
    ) -> None:
        options = BacktestOptions(
            data=book_dir, policy=pair.policy, against=pair.against, executor="pandas",
            workers=2, chunk_rows=70,
        )  # fmt: skip
        done: list[int] = []
        pooled = decide(scored, pair, options, done.append)
        pd.testing.assert_frame_equal(pooled, decide_partition(scored, pair))
        assert done == [70, 70, 70, 70, 20]

    def test_the_early_pool_gives_the_in_process_backtest(
        self, pair: PolicyPair, book_dir: Path
    ) -> None:
        def backtest(workers: int) -> BacktestResult:
            options = BacktestOptions(
                data=book_dir, policy=pair.policy, against=pair.against, executor="pandas",
                workers=workers, chunk_rows=400,
            )  # fmt: skip
            with early_pool(options, pair.stages) as pool:
                assert (pool is not None) == (workers > 1)
            return run_backtest(options, timer=lambda: 0.0)

        pooled, alone = backtest(2), backtest(1)
        pd.testing.assert_frame_equal(pooled.decisions, alone.decisions)
        assert pooled.summary == alone.summary

    def test_only_the_columns_the_decisions_read_travel(
        self, scored: pd.DataFrame, pair: PolicyPair
    ) -> None:
        needed = scored[runner.partition_columns(scored)]
        assert len(needed.columns) < len(scored.columns)
        pd.testing.assert_frame_equal(
            decide_partition(needed, pair), decide_partition(scored, pair)
        )

    def test_the_book_size_comes_from_the_parquet_footer(
        self, book: pd.DataFrame, book_dir: Path, tmp_path: Path
    ) -> None:
        assert count_applications(book_dir) == len(book)
        assert count_applications(tmp_path) == 0


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

    def test_the_early_client_gives_the_pandas_backtest(
        self, pair: PolicyPair, book_dir: Path
    ) -> None:
        def backtest(executor: Literal["pandas", "dask"]) -> BacktestResult:
            options = BacktestOptions(
                data=book_dir, policy=pair.policy, against=pair.against, executor=executor,
                workers=1, processes=False, partitions=3,
            )  # fmt: skip
            with early_client(options, pair.stages) as client:
                assert (client is not None) == (executor == "dask")
            return run_backtest(options, timer=lambda: 0.0)

        on_cluster, alone = backtest("dask"), backtest("pandas")
        pd.testing.assert_frame_equal(on_cluster.decisions, alone.decisions)
        assert on_cluster.summary == alone.summary


def _plain_facts(row: dict[str, object]) -> ApplicationFacts:
    """Facts built field by field from one row (the reference for `contexts`)."""

    def money(value: object) -> Decimal | None:
        return None if value is None or value != value else from_fen(int(value))  # type: ignore[call-overload]

    def text(value: object) -> str | None:
        return value if isinstance(value, str) and value else None

    return ApplicationFacts(
        applicant_kind=row["applicant_kind"],
        person=PersonFacts(row["person_name"], text(row["id_number"]), row["phone"]),
        uscc=text(row["uscc"]),
        bank_card=row["bank_card"],
        province=row["province"],
        monthly_income=money(row["monthly_income_fen"]),
        vin=row["vin"],
        plate=text(row["plate"]),
        brand=row["brand"],
        first_registration_date=row["first_registration_date"].date(),
        mileage_km=int(row["mileage_km"]),
        asking_price=money(row["asking_price_fen"]) or Decimal(0),
        invoice_price=money(row["invoice_price_fen"]),
        fuel_type=text(row["fuel_type"]),
        seller_type=row["seller_type"],
        product_type=row["product_type"],
        amount=money(row["amount_fen"]) or Decimal(0),
        term_months=int(row["term_months"]),
        down_payment=money(row["down_payment_fen"]) or Decimal(0),
        monthly_budget=money(row["monthly_budget_fen"]),
        lead_source=row["lead_source"],
        sp_grade=row["sp_grade"],
    )  # type: ignore[arg-type]


def test_contexts_hold_the_facts_and_features_of_each_row(scored: pd.DataFrame) -> None:
    rows = scored.astype(object).where(scored.notna(), None).to_dict("records")
    built = list(contexts(scored))
    assert len(built) == len(rows)
    with_invoice = 0
    for row, (application_id, ctx, valuation) in zip(rows, built, strict=True):
        assert application_id == row["application_id"]
        assert ctx.facts == _plain_facts(row)
        at = row["submitted_at"].to_pydatetime().astimezone(UTC)
        assert ctx.as_of == at
        assert ctx.business_date == business_date(at)
        assert ctx.features["credit_pd"] == row["credit_pd"]
        assert ctx.features["court_dishonest"] == row["court_dishonest"]
        assert valuation == row["valuation_price_fen"] / 100
        with_invoice += ctx.facts.invoice_price is not None
    assert 0 < with_invoice < len(rows)
