"""Honest validation and many-level categories: in-fold binning, the rare-or-unseen level,
the held-out screens, the out-of-time split, unseen-level shares (generated data only)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import typer
from sklearn.model_selection import train_test_split
from typer.testing import CliRunner

from autolease.credit import cli, metrics, service
from autolease.credit.binning import ScorecardPD
from autolease.credit.encoding import (
    OTHER_LABEL,
    ColumnSpec,
    InputSchema,
    encode,
    encode_row,
    unseen_shares,
)
from autolease.credit.exceptions import CreditDataInvalid
from autolease.credit.tabular import infer_schema, level_warnings
from autolease.credit.training import (
    BLEND_GRID,
    TrainOptions,
    choose_blend_weight,
    fit_credit_model,
    prepare,
)
from autolease.credit.trap import TARGET, TRAP_COLUMNS, trap_table
from autolease.kit.clock import FixedClock
from tests.credit.conftest import SMALL_GBM

AT = datetime(2026, 12, 1, tzinfo=UTC)
root = typer.Typer()
root.add_typer(cli.app, name="credit")
runner = CliRunner()


class TestRareAndUnseenLevels:
    def test_rare_and_unseen_levels_share_the_other_code(self) -> None:
        spec = ColumnSpec("city", "categorical", ("a", "b"), True, ("r",))
        schema = InputSchema((spec,))
        codes = encode({"city": ["a", "b", "r", "new", None]}, schema)[:, 0]
        assert codes[:4].tolist() == [0.0, 1.0, 2.0, 2.0]
        assert np.isnan(codes[4])
        assert encode_row({"city": "new"}, schema).tolist() == [[2.0]]
        assert unseen_shares({"city": ["a", "r", "new", "newer"]}, schema) == {"city": 0.5}

    def test_a_declared_vocabulary_keeps_unseen_as_missing(self) -> None:
        schema = InputSchema((ColumnSpec("home", "categorical", ("own", "rent")),))
        assert np.isnan(encode({"home": ["boat"]}, schema)[0, 0])
        assert np.isnan(encode_row({"home": "boat"}, schema)[0, 0])

    def test_the_schema_round_trips_with_its_rare_levels(self) -> None:
        spec = ColumnSpec("city", "categorical", ("a",), True, ("b", "c"))
        assert ColumnSpec.from_json(spec.to_json()) == spec

    def test_inferred_columns_group_rare_levels(self) -> None:
        frame = pd.DataFrame({"c": ["big"] * 200 + [f"x{i}" for i in range(100)], "y": [0] * 300})
        schema, _ = infer_schema(frame, exclude=["y"])
        column = schema.column("c")
        assert column.categories == ("big",)
        assert column.other
        assert len(column.rare) == 100

    def test_training_warns_when_levels_are_mostly_rare_or_unique(self) -> None:
        frame = trap_table(3000, seed=2)
        data = prepare(frame, TARGET, "1")
        warned = " ".join(data.warnings)
        assert "city" in warned
        assert "branch" not in warned
        unique = pd.DataFrame({"c": [f"v{i % 40}" for i in range(60)], "y": [0, 1] * 30})
        schema, _ = infer_schema(unique, exclude=["y"])
        assert "mostly unique" in " ".join(level_warnings(unique, schema))


class TestInFoldBinning:
    def test_the_inner_cv_refits_the_bins_on_each_inner_training_part(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        frame = trap_table(1500, seed=4)
        data = prepare(frame, TARGET, "1", drop=list(TRAP_COLUMNS))
        sizes: list[int] = []
        original = ScorecardPD._bin

        def counting(self: ScorecardPD, col: Any, y: Any, spec: ColumnSpec) -> Any:
            sizes.append(len(col))
            return original(self, col, y, spec)

        monkeypatch.setattr(ScorecardPD, "_bin", counting)
        card = ScorecardPD().fit(data.x, data.y, data.schema)
        columns = len(data.schema.columns)
        assert sizes.count(len(data.y)) == columns  # the final bins, once per input
        inner = [s for s in sizes if s != len(data.y)]
        assert len(inner) == 5 * columns
        assert max(inner) < len(data.y)
        assert set(card.inner_auc_) == {"woe", "bins"}

    def test_a_categorical_input_must_keep_its_iv_on_held_out_rows(self) -> None:
        frame = trap_table(6000, seed=5)
        data = prepare(frame, TARGET, "1")
        card = ScorecardPD().fit(data.x, data.y, data.schema)
        rows = {r["variable"]: r for r in card.report_}
        assert rows["branch"]["status"].startswith("dropped: held-out IV")
        assert rows["segment"]["status"] == "selected"
        assert rows["segment"]["held_out_iv"] > 0.5 * rows["segment"]["iv"]
        unseen_bin = [
            b for b in card.table_.variables if b.name == "segment"
        ]  # segment has no rare level: its other level is an empty bin of its own, WOE 0
        other = [b for b in unseen_bin[0].bins if OTHER_LABEL in b.categories]
        assert len(other) == 1
        assert not other[0].missing


@pytest.mark.parametrize("kind", ["scorecard", "gbm"])
def test_the_trap_columns_cost_less_than_two_points_of_test_auc(kind: str) -> None:
    """The right answer is known: the trap columns carry nothing, so they must not matter."""
    frame = trap_table(8000, seed=3)
    train, test = train_test_split(frame, test_size=0.3, random_state=0, stratify=frame[TARGET])
    train, test = train.reset_index(drop=True), test.reset_index(drop=True)
    aucs = {}
    for label, drop in (("with", []), ("without", list(TRAP_COLUMNS))):
        data = prepare(train, TARGET, "1", drop=drop)
        options = TrainOptions(kind=kind, gbm=SMALL_GBM)  # type: ignore[arg-type]
        model = fit_credit_model(data.x, data.y, data.schema, options).model
        aucs[label] = metrics.auc(test[TARGET], model.pd_matrix(encode(test, data.schema)))
    assert aucs["with"] > aucs["without"] - 0.02
    assert aucs["without"] > 0.68  # the signal columns are learnt


class TestBlendHeldOut:
    def test_the_blend_reports_its_own_cross_fit(self, tmp_path: Path) -> None:
        frame = trap_table(800, seed=6).drop(columns=list(TRAP_COLUMNS))
        data = tmp_path / "loans.csv"
        frame.to_csv(data, index=False)
        reg, _ = service.train_csv(
            data,
            TARGET,
            TrainOptions(kind="blend", gbm=SMALL_GBM),
            bad_value="1",
            out=tmp_path / "artifacts",
            name=None,
            version=None,
            created_at=AT,
        )
        samples = reg.manifest.metrics["samples"]
        assert "refitted on each" in samples["holdout_cross_fit"]
        assert samples["train"].startswith("in-sample")
        held = reg.manifest.metrics["holdout_cross_fit"]
        assert held["n"] == len(frame)
        assert held["auc"] < reg.manifest.metrics["train"]["auc"]


def _dated(tmp_path: Path, rows: int = 1500) -> tuple[Path, pd.DataFrame]:
    frame = trap_table(rows, seed=8).drop(columns=["city"])
    days = np.sort(np.random.default_rng(1).integers(0, 730, rows))
    frame["applied"] = (pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D")).strftime(
        "%Y-%m-%d"
    )
    path = tmp_path / "dated.csv"
    frame.to_csv(path, index=False)
    return path, frame


def invoke(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(root, ["credit", *args])
    out = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}
    return result.exit_code, out, result.stderr


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "clock_factory", lambda: FixedClock(AT))


@pytest.mark.usefixtures("fixed_clock")
class TestOutOfTime:
    def test_train_holds_out_the_later_rows(self, tmp_path: Path) -> None:
        path, frame = _dated(tmp_path)
        code, out, _ = invoke(
            "train", "--data", str(path), "--target", TARGET, "--bad-value", "1",
            "--model", "gbm", "--out", str(tmp_path / "a"),
            "--time-column", "applied", "--test-from", "2025-07-01",
        )  # fmt: skip
        assert code == 0, out
        later = int((frame["applied"] >= "2025-07-01").sum())
        assert out["rows"] == len(frame) - later
        assert out["holdout_out_of_time"]["n"] == later
        assert "holdout_cross_fit" not in out
        assert out["samples"]["holdout_out_of_time"].startswith("out of time")
        manifest = json.loads((Path(out["path"]) / "manifest.json").read_text())
        assert "applied" not in [f["name"] for f in manifest["features"]]
        assert manifest["params"]["time_split"] == {"column": "applied", "test_from": "2025-07-01"}

    def test_the_default_holds_out_the_latest_fifth(self, tmp_path: Path) -> None:
        path, frame = _dated(tmp_path)
        split = service.time_split(pd.read_csv(path), "applied", None)
        assert len(split.later) == pytest.approx(0.2 * len(frame), rel=0.05)
        assert split.train["applied"].max() < split.later["applied"].min()

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (["--time-column", "applied", "--test-from", "next year"], "is not a date"),
            (["--time-column", "applied", "--test-from", "2030-01-01"], "leaves no rows from"),
            (["--time-column", "nope"], "column 'nope' not found"),
            (["--test-from", "2025-01-01"], "--test-from needs --time-column"),
        ],
    )
    def test_bad_split_is_a_clear_error(
        self, tmp_path: Path, extra: list[str], message: str
    ) -> None:
        path, _ = _dated(tmp_path, rows=300)
        code, _, err = invoke(
            "train", "--data", str(path), "--target", TARGET, "--bad-value", "1",
            "--model", "gbm", "--out", str(tmp_path / "a"), *extra,
        )  # fmt: skip
        assert code == 2
        assert message in err
        assert not (tmp_path / "a").exists()

    def test_a_year_column_splits_by_number(self) -> None:
        frame = pd.DataFrame({"year": [2001.0, 2002.0, 2003.0, 2004.0, 2005.0], "x": range(5)})
        split = service.time_split(frame, "year", "2004")
        assert split.cutoff == "2004"
        assert len(split.later) == 2
        with pytest.raises(CreditDataInvalid, match="is not a number"):
            service.time_split(frame, "year", "soon")


@pytest.mark.usefixtures("fixed_clock")
def test_score_and_evaluate_report_unseen_level_shares(tmp_path: Path) -> None:
    frame = trap_table(2000, seed=9)
    train_path = tmp_path / "train.csv"
    frame.to_csv(train_path, index=False)
    code, out, err = invoke(
        "train", "--data", str(train_path), "--target", TARGET, "--bad-value", "1",
        "--model", "gbm", "--out", str(tmp_path / "a"),
    )  # fmt: skip
    assert code == 0
    assert any("city" in w for w in out["warnings"])
    assert "warning: city" in err
    fresh = trap_table(400, seed=10)
    fresh["segment"] = ["Z"] * 100 + fresh["segment"].tolist()[100:]
    fresh_path = tmp_path / "fresh.csv"
    fresh.to_csv(fresh_path, index=False)
    seen = set(frame["city"])
    expected = float(np.mean([c not in seen for c in fresh["city"]]))
    code, scored, _ = invoke(
        "score", out["path"], "--data", str(fresh_path), "--out", str(tmp_path / "s.csv")
    )
    assert code == 0
    assert scored["unseen_levels"]["segment"] == 0.25
    assert scored["unseen_levels"]["city"] == pytest.approx(expected)
    code, evaluated, _ = invoke("evaluate", out["path"], "--data", str(fresh_path))
    assert code == 0
    assert evaluated["unseen_levels"]["segment"] == 0.25


class TestBlendWeight:
    def test_the_weight_follows_the_part_that_predicts_out_of_fold(self) -> None:
        rng = np.random.default_rng(0)
        signal = rng.normal(0, 1.5, 4000)
        y = (rng.random(4000) < 1 / (1 + np.exp(-signal))).astype(np.int8)
        noise = rng.normal(0, 1.5, 4000)
        as_pd = 1 / (1 + np.exp(-signal))
        assert choose_blend_weight(signal, 1 / (1 + np.exp(-noise)), y) == 1.0
        assert choose_blend_weight(noise, as_pd, y) == 0.0

    def test_a_blend_records_the_weight_it_chose(self, toy_frame: pd.DataFrame) -> None:
        schema, _ = infer_schema(toy_frame, exclude=["status"])
        y = (toy_frame["status"] == "bad").to_numpy().astype(np.int8)
        fixed = TrainOptions(kind="blend", gbm=SMALL_GBM, blend_weight=0.3)
        chosen = TrainOptions(kind="blend", gbm=SMALL_GBM)
        x = encode(toy_frame, schema)
        assert fit_credit_model(x, y, schema, fixed).model.blend_weight == 0.3
        weight = fit_credit_model(x, y, schema, chosen).model.blend_weight
        assert weight in set(BLEND_GRID.tolist())
