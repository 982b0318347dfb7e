from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autolease.fraud.cli import app
from autolease.synth.config import SynthConfig
from autolease.synth.writer import write_book

runner = CliRunner()


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book")
    write_book(SynthConfig(n_applications=2000, seed=3, fraud_rate=0.2), out)
    return out


def lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


class TestRings:
    def test_lists_rings_of_a_book(self, book: Path) -> None:
        result = runner.invoke(app, ["rings", "--data", str(book), "--top", "3"])
        assert result.exit_code == 0, result.output
        summary, *rings = lines(result.output)
        assert summary["event"] == "rings"
        assert summary["flagged_rings"] >= 5
        assert len(rings) == 3
        assert rings[0]["score"] >= rings[-1]["score"]

    def test_exports_one_ring(self, book: Path, tmp_path: Path) -> None:
        top = lines(runner.invoke(app, ["rings", "--data", str(book), "--top", "1"]).output)[1]
        out = tmp_path / "ring.json"
        result = runner.invoke(
            app, ["rings", "--data", str(book), "--export", str(top["ring_id"]), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        ring = json.loads(out.read_text())
        assert ring["ring_id"] == top["ring_id"]
        assert len(ring["members"]) == top["size"]
        phones = [s["value"] for s in ring["shared_values"] if s["kind"] == "phone"]
        assert all("****" in p for p in phones)

    def test_an_unknown_ring_exits_2(self, book: Path, tmp_path: Path) -> None:
        result = runner.invoke(
            app, ["rings", "--data", str(book), "--export", "Rnope", "--out", str(tmp_path / "x")]
        )
        assert result.exit_code == 2
        assert "Rnope" in result.output

    def test_a_missing_book_exits_2(self, tmp_path: Path) -> None:
        result = runner.invoke(app, ["rings", "--data", str(tmp_path / "none")])
        assert result.exit_code == 2
        assert "not a directory" in result.output


class TestTrainAndEvaluate:
    @pytest.mark.slow
    def test_train_then_evaluate_a_book(self, book: Path, tmp_path: Path) -> None:
        root = tmp_path / "artifacts"
        trained = runner.invoke(
            app, ["train", "--data", str(book), "--out", str(root), "--rounds", "40"]
        )
        assert trained.exit_code == 0, trained.output
        event = lines(trained.output)[-1]
        assert event["model"] == "fraud_gbm@0001"
        assert (root / "fraud_gbm" / "0001" / "manifest.json").is_file()
        evaluated = runner.invoke(app, ["evaluate", "--data", str(book), "--artifacts", str(root)])
        assert evaluated.exit_code == 0, evaluated.output
        result = lines(evaluated.output)[-1]
        assert result["model"] == "fraud_gbm@0001"
        assert "gang_ring" in result["recall_by_pattern"]

    def test_a_book_model_leaves_out_dropped_inputs(self, book: Path, tmp_path: Path) -> None:
        root = tmp_path / "artifacts"
        trained = runner.invoke(
            app,
            ["train", "--data", str(book), "--out", str(root), "--rounds", "20",
             "--drop", "face_match_score"],
        )  # fmt: skip
        assert trained.exit_code == 0, trained.output
        model = json.loads((root / "fraud_gbm" / "0001" / "fraud_model.json").read_text())
        names = json.dumps(model)
        assert "face_match_score" not in names
        assert "amount_to_price" in names
        manifest = json.loads((root / "fraud_gbm" / "0001" / "manifest.json").read_text())
        samples = [f["sample"] for f in manifest["card"]["held_out"]]
        assert samples[1].startswith("time split: trained ")
        assert manifest["card"]["stability"]["sample"] == samples[1]
        assert manifest["card"]["in_sample"][0]["sample"] == "in-sample (the training rows)"
        card = (root / "fraud_gbm" / "0001" / "model_card.md").read_text()
        assert card.index(samples[1]) < card.index("## In-sample metrics")
        unknown = runner.invoke(
            app, ["train", "--data", str(book), "--out", str(root), "--drop", "no_such_input"]
        )
        assert unknown.exit_code == 2
        assert "no_such_input" in unknown.output

    def test_train_a_csv(self, tmp_path: Path) -> None:
        rows = ["kind,amount,year,fraud"] + [
            f"{'a' if i % 3 else 'b'},{i % 17},{1994 + i % 2},{int(i % 3 == 0 and i % 17 > 8)}"
            for i in range(400)
        ]
        data = tmp_path / "claims.csv"
        data.write_text("\n".join(rows))
        result = runner.invoke(
            app, ["train", "--csv", str(data), "--target", "fraud", "--drop", "year",
                  "--train-where", "year=1994", "--test-where", "year=1995",
                  "--out", str(tmp_path / "a"), "--name", "claims", "--rounds", "20"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        event = lines(result.output)[-1]
        assert event["model"] == "claims@0001"
        assert event["test"]["auc"] > 0.9
        card = (tmp_path / "a" / "claims" / "0001" / "model_card.md").read_text()
        held, in_sample = card.index("## Held-out metrics"), card.index("## In-sample metrics")
        assert "Sample: **cross-fit, 3 folds (out-of-fold" in card[held:in_sample]
        assert "Sample: **test rows: year=1995 (200 rows)**" in card[held:in_sample]
        assert "Sample: **in-sample (the training rows)**" in card[in_sample:]

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["train"], "exactly one of --data and --csv"),
            (["train", "--csv", "x.csv"], "--target is required"),
            (["train", "--data", "nowhere", "--refer-rate", "2"], "refer_rate"),
        ],
    )
    def test_bad_input_exits_2(self, args: list[str], message: str) -> None:
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert message in result.output


class TestScore:
    def test_scores_every_application_for_the_backtest(self, book: Path, tmp_path: Path) -> None:
        import pandas as pd

        root = tmp_path / "artifacts"
        assert (
            runner.invoke(
                app, ["train", "--data", str(book), "--out", str(root), "--rounds", "20"]
            ).exit_code
            == 0
        )
        out = tmp_path / "scores.parquet"
        result = runner.invoke(
            app, ["score", "--data", str(book), "--out", str(out), "--artifacts", str(root)]
        )
        assert result.exit_code == 0, result.output
        scores = pd.read_parquet(out)
        assert list(scores.columns) == ["application_id", "fraud_score", "fraud_ring_flag"]
        assert scores["fraud_score"].between(0, 1).all()
        assert scores["fraud_ring_flag"].sum() > 0


def claims_csv(path: Path, n: int = 600) -> Path:
    rows = ["kind,amount,year,fraud"] + [
        f"{'a' if i % 3 else 'b'},{i % 17},{1994 + i % 4},{int(i % 3 == 0 and i % 17 > 8)}"
        for i in range(n)
    ]
    path.write_text("\n".join(rows))
    return path


class TestCsvModels:
    @pytest.fixture
    def trained(self, tmp_path: Path) -> tuple[Path, Path]:
        data = claims_csv(tmp_path / "claims.csv")
        root = tmp_path / "a"
        result = runner.invoke(
            app, ["train", "--csv", str(data), "--target", "fraud", "--drop", "year",
                  "--train-where", "year=1994..1995", "--test-where", "year=1996,1997",
                  "--out", str(root), "--name", "claims", "--rounds", "20"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert lines(result.output)[-1]["test"]["rows"] == 300
        return data, root

    def test_evaluate_a_csv_with_the_trained_target(self, trained: tuple[Path, Path]) -> None:
        data, root = trained
        result = runner.invoke(
            app, ["evaluate", "--csv", str(data), "--test-where", "year=1997..",
                  "--model", "claims@latest", "--artifacts", str(root)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        event = lines(result.output)[-1]
        assert event["rows"] == 150
        assert event["auc"] > 0.9
        assert event["absent_inputs"] == []

    def test_score_a_csv(self, trained: tuple[Path, Path], tmp_path: Path) -> None:
        import pandas as pd

        data, root = trained
        out = tmp_path / "scored.csv"
        result = runner.invoke(
            app, ["score", "--csv", str(data), "--out", str(out),
                  "--model", "claims@latest", "--artifacts", str(root)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        scored = pd.read_csv(out)
        assert len(scored) == 600
        assert scored["fraud_score"].between(0, 1).all()
        assert (
            scored.loc[scored["fraud"] == 1, "fraud_score"].min()
            > scored.loc[scored["fraud"] == 0, "fraud_score"].median()
        )

    @pytest.mark.parametrize(
        ("where", "message"),
        [("year", "COLUMN=V"), ("nope=1", "COLUMN=V"), ("year=..", "at least one end"),
         ("year=abc", "numeric")],
    )  # fmt: skip
    def test_a_bad_where_is_one_line_exit_2(self, where: str, message: str, tmp_path: Path) -> None:
        data = claims_csv(tmp_path / "claims.csv", n=60)
        result = runner.invoke(
            app, ["train", "--csv", str(data), "--target", "fraud", "--train-where", where,
                  "--out", str(tmp_path)],
        )  # fmt: skip
        assert result.exit_code == 2
        assert message in json.loads(result.stderr.strip())["detail"]
