"""2-D characteristics of the scorecard: chosen out of fold, scored, saved and explained."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from autolease.credit import metrics
from autolease.credit.binning import ScorecardPD
from autolease.credit.encoding import encode
from autolease.credit.interactions import box_labels
from autolease.credit.model import CreditModel
from autolease.credit.scaling import GradeScale, ScoreScaling
from autolease.credit.scorecard import (
    FORMAT,
    FORMAT_2D,
    CompiledScorecard,
    PointsTable,
    ScorecardBin,
    ScorecardVariable,
    box_index,
)
from autolease.credit.tabular import infer_schema
from autolease.credit.training import TrainingResult


def interaction_frame(n: int, seed: int) -> pd.DataFrame:
    """Risk from the product of `a` and `b` only (an XOR-like pattern, no main effects)."""
    rng = np.random.default_rng(seed)
    a, b, noise = rng.uniform(-1, 1, n), rng.uniform(-1, 1, n), rng.normal(0, 1, n)
    logit = -1.0 + 4.0 * np.sign(a) * np.sign(b) * np.minimum(np.abs(a), np.abs(b)) ** 0.5
    bad = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({"a": a, "b": b, "noise": noise, "bad": bad.astype(int)})


@pytest.fixture(scope="module")
def planted() -> tuple[ScorecardPD, ScorecardPD, float, float]:
    """Cards with and without interactions on the planted pattern, and their held-out AUCs."""
    train, test = interaction_frame(3000, seed=1), interaction_frame(2000, seed=2)
    schema, _ = infer_schema(train, exclude=["bad"])
    x, x_test = encode(train, schema), encode(test, schema)
    with_pairs = ScorecardPD().fit(x, train["bad"].to_numpy(), schema)
    without = ScorecardPD(interactions=0).fit(x, train["bad"].to_numpy(), schema)
    y_test = test["bad"].to_numpy()
    return (
        with_pairs,
        without,
        metrics.auc(y_test, with_pairs.predict_pd(x_test)),
        metrics.auc(y_test, without.predict_pd(x_test)),
    )


class TestChoice:
    def test_a_planted_interaction_is_found_and_pays_on_held_out_rows(
        self, planted: tuple[ScorecardPD, ScorecardPD, float, float]
    ) -> None:
        with_pairs, without, auc_with, auc_without = planted
        pairs = [v for v in with_pairs.table_.variables if v.columns]
        assert [v.columns for v in pairs] == [("a", "b")]
        assert not any(v.columns for v in without.table_.variables)
        assert auc_without < 0.62  # an additive card cannot see it
        assert auc_with > auc_without + 0.1

    def test_every_pair_tried_is_logged(
        self, planted: tuple[ScorecardPD, ScorecardPD, float, float]
    ) -> None:
        with_pairs = planted[0]
        added = [t for t in with_pairs.interactions_ if t["added"]]
        assert [t["pair"] for t in added] == ["a × b"]
        assert added[0]["z"] >= 2.0
        assert planted[1].interactions_ == []

    def test_no_pair_on_additive_data(self, toy_models: dict[str, TrainingResult]) -> None:
        table = toy_models["scorecard"].model.table
        assert table is not None
        assert not any(v.columns for v in table.variables)
        assert table.to_json()["format"] == FORMAT  # older readers still read it

    def test_negative_settings_are_refused(self) -> None:
        with pytest.raises(ValueError, match="interactions"):
            ScorecardPD(interactions=-1)._check_parameters()


class TestTable:
    def test_round_trip_scores_the_same(
        self, planted: tuple[ScorecardPD, ScorecardPD, float, float]
    ) -> None:
        card = planted[0]
        data = json.loads(json.dumps(card.table_.to_json()))
        assert data["format"] == FORMAT_2D
        again = PointsTable.from_json(data)
        assert again == card.table_
        x = encode(interaction_frame(200, seed=3), card.compiled_.schema)
        rescored = CompiledScorecard(again, card.compiled_.schema).score(x)
        np.testing.assert_allclose(rescored, card.score(x))

    def test_cells_and_missing_cell(self) -> None:
        boxes = np.array([[-np.inf, 0.0, -np.inf, np.inf], [0.0, np.inf, -np.inf, 1.0],
                          [0.0, np.inf, 1.0, np.inf]])  # fmt: skip
        first = np.array([-1.0, 0.0, 5.0, np.nan, 2.0])
        second = np.array([9.0, 0.5, 1.0, 0.0, np.nan])
        assert box_index(first, second, boxes).tolist() == [0, 1, 2, 3, 3]
        assert box_labels(("a", "b"), boxes[:1]) == ["a [-inf, 0) × b [-inf, inf)"]

    def test_a_2d_characteristic_needs_two_numeric_inputs(self) -> None:
        bins = (ScorecardBin("x", 1.0, 0.1, 5, 1), ScorecardBin("m", 0.0, 0.0, 1, 0, missing=True))
        with pytest.raises(ValueError, match="2-D"):
            ScorecardVariable("a × b", "categorical", 0.1, -1.0, bins, ("a", "b"))
        with pytest.raises(ValueError, match="2-D"):
            ScorecardVariable("a × b × c", "numeric", 0.1, -1.0, bins, ("a", "b", "c"))

    def test_a_table_before_2d_characteristics_still_loads(self) -> None:
        old = {
            "format": FORMAT,
            "scaling": ScoreScaling().to_json(),
            "intercept": -1.0,
            "base_points": 600.0,
            "variables": [{"name": "a", "kind": "numeric", "iv": 0.1, "coefficient": -1.0,
                           "bins": [{"label": "[-inf, inf)", "points": 2.0, "woe": 0.0,
                                     "count": 9, "bads": 1, "lower": None, "upper": None},
                                    {"label": "Missing", "points": 0.0, "woe": 0.0,
                                     "count": 1, "bads": 0, "missing": True}]}],
        }  # fmt: skip
        table = PointsTable.from_json(old)
        assert table.variables[0].columns == ()
        assert table.variables[0].inputs == ("a",)

    def test_a_stored_model_with_a_pair_scores_and_explains_the_same(
        self, planted: tuple[ScorecardPD, ScorecardPD, float, float]
    ) -> None:
        model = _model(planted[0])
        files = model.to_files()
        assert "a × b" in files["points.csv"].decode("utf-8")
        again = CreditModel.from_files(files)
        x = encode(interaction_frame(200, seed=4), model.schema)
        np.testing.assert_allclose(again.score_matrix(x), model.score_matrix(x))
        np.testing.assert_allclose(again.adverse_points(x), model.adverse_points(x))


class TestReasons:
    def test_the_points_a_cell_loses_are_shared_by_both_inputs(
        self, planted: tuple[ScorecardPD, ScorecardPD, float, float]
    ) -> None:
        card = planted[0]
        schema = card.compiled_.schema
        model = _model(card)
        pair = next(v for v in card.table_.variables if v.columns)
        worst = min(pair.bins[:-1], key=lambda b: b.points)
        row = {"a": _inside(worst.lower, worst.upper), "b": _inside(worst.lower_2, worst.upper_2)}
        lost = model.adverse_points(encode(pd.DataFrame([row]), schema))[0]
        names = list(schema.names)
        share = (pair.max_points - worst.points) / 2
        assert lost[names.index("a")] >= share - 1e-9
        assert lost[names.index("b")] >= share - 1e-9
        named = {f.feature for f in model.assess(row, top=3).factors}
        assert {"a", "b"} <= named


def _model(card: ScorecardPD) -> CreditModel:
    return CreditModel(
        kind="scorecard",
        schema=card.compiled_.schema,
        scaling=card.scaling,
        grades=GradeScale(),
        scorecard=card.table_,
    )


def _inside(lower: float | None, upper: float | None) -> float:
    lo = -1.0 if lower is None else lower
    hi = 1.0 if upper is None else upper
    return (max(lo, -1.0) + min(hi, 1.0)) / 2


def test_the_cli_setting_turns_them_off() -> None:
    from autolease.credit.cli import _options

    assert _options("scorecard", 0, 600.0, 50.0, 20.0, None, 0).scorecard == {"interactions": 0}
    assert _options("scorecard", 0, 600.0, 50.0, 20.0, None).scorecard == {}
