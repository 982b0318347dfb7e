from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from autolease.cli import app


def test_simulate_then_report(tmp_path: Path) -> None:
    runner = CliRunner()
    book = tmp_path / "book"
    made = runner.invoke(
        app, ["portfolio", "simulate", "--out", str(book), "--contracts", "3000", "--months", "18"]
    )
    assert made.exit_code == 0, made.output
    assert (book / "states.npy").is_file()
    html, figures = tmp_path / "r.html", tmp_path / "r.json"
    result = runner.invoke(
        app,
        ["portfolio", "report", "--panel", str(book), "--out", str(html), "--json", str(figures)],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(figures.read_text(encoding="utf-8"))
    assert report["contracts"] == 3000
    assert set(report["vintages"]) == {"all", "product", "sp_grade", "region"}
    assert report["stability"]
    assert "<svg" in html.read_text(encoding="utf-8")


def test_report_on_a_missing_folder_exits_2_with_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["portfolio", "report", "--panel", str(tmp_path / "nope"), "--out", "x.html"]
    )
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "not a saved panel" in lines[0]
