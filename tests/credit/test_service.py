"""Tests for autolease.credit.service: registry round trips, verification, stage wiring."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from autolease.credit import service
from autolease.credit.exceptions import CreditDataInvalid, CreditModelInvalid, CreditModelNotFound
from autolease.credit.model import CreditModel
from autolease.credit.settings import CreditSettings
from autolease.credit.training import TrainingResult, TrainOptions
from tests.credit.conftest import SMALL_GBM

AT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def register(
    root: Path, result: TrainingResult, version: str | None = None
) -> service.RegisteredModel:
    return service.register(
        root,
        result,
        name="credit_gbm",
        version=version,
        created_at=AT,
        training_window={"from": "2024-01-01"},
        params={"x": 1},
    )


class TestRegister:
    def test_manifest_records_features_metrics_and_hashes(
        self, tmp_path: Path, toy_models: dict[str, TrainingResult]
    ) -> None:
        reg = register(tmp_path, toy_models["blend"])
        assert reg.ref == "credit_gbm@0001"
        manifest = reg.manifest
        assert [f.name for f in manifest.features] == list(toy_models["blend"].model.schema.names)
        assert set(manifest.files) == {
            "model.json",
            "points.json",
            "points.csv",
            "booster.txt",
            "calibrator.json",
            "binning.json",
        }
        assert manifest.metrics["train"]["auc"] > 0.6
        assert manifest.metrics["samples"] == {"train": "in-sample (the training rows)"}
        # the booster's own cross-fit is not the blend's: a blend's held-out figure is the
        # outer cross-fit `credit.card.held_out` computes at training
        assert "holdout_cross_fit" not in manifest.metrics
        assert manifest.training_window == {"from": "2024-01-01"}
        gbm = register(tmp_path, toy_models["gbm"]).manifest
        assert "holdout_cross_fit" in gbm.metrics

    def test_versions_count_up(self, tmp_path: Path, toy_models: dict[str, TrainingResult]) -> None:
        register(tmp_path, toy_models["gbm"])
        assert register(tmp_path, toy_models["gbm"]).ref == "credit_gbm@0002"
        assert service.next_version(tmp_path, "credit_gbm") == "0003"

    def test_existing_version_is_refused(
        self, tmp_path: Path, toy_models: dict[str, TrainingResult]
    ) -> None:
        register(tmp_path, toy_models["gbm"], "7")
        with pytest.raises(CreditModelInvalid, match="immutable"):
            register(tmp_path, toy_models["gbm"], "7")


class TestLoad:
    def test_load_verifies_and_scores_the_same(
        self, tmp_path: Path, toy_models: dict[str, TrainingResult], toy_frame: pd.DataFrame
    ) -> None:
        reg = register(tmp_path, toy_models["scorecard"])
        model, manifest = service.load_model(reg.path)
        assert model.ref == "credit_gbm@0001"
        assert manifest.ref == model.ref
        original = toy_models["scorecard"].model.score_batch(toy_frame).pd
        assert (model.score_batch(toy_frame).pd == original).all()

    def test_tampered_points_are_refused(
        self, tmp_path: Path, toy_models: dict[str, TrainingResult]
    ) -> None:
        reg = register(tmp_path, toy_models["scorecard"])
        path = reg.path / "points.json"
        path.write_text(path.read_text().replace('"points": ', '"points": 1', 1))
        with pytest.raises(CreditModelInvalid, match="sha256"):
            service.load_model(reg.path)

    def test_no_model(self, tmp_path: Path) -> None:
        with pytest.raises(CreditModelNotFound):
            service.load_model(tmp_path)
        with pytest.raises(CreditModelNotFound):
            service.resolve_model(tmp_path, "credit_gbm@latest")


class TestBuildCreditStage:
    def test_the_champion_serves_not_the_latest(
        self, tmp_path: Path, toy_models: dict[str, TrainingResult]
    ) -> None:
        register(tmp_path, toy_models["gbm"])
        register(tmp_path, toy_models["gbm"])
        stage = service.build_credit_stage(
            CreditSettings(top_reasons=1), tmp_path, "credit_gbm@0001"
        )
        assert stage.model is not None
        assert stage.model.ref == "credit_gbm@0001"
        assert stage.top_reasons == 1

    def test_grade_override(self, tmp_path: Path, toy_models: dict[str, TrainingResult]) -> None:
        register(tmp_path, toy_models["gbm"])
        settings = CreditSettings(grade_pd_cutoffs=(0.1, 0.2, 0.3, 0.4))
        stage = service.build_credit_stage(settings, tmp_path, "credit_gbm@0001")
        assert isinstance(stage.model, CreditModel)
        assert stage.model.grades.pd_cutoffs == (0.1, 0.2, 0.3, 0.4)

    def test_no_champion_gives_a_referring_stage(
        self, tmp_path: Path, toy_models: dict[str, TrainingResult]
    ) -> None:
        register(tmp_path, toy_models["gbm"])
        assert service.build_credit_stage(CreditSettings(), tmp_path, None).model is None
        assert service.build_credit_stage(CreditSettings(), tmp_path, "credit_gbm@9").model is None

    def test_disabled(self, tmp_path: Path, toy_models: dict[str, TrainingResult]) -> None:
        register(tmp_path, toy_models["gbm"])
        stage = service.build_credit_stage(
            CreditSettings(enabled=False), tmp_path, "credit_gbm@0001"
        )
        assert stage.model is None
        assert stage.enabled is False

    def test_tampered_model_stops_start_up(
        self, tmp_path: Path, toy_models: dict[str, TrainingResult]
    ) -> None:
        reg = register(tmp_path, toy_models["gbm"])
        (reg.path / "booster.txt").write_text("tree\n")
        with pytest.raises(CreditModelInvalid):
            service.build_credit_stage(CreditSettings(), tmp_path, "credit_gbm@0001")


class TestTrainCsv:
    def test_any_csv(self, tmp_path: Path, toy_frame: pd.DataFrame) -> None:
        data = tmp_path / "loans.csv"
        toy_frame.to_csv(data, sep=";", index=False)
        reg, prepared = service.train_csv(
            data,
            "status",
            TrainOptions(kind="gbm", gbm=SMALL_GBM),
            bad_value=None,
            out=tmp_path / "artifacts",
            name=None,
            version=None,
            created_at=AT,
        )
        assert reg.ref == "external/credit_gbm@0001"
        assert reg.path == tmp_path / "artifacts" / "external" / "credit_gbm" / "0001"
        assert prepared.bad_label == "bad"
        assert prepared.target == "status"
        assert reg.manifest.params["target"] == "status"

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(CreditDataInvalid, match="does not exist"):
            service.read_table(tmp_path / "nope.csv")

    def test_gb18030_text(self, tmp_path: Path) -> None:
        path = tmp_path / "zh.csv"
        path.write_bytes("收入,状态\n1,好\n".encode("gb18030"))
        assert list(service.read_table(path, header=True).columns) == ["收入", "状态"]


class TestTrainBook:
    def test_declared_features_and_window(self, tmp_path: Path) -> None:
        writer = pytest.importorskip("autolease.synth.writer")
        config = pytest.importorskip("autolease.synth.config")
        writer.write_book(config.SynthConfig(n_applications=1500, seed=2), tmp_path / "book")
        reg = service.train_book(
            tmp_path / "book",
            TrainOptions(kind="gbm", gbm=SMALL_GBM),
            out=tmp_path / "artifacts",
            name=None,
            version=None,
            created_at=AT,
        )
        assert reg.ref == "credit_gbm@0001"
        assert reg.manifest.params["feature_set"] == "credit_application/1"
        assert reg.manifest.training_window["from"] <= reg.manifest.training_window["to"]
        assert reg.manifest.features[0].name == "applicant_age"
        assert "as of" in reg.manifest.features[0].description
        stage = service.build_credit_stage(CreditSettings(), tmp_path / "artifacts", reg.ref)
        assert stage.model is not None
        assert stage.model.labels["payment_to_income"].zh == "月供收入比"

    def test_missing_table(self, tmp_path: Path) -> None:
        with pytest.raises(CreditDataInvalid, match=r"applications\.parquet"):
            service.read_book(tmp_path)
