"""CLI: `autolease synth --applications N --seed S --out DIR` and `autolease synth report DIR`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from autolease.synth.cli import app as synth_app

root = typer.Typer()
root.add_typer(synth_app, name="synth")


@root.command()
def version() -> None:
    """A second command so the root behaves as a group, as in autolease.cli."""


def test_generate_then_report(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "book"
    result = runner.invoke(
        root, ["synth", "--applications", "1500", "--seed", "4", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    event = json.loads(result.output.strip().splitlines()[-1])
    assert event["rows"]["applications"] == 1500
    assert (out / "manifest.json").exists()
    report = runner.invoke(root, ["synth", "report", str(out)])
    assert report.exit_code == 0, report.output
    sections = [json.loads(line)["section"] for line in report.output.strip().splitlines()]
    assert sections == ["marginals", "fraud_mix", "default_rates", "logistic_regression"]


def test_generate_requires_out() -> None:
    result = CliRunner().invoke(root, ["synth", "--applications", "10"])
    assert result.exit_code != 0
