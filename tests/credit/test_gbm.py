"""Tests for autolease.credit.gbm: LightGBM PD with monotone constraints and calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from autolease.credit.encoding import encode
from autolease.credit.gbm import BoosterModel, GradientBoostingPD
from autolease.credit.tabular import infer_schema
from autolease.credit.training import TrainingResult


class TestGradientBoostingPD:
    def test_monotone_constraints_hold(self, toy_models: dict[str, TrainingResult]) -> None:
        model = toy_models["gbm"].model
        grid = np.linspace(0.3, 1.1, 40)
        frame = pd.DataFrame({"ltv": grid, "income": 12_000.0, "home": "own", "noise": 0.0})
        pd_values = model.score_batch(frame).pd
        assert np.all(np.diff(pd_values) >= -1e-12)
        assert pd_values[-1] > pd_values[0]

    def test_params_declare_constraints_in_input_order(self, toy_frame: pd.DataFrame) -> None:
        schema, _ = infer_schema(toy_frame, exclude=["status"])
        params = GradientBoostingPD(monotone={"ltv": 1, "income": -1, "home": 1}).params(schema)
        assert params["monotone_constraints"] == [1, -1, 0, 0]

    def test_tree_size_follows_the_rows(self) -> None:
        assert GradientBoostingPD().leaves(900) == (8, 20)
        assert GradientBoostingPD().leaves(27_000) == (16, 54)
        assert GradientBoostingPD(num_leaves=4, min_data_in_leaf=5).leaves(27_000) == (4, 5)

    def test_holdout_calibration_is_reported(self, toy_models: dict[str, TrainingResult]) -> None:
        holdout = toy_models["gbm"].holdout
        assert holdout is not None
        assert 0.6 < holdout.auc <= 1.0
        assert holdout.calibration_error < 0.1
        assert toy_models["gbm"].n_rounds is not None

    def test_invalid_parameters(self, toy_frame: pd.DataFrame) -> None:
        schema, _ = infer_schema(toy_frame, exclude=["status"])
        with pytest.raises(ValueError, match="inner_folds"):
            GradientBoostingPD(inner_folds=1).fit(encode(toy_frame, schema), [0, 1] * 400, schema)


class TestBoosterModel:
    def test_text_round_trip(
        self, toy_models: dict[str, TrainingResult], toy_frame: pd.DataFrame
    ) -> None:
        booster = toy_models["gbm"].model.booster
        assert booster is not None
        again = BoosterModel.from_text(booster.to_text(), booster.calibrator)
        x = encode(toy_frame, toy_models["gbm"].model.schema)
        assert np.allclose(again.log_odds(x), booster.log_odds(x))

    def test_contributions_sum_to_log_odds(
        self, toy_models: dict[str, TrainingResult], toy_frame: pd.DataFrame
    ) -> None:
        booster = toy_models["gbm"].model.booster
        assert booster is not None
        x = encode(toy_frame.head(20), toy_models["gbm"].model.schema)
        full = booster.booster.predict(x, pred_contrib=True)
        assert np.allclose(full.sum(axis=1), booster.log_odds(x))
        assert booster.contributions(x).shape == x.shape
