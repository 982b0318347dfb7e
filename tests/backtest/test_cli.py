from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from autolease.backtest.cli import backtest

app = typer.Typer()
app.command()(backtest)
runner = CliRunner()
BASE = ["--policy", "origination/approve", "--against", "origination/approve-conservative"]


class TestBacktestCommand:
    def test_writes_text_html_and_json(self, book_dir: Path, tmp_path: Path) -> None:
        html, summary = tmp_path / "r.html", tmp_path / "r.json"
        args = [*BASE, "--data", str(book_dir), "--limit", "200", "--html", str(html),
                "--json", str(summary), "--decisions", str(tmp_path / "d.parquet")]  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "Backtest of origination/approve@" in result.output
        data = json.loads(summary.read_text(encoding="utf-8"))
        assert data["n"] == 200
        assert {p["role"] for p in data["policies"]} == {"policy", "against"}
        assert "<table>" in html.read_text(encoding="utf-8")
        assert (tmp_path / "d.parquet").stat().st_size > 0

    def test_a_policy_json_file_can_be_compared(self, book_dir: Path, tmp_path: Path) -> None:
        from autolease.decision.files import packaged_root

        source = Path(str(packaged_root())) / "origination" / "approve.json"
        args = ["--policy", str(source), "--against", "origination/approve",
                "--data", str(book_dir), "--limit", "50"]  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "origination/approve@2026.12.1" in result.output
        assert "@file" not in result.output

    def test_a_policy_json_file_needs_its_cases_beside_it(
        self, book_dir: Path, tmp_path: Path
    ) -> None:
        from autolease.decision.files import packaged_root

        lone = tmp_path / "approve.json"
        lone.write_bytes((Path(str(packaged_root())) / "origination" / "approve.json").read_bytes())
        args = ["--policy", str(lone), "--against", "origination/approve",
                "--data", str(book_dir), "--limit", "50"]  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert "case file" in result.output

    def test_bad_options_exit_2_with_a_message(self, book_dir: Path, tmp_path: Path) -> None:
        cases = [
            ([*BASE, "--data", str(tmp_path / "none")], "is not a directory"),
            ([*BASE, "--data", str(book_dir), "--executor", "spark"], "pandas or dask"),
            ([*BASE, "--data", str(book_dir), "--lgd", "2"], "lgd"),
            (["--policy", "no/such", "--against", "origination/approve", "--data", str(book_dir)],
             "no policy 'no/such'"),
            ([*BASE, "--data", str(tmp_path)], "applications.parquet is missing"),
        ]  # fmt: skip
        for args, message in cases:
            result = runner.invoke(app, args)
            assert result.exit_code == 2, (args, result.output)
            assert message in " ".join(result.output.split())
