"""Tests for autolease.credit.cli (the Typer sub-app, mounted here on a bare root)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from autolease.credit import cli
from autolease.credit.training import TrainOptions
from autolease.kit.clock import FixedClock

root = typer.Typer()
root.add_typer(cli.app, name="credit")
runner = CliRunner()


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        cli, "clock_factory", lambda: FixedClock(datetime(2026, 11, 29, tzinfo=UTC))
    )


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory, toy_frame: pd.DataFrame) -> Path:
    """Whitespace-separated, no header, target in the last column as 1/2 (like German)."""
    path = tmp_path_factory.mktemp("cli") / "loans.data"
    frame = toy_frame.assign(status=(toy_frame["status"] == "bad").map({True: 2, False: 1}))
    frame.astype(object).where(frame.notna(), "?").to_csv(path, sep=" ", header=False, index=False)
    return path


def invoke(*args: str) -> tuple[int, dict[str, object], str]:
    result = runner.invoke(root, ["credit", *args])
    out = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}
    return result.exit_code, out, result.stderr


class TestTrainEvaluateReportScore:
    def test_round(self, data_file: Path, tmp_path: Path) -> None:
        code, trained, _ = invoke(
            "train",
            "--data",
            str(data_file),
            "--target",
            "-1",
            "--bad-value",
            "2",
            "--model",
            "scorecard",
            "--out",
            str(tmp_path),
        )
        assert code == 0
        assert trained["ref"] == "external/credit_scorecard@0001"
        assert trained["target"] == "col_4"
        assert trained["bad_value"] == "2"
        model_dir = str(trained["path"])
        code, evaluated, _ = invoke("evaluate", model_dir, "--data", str(data_file))
        assert code == 0
        assert set(evaluated) >= {"auc", "ks", "gini", "brier", "calibration_error"}
        assert evaluated["missing_inputs"] == []
        assert 0.6 < float(evaluated["auc"]) <= 1  # type: ignore[arg-type]
        html = tmp_path / "report.html"
        code, _, _ = invoke("report", model_dir, "--data", str(data_file), "--html", str(html))
        assert code == 0
        assert html.read_text().count("<svg") == 4
        assert "in-sample: the file the model was trained on" in html.read_text()
        scored_csv = tmp_path / "scored.csv"
        code, _, _ = invoke(
            "score", model_dir, "--data", str(data_file), "--out", str(scored_csv), "--reasons", "2"
        )
        scored = pd.read_csv(scored_csv)
        assert code == 0
        assert {"pd", "score", "grade", "reason_1", "reason_2"} <= set(scored.columns)


class TestModelCard:
    @pytest.mark.parametrize("kind", ["scorecard", "gbm"])
    def test_card_separates_held_out_from_in_sample(
        self, kind: str, data_file: Path, tmp_path: Path
    ) -> None:
        code, trained, _ = invoke(
            "train", "--data", str(data_file), "--target", "-1", "--bad-value", "2",
            "--model", kind, "--out", str(tmp_path),
        )  # fmt: skip
        assert code == 0
        card = (Path(str(trained["path"])) / "model_card.md").read_text()
        held, in_sample = card.index("## Held-out metrics"), card.index("## In-sample metrics")
        assert held < in_sample
        assert "Sample: **cross-fit, 5 folds" in card[held:in_sample]
        assert "Sample: **in-sample (the training rows)**" in card[in_sample:]
        assert "in-sample" not in card[held:in_sample]
        manifest = json.loads((Path(str(trained["path"])) / "manifest.json").read_text())
        assert manifest["card"]["held_out"][0]["sample"].startswith("cross-fit, 5 folds")
        assert manifest["metrics"]["samples"]["train"] == "in-sample (the training rows)"
        held_auc = manifest["card"]["held_out"][0]["metrics"]["auc"]
        assert held_auc == manifest["metrics"]["holdout_cross_fit"]["auc"]
        assert held_auc != manifest["metrics"]["train"]["auc"]
        assert manifest["card"]["importance"]


class TestBadInput:
    def test_unknown_target(self, data_file: Path, tmp_path: Path) -> None:
        code, _, err = invoke(
            "train", "--data", str(data_file), "--target", "nope", "--out", str(tmp_path)
        )
        assert code == 2
        assert json.loads(err)["error"] == "CreditDataInvalid"
        assert "not found" in json.loads(err)["detail"]

    def test_ambiguous_target(self, data_file: Path, tmp_path: Path) -> None:
        code, _, err = invoke(
            "train", "--data", str(data_file), "--target", "-1", "--out", str(tmp_path)
        )
        assert code == 2
        assert "--bad-value" in json.loads(err)["detail"]

    def test_unknown_model_kind(self, data_file: Path, tmp_path: Path) -> None:
        code, _, err = invoke(
            "train",
            "--data",
            str(data_file),
            "--target",
            "-1",
            "--bad-value",
            "2",
            "--model",
            "forest",
            "--out",
            str(tmp_path),
        )
        assert code == 2
        assert "scorecard, gbm or blend" in err

    def test_no_model_folder(self, data_file: Path, tmp_path: Path) -> None:
        code, _, err = invoke("evaluate", str(tmp_path), "--data", str(data_file))
        assert code == 2
        assert json.loads(err)["error"] == "CreditModelNotFound"


class TestShow:
    def test_manifest_and_iv_table(self, data_file: Path, tmp_path: Path) -> None:
        code, trained, _ = invoke(
            "train",
            "--data",
            str(data_file),
            "--target",
            "-1",
            "--bad-value",
            "2",
            "--model",
            "blend",
            "--out",
            str(tmp_path),
        )
        assert code == 0
        binning = trained["binning"]
        assert isinstance(binning, list)
        assert binning[0]["variable"] == "col_0"
        code, shown, _ = invoke("show", str(trained["path"]))
        assert code == 0
        assert shown["kind"] == "blend"
        assert shown["name"] == "external/credit_blend"
        assert "booster.txt" in shown["files"]  # type: ignore[operator]
        assert [r["variable"] for r in shown["binning"]] == [r["variable"] for r in binning]  # type: ignore[union-attr]


class TestMissingMarkers:
    def test_bad_value_that_is_a_missing_marker_is_a_label(
        self, toy_frame: pd.DataFrame, tmp_path: Path
    ) -> None:
        path = tmp_path / "dash.csv"
        status = (toy_frame["status"] == "bad").map({True: "-", False: "paid"})
        toy_frame.assign(status=status).to_csv(path, index=False)
        code, trained, err = invoke(
            "train", "--data", str(path), "--target", "status", "--bad-value", "-",
            "--model", "gbm", "--out", str(tmp_path),
        )  # fmt: skip
        assert code == 0, err
        assert trained["rows"] == len(toy_frame)
        assert trained["dropped_rows"] == 0

    def test_na_values_replaces_the_missing_markers(
        self, toy_frame: pd.DataFrame, tmp_path: Path
    ) -> None:
        path = tmp_path / "na.csv"
        status = (toy_frame["status"] == "bad").map({True: "bad", False: "good"})
        frame = toy_frame.assign(status=status, channel="none")
        frame.loc[::2, "channel"] = "?"
        frame.to_csv(path, index=False)
        common = ["train", "--data", str(path), "--target", "status", "--out", str(tmp_path)]
        code, default, err = invoke(*common, "--model", "gbm")
        assert code == 0, err
        assert "channel" not in default["dropped_columns"]  # "none" is a category
        code, custom, err = invoke(*common, "--model", "gbm", "--na-values", "none,?")
        assert code == 0, err
        assert custom["dropped_columns"]["channel"] == "empty"


class TestTrainBookInteractions:
    def test_the_setting_reaches_the_training_options(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        from autolease.credit import service

        seen: dict[str, TrainOptions] = {}

        def fake_train_book(book: Path, options: TrainOptions, **_: object) -> None:
            seen["options"] = options
            raise cli.CreditDataInvalid("stop here")

        monkeypatch.setattr(service, "train_book", fake_train_book)
        code, _, _ = invoke("train-book", "--book", str(tmp_path), "--model", "scorecard",
                            "--interactions", "0")  # fmt: skip
        assert code != 0
        assert seen["options"].scorecard == {"interactions": 0}

    def test_a_negative_count_is_refused(self, tmp_path: Path) -> None:
        code, _, err = invoke("train-book", "--book", str(tmp_path), "--interactions", "-1")
        assert code == 2
        assert "--interactions" in err
