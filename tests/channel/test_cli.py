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


class TestStoreCommands:
    def test_partner_staff_phone_and_report(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from autolease.config import get_settings

        monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{tmp_path / 'cli.db'}")
        monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
        monkeypatch.chdir(tmp_path)
        get_settings.cache_clear()
        try:
            run = CliRunner().invoke
            assert run(app, ["migrate"]).exit_code == 0
            assert run(app, ["sp", "create", "SP-X", "某车商", "上海"]).exit_code == 0
            r = run(app, ["partner", "create", "AUTO-PORTAL", "某汽车网站", "--kind",
                          "auto_portal", "--fee-rate", "0.015"])  # fmt: skip
            assert r.exit_code == 0, r.output
            r = run(app, ["partner", "create", "bad code", "x", "--fee-rate", "0.01"])
            assert r.exit_code == 2
            listed = run(app, ["partner", "list", "--json"])
            assert json.loads(listed.stdout)[0]["code"] == "AUTO-PORTAL"
            r = run(app, ["partner", "payout", "AUTO-PORTAL", "10", "x"])
            assert r.exit_code == 2  # nothing owed yet
            assert "exceeds" in r.output
            ledger = run(app, ["partner", "fees", "AUTO-PORTAL", "--json"])
            assert json.loads(ledger.stdout)["balance"] == "0.00"
            r = run(app, ["sp", "add-staff-phone", "SP-X", "13800138000", "--role", "seller"])
            assert r.exit_code == 0, r.output
            assert run(app, ["sp", "add-staff-phone", "SP-X", "123"]).exit_code == 2
            assert run(app, ["sp", "grade", "--month", "2026-11"]).exit_code == 0
            out = tmp_path / "sp.html"
            r = run(app, ["sp", "report", "SP-X", "--out", str(out), "--month", "2026-12"])
            assert r.exit_code == 0, r.output
            assert "<svg" in out.read_text(encoding="utf-8")
            assert run(app, ["sp", "report", "NOPE", "--out", str(out)]).exit_code == 2
        finally:
            get_settings.cache_clear()
