"""Forward-in-time validation of the fraud model, on generated claims where the answer is known.

Inputs ``s1``–``s3`` carry the fraud signal in every period, ``fading`` only in the early
ones (it carries nothing later); ``noise`` carries none. A model chosen on forward
blocks must rank later periods well and must not lean on ``fading``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from autolease.fraud.cli import app
from autolease.fraud.exceptions import FraudDataInvalid
from autolease.fraud.selection import Candidate, fit_time_validated
from autolease.fraud.tabular import encode_frame, tabular_specs
from autolease.fraud.timesplit import forward_blocks, period_index, recall_at_shares
from autolease.fraud.training import TrainOptions, auc, fit_fraud_model

FAST = (
    Candidate("small", {"num_leaves": 4, "min_data_in_leaf": 50, "learning_rate": 0.05,
                        "rounds": 80}),
    Candidate("plain", {"num_leaves": 15, "min_data_in_leaf": 50, "learning_rate": 0.05,
                        "rounds": 80}, native_categories=False),
)  # fmt: skip
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def claims(n: int = 8000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    year = rng.choice([2020, 2021, 2022], size=n)
    month = rng.integers(0, 12, size=n)
    late = year >= 2021
    stable = rng.normal(size=(n, 3))
    fading = rng.normal(size=n)
    logit = -3.0 + stable @ [1.2, 1.0, 0.8] + np.where(late, 0.0, 1.5) * fading
    fraud = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({
        "Year": year, "Month": [MONTHS[m] for m in month], "s1": stable[:, 0],
        "s2": stable[:, 1], "s3": stable[:, 2], "fading": fading,
        "noise": rng.normal(size=n), "kind": rng.choice(["a", "b", "c"], size=n),
        "fraud": fraud.astype(int),
    })  # fmt: skip


class TestPeriods:
    def test_year_then_month_name_orders_rows(self) -> None:
        frame = pd.DataFrame({"Year": [2021, 2020, 2020], "Month": ["Jan", "dec", "Mar"]})
        assert period_index(frame, ["Year", "Month"]).tolist() == [2, 1, 0]

    def test_iso_dates_order_rows(self) -> None:
        frame = pd.DataFrame({"when": ["2024-03-01", "2023-12-31", "2024-01-15"]})
        assert period_index(frame, ["when"]).tolist() == [2, 0, 1]

    @pytest.mark.parametrize("column", ["nope", "text"])
    def test_a_column_that_is_not_time_is_refused(self, column: str) -> None:
        frame = pd.DataFrame({"text": ["red", "green"]})
        with pytest.raises(FraudDataInvalid, match="--time-column"):
            period_index(frame, [column])

    def test_every_block_trains_on_earlier_periods_only(self) -> None:
        frame = claims(3000)
        period = period_index(frame, ["Year", "Month"])
        blocks = forward_blocks(period, frame["fraud"])
        assert len(blocks) == 3
        for block in blocks:
            assert period[block.train].max() < period[block.valid].min()
            assert not (block.train & block.valid).any()
        assert [b.first for b in blocks] == sorted(b.first for b in blocks)
        assert blocks[-1].last == period.max()

    def test_one_period_cannot_be_validated_forward(self) -> None:
        with pytest.raises(FraudDataInvalid, match="one period"):
            forward_blocks(np.zeros(100, dtype=np.int64), np.arange(100) % 2)

    def test_recall_at_a_share_counts_the_frauds_in_the_top_rows(self) -> None:
        score = np.arange(100, dtype=float)
        y = np.zeros(100)
        y[[99, 98, 50, 10]] = 1
        out = recall_at_shares(score, y, [0.05, 0.5])
        assert out["5%"] == {"referred": 5, "recall": 0.5, "se": 0.25}
        assert out["50%"]["recall"] == 0.75


@pytest.fixture(scope="module")
def fitted() -> tuple[pd.DataFrame, object, np.ndarray]:
    frame = claims()
    train = (frame["Year"] <= 2021).to_numpy()
    specs = tabular_specs(frame[train], exclude=["fraud"])
    x = encode_frame(frame, specs)
    period = period_index(frame, ["Year", "Month"])
    options = TrainOptions(refer_rate=0.05)
    model = fit_time_validated(x[train], frame["fraud"][train], specs, period[train],
                               options, candidates=FAST)  # fmt: skip
    return frame, model, train


class TestChosenForward:
    def test_later_claims_rank_better_than_with_a_shuffled_cross_fit(self, fitted) -> None:  # type: ignore[no-untyped-def]
        frame, model, train = fitted
        importance = model.metrics["time_validation"]["permutation_importance"]
        assert importance["s1"] > max(importance["fading"], importance["noise"])
        assert {"s1", "s2", "s3"} <= set(model.names)
        test = ~train
        scores = model.score_matrix(encode_frame(frame[test], model.specs))
        forward = auc(frame["fraud"][test], scores)
        specs = tabular_specs(frame[train], exclude=["fraud"])
        options = TrainOptions(rounds=80, num_leaves=4, min_data_in_leaf=50)
        x = encode_frame(frame[train], specs)
        shuffled = fit_fraud_model(x, frame["fraud"][train], specs, options)
        across = auc(frame["fraud"][test], shuffled.score_matrix(encode_frame(frame[test], specs)))
        assert forward is not None
        assert across is not None
        assert forward > across  # the shuffled cross-fit leans on the lapsed input

    def test_figures_say_their_sample(self, fitted) -> None:  # type: ignore[no-untyped-def]
        _, model, _ = fitted
        forward = model.metrics["time_validation"]
        assert forward["sample"].startswith("forward blocks")
        assert set(forward["candidates"]) == {"small", "plain"}
        assert forward["chosen"] in forward["candidates"]
        assert set(model.metrics["oof"]["recall_at_referral"]) == {"1%", "5%", "10%"}

    def test_the_threshold_refers_the_share_of_the_latest_block(self, fitted) -> None:  # type: ignore[no-untyped-def]
        frame, model, train = fitted
        period = period_index(frame, ["Year", "Month"])[train]
        latest = period >= model.metrics["time_validation"]["blocks"][-1]["periods"][0]
        scores = model.score_matrix(encode_frame(frame[train][latest], model.specs))
        # the final model has seen these rows, the block's model had not: same ballpark
        assert 0.02 < float((scores >= model.refer_threshold).mean()) < 0.15


runner = CliRunner()


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("art")
    csv = root / "claims.csv"
    claims(3000, seed=1).to_csv(csv, index=False)
    result = runner.invoke(app, [
        "train", "--csv", str(csv), "--target", "fraud", "--rounds", "50",
        "--train-where", "Year=2020..2021", "--test-where", "Year=2022",
        "--time-column", "Year", "--time-column", "Month", "--out", str(root),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    line = _lines(result.output)[-1]
    assert line["time_validation"]["blocks"]  # type: ignore[index]
    assert "recall_at_referral" in line["test"]  # type: ignore[operator]
    return root, csv


class TestCalibrate:
    @pytest.mark.parametrize("rate", [0.02, 0.1])
    def test_recent_rows_set_the_referral_share(self, trained: tuple[Path, Path],
                                                rate: float) -> None:  # fmt: skip
        root, csv = trained
        result = runner.invoke(app, [
            "calibrate", "--csv", str(csv), "--where", "Year=2022", "--refer-rate", str(rate),
            "--model", "fraud_gbm@0001", "--artifacts", str(root),
        ])  # fmt: skip
        assert result.exit_code == 0, result.output
        out = _lines(result.output)[-1]
        assert abs(float(out["referred_share"]) - rate) < 0.01  # type: ignore[arg-type]
        evaluated = runner.invoke(app, [
            "evaluate", "--csv", str(csv), "--test-where", "Year=2022",
            "--model", str(out["model"]), "--artifacts", str(root),
        ])  # fmt: skip
        assert abs(float(_lines(evaluated.output)[-1]["referred_share"]) - rate) < 0.01  # type: ignore[arg-type]

    @pytest.mark.parametrize(("args", "message"), [
        (["--refer-rate", "1.5"], "--refer-rate"),
        (["--refer-rate", "0.01", "--where", "Year=1999"], "--where"),
    ])  # fmt: skip
    def test_bad_input_exits_2(self, trained: tuple[Path, Path], args: list[str],
                               message: str) -> None:  # fmt: skip
        root, csv = trained
        result = runner.invoke(app, ["calibrate", "--csv", str(csv), "--artifacts", str(root),
                                     *args])  # fmt: skip
        assert result.exit_code == 2, result.output
        assert message in result.output

    def test_a_time_column_with_one_period_exits_2(self, trained: tuple[Path, Path]) -> None:
        root, csv = trained
        result = runner.invoke(app, [
            "train", "--csv", str(csv), "--target", "fraud", "--train-where", "Year=2020",
            "--time-column", "Year", "--out", str(root),
        ])  # fmt: skip
        assert result.exit_code == 2, result.output
        assert "one period" in result.output

    @pytest.mark.parametrize(
        ("train", "forward"), [("Year=2020..2021", True), ("Year=2021", False)]
    )
    def test_a_later_test_period_on_one_column_is_a_time_split(
        self, trained: tuple[Path, Path], train: str, forward: bool
    ) -> None:
        root, csv = trained
        result = runner.invoke(app, [
            "train", "--csv", str(csv), "--target", "fraud", "--rounds", "40",
            "--train-where", train, "--test-where", "Year=2022", "--out", str(root),
        ])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert ("time_validation" in _lines(result.output)[-1]) is forward

    def test_the_card_shows_each_forward_block(self, trained: tuple[Path, Path]) -> None:
        root, _ = trained
        card = (root / "fraud_gbm" / "0001" / "model_card.md").read_text()
        stability = card[card.index("## Stability over time") :]
        assert "forward blocks of the training rows" in stability
        assert "2021 " in stability  # periods named by Year and Month, e.g. "2021 Jul .. 2021 Aug"
