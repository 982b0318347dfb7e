"""Tests for autolease.credit.report: the self-contained HTML report."""

from __future__ import annotations

import pandas as pd

from autolease.credit.report import build_report
from autolease.credit.training import TrainingResult


class TestBuildReport:
    def test_charts_metrics_and_points(
        self, toy_models: dict[str, TrainingResult], toy_frame: pd.DataFrame
    ) -> None:
        model = toy_models["scorecard"].model
        scores = model.score_batch(toy_frame)
        y = (toy_frame["status"] == "bad").to_numpy().astype(int)
        page = build_report(
            model, y, scores.pd, scores.score, scores.grade, title="T <1>", source="toy.csv"
        )
        assert page.count("<svg") == 4
        for heading in (
            "ROC (AUC",
            "KS ",
            "Calibration (ECE",
            "Score distribution",
            "Points table",
        ):
            assert heading in page
        assert "T &lt;1&gt;" in page

    def test_gbm_has_no_points_table(
        self, toy_models: dict[str, TrainingResult], toy_frame: pd.DataFrame
    ) -> None:
        model = toy_models["gbm"].model
        scores = model.score_batch(toy_frame)
        y = (toy_frame["status"] == "bad").to_numpy().astype(int)
        page = build_report(model, y, scores.pd, scores.score, scores.grade, title="t", source="s")
        assert "Points table" not in page
        assert "<h2>Grades</h2>" in page
