"""`autolease sp grade --panel`: a saved synthetic book graded without the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autolease.cli import app
from autolease.portfolio import files
from autolease.portfolio.simulate import SpPlan, simulate


@pytest.fixture(scope="module")
def panel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("panel")
    book = simulate(30_000, seed=4, sps=SpPlan(count=20, colluding_share=0.1))
    files.save(book, folder)
    return folder


class TestGradePanel:
    def test_every_sp_is_graded_and_colluders_are_d(self, panel_dir: Path) -> None:
        args = ["sp", "grade", "--month", "2025-12", "--panel", str(panel_dir), "--json"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert len(rows) == 20
        truth = files.load(panel_dir).sp_truth
        assert truth is not None
        kind = dict(zip(truth.labels, truth.kind, strict=True))
        colluders = [r for r in rows if kind[r["sp"]] == "colluding"]
        assert colluders
        assert all(r["grade"] == "D" for r in colluders)
        assert all("SP_ACTION_HOLD_PAYOUTS" in r["actions"] for r in colluders)
        assert all(
            r["actions"] == []
            for r in rows
            if r["grade"] in ("A", "B")
            and (r["volume_ratio"] or 0) < 2.5
            and (r["fpd_ratio"] or 0) < 2.0
        )
        assert {r["grade"] for r in rows} <= {"A", "B", "C", "D"}

    @pytest.mark.parametrize("month", ["2025-13", "25-06", "2031-01"])
    def test_a_bad_or_unknown_month_exits_2(self, panel_dir: Path, month: str) -> None:
        args = ["sp", "grade", "--month", month, "--panel", str(panel_dir)]
        assert CliRunner().invoke(app, args).exit_code == 2

    def test_a_folder_that_is_not_a_panel_exits_2(self, tmp_path: Path) -> None:
        args = ["sp", "grade", "--month", "2025-06", "--panel", str(tmp_path)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2
        assert "missing states.npy" in " ".join(result.output.split())
