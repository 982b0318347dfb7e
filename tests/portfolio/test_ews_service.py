from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from autolease.cli import app
from autolease.portfolio import ews, files
from autolease.portfolio.simulate import Planted, SimulatedBook, simulate

AT = datetime(2026, 1, 31, tzinfo=UTC)


@pytest.fixture(scope="module")
def book() -> SimulatedBook:
    return simulate(5000, origination_months=20, seed=13, planted=Planted(first_month=8))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory, book: SimulatedBook) -> Path:
    root = tmp_path_factory.mktemp("artifacts")
    ews.train(book, root, created_at=AT)
    return root


def test_training_registers_a_native_model_with_a_manifest(root: Path) -> None:
    folder = root / "early_warning" / "0001"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"model.txt", "columns.json"}
    assert (folder / "model.txt").read_text(encoding="utf-8").startswith("tree")
    assert manifest["metrics"]["rows"] > 0
    assert manifest["params"]["horizon"] == 12
    assert {f["name"] for f in manifest["features"]} >= {"worst_bucket", "credit_pd", "region"}


def test_a_changed_model_file_is_refused(tmp_path: Path, book: SimulatedBook) -> None:
    ews.train(book, tmp_path, created_at=AT, version="1")
    model_file = tmp_path / "early_warning" / "1" / "model.txt"
    model_file.write_text(model_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(ews.EarlyWarningError, match="sha256"):
        ews.load_model(tmp_path, "early_warning@1")


def test_pandas_and_dask_give_the_same_scores(root: Path, book: SimulatedBook) -> None:
    model = ews.load_model(root)
    local = ews.score(book, model, "2024-08").scores
    spread = ews.score(book, model, "2024-08", partitions=4).scores
    assert len(local) > 500
    assert local.probability.nunique() > 100
    pd.testing.assert_frame_equal(local, spread)


def test_a_month_outside_the_book_is_refused(root: Path, book: SimulatedBook) -> None:
    with pytest.raises(ews.EarlyWarningError, match="outside the book"):
        ews.score(book, ews.load_model(root), "2030-01")


def test_cli_trains_then_writes_a_watch_list(tmp_path: Path, book: SimulatedBook) -> None:
    files.save(book, tmp_path / "book")
    runner = CliRunner()
    common = ["--panel", str(tmp_path / "book"), "--artifacts", str(tmp_path / "models")]
    trained = runner.invoke(app, ["portfolio", "ews-train", *common])
    assert trained.exit_code == 0, trained.output
    assert json.loads(trained.output)["model"] == "early_warning@0001"
    out = tmp_path / "watch.csv"
    scored = runner.invoke(
        app,
        ["portfolio", "ews-score", *common, "--month", "2024-08", "--out", str(out), "--top", "25"],
    )
    assert scored.exit_code == 0, scored.output
    listed = pd.read_csv(out, encoding="utf-8-sig")
    assert len(listed) == 25
    assert listed.probability.is_monotonic_decreasing
    assert listed.reasons_zh.str.len().gt(0).any()
    as_json = tmp_path / "watch.json"
    runner.invoke(
        app, ["portfolio", "ews-score", *common, "--month", "2024-08", "--out", str(as_json)]
    )
    rows = json.loads(as_json.read_text(encoding="utf-8"))
    assert rows[0]["contract"] == listed.contract.iloc[0]


def test_cli_refuses_a_month_outside_the_book_in_one_line(tmp_path: Path) -> None:
    files.save(simulate(500, origination_months=14, seed=1), tmp_path / "book")
    result = CliRunner().invoke(
        app,
        [
            "portfolio",
            "ews-score",
            "--panel",
            str(tmp_path / "book"),
            "--month",
            "2031-01",
            "--artifacts",
            str(tmp_path / "none"),
            "--out",
            str(tmp_path / "w.csv"),
        ],
    )
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "outside the book" in lines[0]
