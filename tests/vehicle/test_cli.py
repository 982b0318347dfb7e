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


class TestFolderOfTables:
    def test_a_folder_of_csvs_is_read_as_one_table(self, tmp_path: Path) -> None:
        folder = tmp_path / "prices"
        folder.mkdir()
        table = price_table(900, seed=8)
        table.iloc[:450].to_csv(folder / "a.csv", index=False)
        table.iloc[450:].to_csv(folder / "b.csv", index=False)
        out = tmp_path / "artifacts"
        args = ["train", "--data", str(folder), "--out", str(out), "--version", "1"]
        result = runner.invoke(app, [*args, "--threads", "1"])
        assert result.exit_code == 0, result.output
        manifest = json.loads((out / "valuation" / "1" / "manifest.json").read_text())
        assert manifest["training_window"]["rows"] == "900"

    def test_tables_with_other_columns_are_refused_in_one_line(self, tmp_path: Path) -> None:
        folder = tmp_path / "prices"
        folder.mkdir()
        table = price_table(100, seed=8)
        table.to_csv(folder / "a.csv", index=False)
        table.rename(columns={"km": "odometer"}).to_csv(folder / "b.csv", index=False)
        result = runner.invoke(app, ["train", "--data", str(folder), "--out", str(tmp_path)])
        assert result.exit_code == 2
        error = json.loads(result.stderr.strip())
        assert "b.csv" in error["detail"]
        assert "odometer" in error["detail"]

    def test_an_empty_folder_says_what_it_expected(self, tmp_path: Path) -> None:
        result = runner.invoke(app, ["train", "--data", str(tmp_path), "--out", str(tmp_path)])
        assert result.exit_code == 2
        assert "no CSV or Parquet table" in json.loads(result.stderr.strip())["detail"]


@pytest.fixture(scope="module")
def model_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("valuation")
    data = root / "prices.csv"
    price_table(1200, seed=11).to_csv(data, index=False)
    args = ["train", "--data", str(data), "--out", str(root / "artifacts"), "--version", "1"]
    result = runner.invoke(app, [*args, "--threads", "1"])
    assert result.exit_code == 0, result.output
    return root / "artifacts"


class TestEvaluateReportsInputs:
    def test_unmapped_columns_unseen_levels_and_errors_per_brand(
        self, model_root: Path, tmp_path: Path
    ) -> None:
        fresh = price_table(400, seed=12).rename(columns={"km": "Odo reading"})
        fresh.loc[:99, "fuel"] = "electric"
        data = tmp_path / "fresh.csv"
        fresh.to_csv(data, index=False)
        result = runner.invoke(app, ["evaluate", str(model_root), "--data", str(data)])
        assert result.exit_code == 0, result.output
        report = last_json(result.output)
        assert report["unmapped_columns"] == ["Odo reading"]
        assert report["inputs_missing_in_every_row"] == ["mileage_km"]
        unseen = report["unseen_category_share"]
        assert isinstance(unseen, dict)
        assert unseen["fuel"] == pytest.approx(0.25)
        assert unseen["brand"] == 0.0
        by_brand = report["by_brand"]
        assert isinstance(by_brand, dict)
        assert len(by_brand) == fresh["make"].nunique()
        assert sum(b["n"] for b in by_brand.values()) == 400
        assert all(0 <= b["median_ape"] < 1 for b in by_brand.values())


class TestScore:
    def test_writes_p10_p50_p90_for_every_row_without_a_price(
        self, model_root: Path, tmp_path: Path
    ) -> None:
        rows = price_table(50, seed=13).drop(columns=["price"])
        rows.loc[0, "age"] = 99.0  # implausible: valued without an age, not dropped
        data, out = tmp_path / "cars.csv", tmp_path / "valued.csv"
        rows.to_csv(data, index=False)
        args = ["score", str(model_root), "--data", str(data), "--out", str(out)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert last_json(result.output)["rows"] == 50
        valued = pd.read_csv(out)
        assert list(valued.columns) == [*rows.columns, "p10", "p50", "p90"]
        assert valued[["p10", "p50", "p90"]].notna().all().all()
        assert (valued["p10"] <= valued["p50"]).all()
        assert (valued["p50"] <= valued["p90"]).all()

    def test_a_missing_model_is_one_line_exit_2(self, tmp_path: Path) -> None:
        data = tmp_path / "cars.csv"
        price_table(5, seed=1).to_csv(data, index=False)
        args = ["score", str(tmp_path), "--data", str(data), "--out", str(tmp_path / "o.csv")]
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert "error" in json.loads(result.stderr.strip())


class TestEvaluateWarnsOfDrift:
    @pytest.mark.parametrize(("factor", "warns"), [(1.0, False), (0.75, True)])
    def test_a_moved_price_table_is_warned_of(
        self, model_root: Path, tmp_path: Path, factor: float, warns: bool
    ) -> None:
        fresh = price_table(600, seed=13)
        fresh["price"] = fresh["price"] * factor
        data = tmp_path / "newer.csv"
        fresh.to_csv(data, index=False)
        result = runner.invoke(app, ["evaluate", str(model_root), "--data", str(data)])
        assert result.exit_code == 0, result.output
        drift = last_json(result.output)["drift"]
        assert isinstance(drift, dict)
        assert (drift["warning"] is not None) is warns
        assert ("warning: the market has moved" in result.output) is warns
