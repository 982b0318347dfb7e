"""``autolease vehicle`` train / evaluate / decode / appraise."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from autolease.vehicle.cli import app
from tests.vehicle.conftest import price_table

runner = CliRunner()


def last_json(output: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    return data


class TestTrainEvaluate:
    def test_train_saves_a_manifest_and_evaluate_prints_metrics(self, tmp_path: Path) -> None:
        data = tmp_path / "prices.csv"
        price_table(1500, seed=3).rename(
            columns={"km": "kms_driven", "price": "selling_price"}
        ).to_csv(data, index=False)
        out = tmp_path / "artifacts"
        result = runner.invoke(
            app,
            ["train", "--data", str(data), "--out", str(out), "--version", "7", "--threads", "1"],
        )
        assert result.exit_code == 0, result.output
        trained = last_json(result.output)
        assert trained["model"] == "valuation@7"
        manifest = json.loads((out / "valuation" / "7" / "manifest.json").read_text())
        assert set(manifest["files"]) == {"p10.txt", "p50.txt", "p90.txt", "encoding.json"}
        assert "age_years" in [f["name"] for f in manifest["features"]]
        assert all(len(h) == 64 for h in manifest["files"].values())
        assert not list((out / "valuation" / "7").glob("*.pkl"))
        held = manifest["card"]["held_out"][0]
        assert held["sample"] == "random hold-out split: 225 rows (15% of the table)"
        assert held["metrics"]["mae"] == manifest["metrics"]["mae"]
        assert manifest["card"]["in_sample"][0]["sample"].startswith("in-sample (the ")
        card = (out / "valuation" / "7" / "model_card.md").read_text()
        assert card.index(held["sample"]) < card.index("## In-sample metrics")

        fresh = tmp_path / "fresh.csv"
        price_table(800, seed=4).to_csv(fresh, index=False)
        result = runner.invoke(app, ["evaluate", str(out), "--data", str(fresh)])
        assert result.exit_code == 0, result.output
        metrics = last_json(result.output)
        assert {"mae", "mape", "r2", "coverage_p10_p90", "n"} <= set(metrics)
        assert metrics["n"] == 800
        assert isinstance(metrics["mape"], float)
        assert metrics["mape"] < 0.15

    @pytest.mark.slow
    def test_mapping_names_unusual_columns(self, tmp_path: Path) -> None:
        data = tmp_path / "odd.csv"
        t = price_table(900, seed=5)
        pd.DataFrame({"cost": t["price"], "age_in_years": t["age"], "odo": t["km"],
                      "maker": t["make"]}).to_csv(data, index=False)  # fmt: skip
        out = tmp_path / "a" / "valuation"
        result = runner.invoke(
            app,
            ["train", "--data", str(data), "--out", str(out), "--version", "1",
             "--columns", "price=cost,age_years=age_in_years,mileage_km=odo,brand=maker"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert (tmp_path / "a" / "valuation" / "1" / "manifest.json").is_file()
        assert "brand" in last_json(result.output)["features"]  # type: ignore[operator]


class TestDecode:
    def test_decode_prints_maker(self) -> None:
        result = runner.invoke(app, ["decode", "LSVAU218XN2183294", "--registered", "2022-05-01"])
        assert result.exit_code == 0, result.output
        data = last_json(result.output)
        assert (data["manufacturer"], data["model_year"]) == ("SAIC Volkswagen", 2022)
