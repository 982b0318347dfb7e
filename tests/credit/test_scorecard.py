"""Tests for autolease.credit.binning (training) and autolease.credit.scorecard (scoring)."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd
import pytest

from autolease.credit.binning import ScorecardPD
from autolease.credit.encoding import OTHER_LABEL, encode, encode_row
from autolease.credit.scaling import ScoreScaling
from autolease.credit.scorecard import (
    CompiledScorecard,
    PointsTable,
    ScorecardBin,
    ScorecardVariable,
)
from autolease.credit.tabular import infer_schema
from autolease.credit.training import TrainingResult


def table_of(toy_models: dict[str, TrainingResult]) -> PointsTable:
    table = toy_models["scorecard"].model.table
    assert table is not None
    return table


class TestScorecardFit:
    def test_signal_outranks_noise(self, toy_models: dict[str, TrainingResult]) -> None:
        names = [v.name for v in table_of(toy_models).variables]
        assert "ltv" in names
        assert "income" in names
        report = {r["variable"]: r for r in toy_models["scorecard"].binning or []}
        assert report["noise"]["iv"] < report["ltv"]["iv"] / 3

    def test_low_iv_inputs_are_left_out(self, toy_frame: pd.DataFrame) -> None:
        schema, _ = infer_schema(toy_frame, exclude=["status"])
        y = (toy_frame["status"] == "bad").to_numpy().astype(int)
        for params in (
            {"regression": "woe", "min_iv": 0.2},
            {"regression": "bins", "min_iv_bins": 0.2},
        ):
            card = ScorecardPD(**params).fit(encode(toy_frame, schema), y, schema)  # type: ignore[arg-type]
            assert [v.name for v in card.table_.variables] == ["ltv"]
            statuses = {r["variable"]: r["status"] for r in card.report_}
            assert statuses["home"].startswith("dropped: IV")

    @pytest.mark.parametrize("form", ["woe", "bins"])
    def test_each_form_keeps_declared_directions(self, toy_frame: pd.DataFrame, form: str) -> None:
        schema, _ = infer_schema(toy_frame, exclude=["status"])
        y = (toy_frame["status"] == "bad").to_numpy().astype(int)
        card = ScorecardPD(regression=form, monotone={"ltv": 1, "income": -1})
        card.fit(encode(toy_frame, schema), y, schema)
        assert card.regression_ == form
        by_name = {v.name: v for v in card.table_.variables}
        ltv_points = [b.points for b in by_name["ltv"].bins[:-1]]
        income_points = [b.points for b in by_name["income"].bins[:-1]]
        assert ltv_points == sorted(ltv_points, reverse=True)
        assert income_points == sorted(income_points)
        assert ltv_points[0] > ltv_points[-1]

    def test_auto_takes_the_form_with_the_better_inner_auc(self, toy_frame: pd.DataFrame) -> None:
        schema, _ = infer_schema(toy_frame, exclude=["status"])
        y = (toy_frame["status"] == "bad").to_numpy().astype(int)
        card = ScorecardPD().fit(encode(toy_frame, schema), y, schema)
        assert set(card.inner_auc_) == {"woe", "bins"}
        assert all(0.5 < auc <= 1 for auc in card.inner_auc_.values())
        assert card.regression_ == max(card.inner_auc_, key=card.inner_auc_.__getitem__)
        assert {r["regression"] for r in card.report_} == {card.regression_}

    def test_declared_directions_give_monotone_points(
        self, toy_models: dict[str, TrainingResult]
    ) -> None:
        by_name = {v.name: v for v in table_of(toy_models).variables}
        ltv_points = [b.points for b in by_name["ltv"].bins[:-1]]
        income_points = [b.points for b in by_name["income"].bins[:-1]]
        assert ltv_points == sorted(ltv_points, reverse=True)
        assert income_points == sorted(income_points)

    def test_coefficients_are_negative(self, toy_models: dict[str, TrainingResult]) -> None:
        assert all(v.coefficient < 0 for v in table_of(toy_models).variables)

    def test_invalid_parameters(self, toy_frame: pd.DataFrame) -> None:
        schema, _ = infer_schema(toy_frame, exclude=["status"])
        with pytest.raises(ValueError, match="max_correlation"):
            ScorecardPD(max_correlation=0).fit(encode(toy_frame, schema), [0, 1] * 400, schema)
        with pytest.raises(ValueError, match="regression must be"):
            ScorecardPD(regression="trees").fit(encode(toy_frame, schema), [0, 1] * 400, schema)


class TestCompiledScorecard:
    def test_score_is_base_plus_points(self, toy_models: dict[str, TrainingResult]) -> None:
        model = toy_models["scorecard"].model
        table = table_of(toy_models)
        record = {"ltv": 0.95, "income": 8000, "home": "rent", "noise": 0.1}
        x = encode_row(record, model.schema)
        compiled = CompiledScorecard(table, model.schema)
        expected = table.base_points + sum(compiled.points(x)[0])
        assert compiled.score(x)[0] == pytest.approx(expected)
        hand = table.base_points
        for var in table.variables:
            value = record[var.name]
            hand += next(b.points for b in var.bins if _holds(b, value))
        assert compiled.score(x)[0] == pytest.approx(hand)

    def test_missing_uses_the_missing_bin_and_unseen_the_other_bin(
        self, toy_models: dict[str, TrainingResult]
    ) -> None:
        model = toy_models["scorecard"].model
        compiled = CompiledScorecard(table_of(toy_models), model.schema)
        missing = compiled.bin_index(encode_row({}, model.schema))[0]
        unseen = compiled.bin_index(encode_row({"home": "boat"}, model.schema))[0]
        for k, var in enumerate(table_of(toy_models).variables):
            assert missing[k] == len(var.bins) - 1
            if var.kind == "categorical":
                assert OTHER_LABEL in var.bins[unseen[k]].categories
                assert not var.bins[unseen[k]].missing

    def test_points_lost_is_zero_at_the_best_bins(
        self, toy_models: dict[str, TrainingResult]
    ) -> None:
        model = toy_models["scorecard"].model
        compiled = CompiledScorecard(table_of(toy_models), model.schema)
        lost = compiled.points_lost(
            encode_row({"ltv": 0.31, "income": 1e6, "home": "own"}, model.schema)
        )
        assert lost.min() >= 0
        assert lost[0, model.schema.names.index("ltv")] == 0

    def test_unknown_variable_is_refused(self, toy_models: dict[str, TrainingResult]) -> None:
        table = table_of(toy_models)
        other = infer_schema(pd.DataFrame({"zzz": [1.0, 2.0]}))[0]
        with pytest.raises(ValueError, match="not a model input"):
            CompiledScorecard(table, other)


def _holds(b: ScorecardBin, value: object) -> bool:
    if b.missing:
        return False
    if b.categories:
        return value in b.categories
    assert isinstance(value, float | int)
    lower = -math.inf if b.lower is None else b.lower
    upper = math.inf if b.upper is None else b.upper
    return lower <= value < upper


class TestPointsTable:
    def test_json_round_trip(self, toy_models: dict[str, TrainingResult]) -> None:
        table = table_of(toy_models)
        assert PointsTable.from_json(table.to_json()) == table

    def test_csv_lists_every_bin_and_the_base(self, toy_models: dict[str, TrainingResult]) -> None:
        table = table_of(toy_models)
        rows = list(csv.DictReader(io.StringIO(table.to_csv())))
        assert rows[0]["variable"] == "(base)"
        assert float(rows[0]["points"]) == pytest.approx(table.base_points)
        assert len(rows) == 1 + sum(len(v.bins) for v in table.variables)

    def test_wrong_format(self) -> None:
        with pytest.raises(ValueError, match="format"):
            PointsTable.from_json({"format": "other"})

    def test_variable_needs_missing_bin_last(self) -> None:
        with pytest.raises(ValueError, match="missing bin"):
            ScorecardVariable("x", "numeric", 0.1, -1.0, (ScorecardBin("a", 1, 0, 1, 0),))

    def test_hand_built_table_scores(self) -> None:
        bins = (
            ScorecardBin("[-inf, 0.5)", 10.0, 0.5, 5, 1, None, 0.5),
            ScorecardBin("[0.5, inf)", -5.0, -0.2, 5, 3, 0.5, None),
            ScorecardBin("Missing", 0.0, 0.0, 0, 0, missing=True),
        )
        table = PointsTable(
            ScoreScaling(), -1.0, 500.0, (ScorecardVariable("ltv", "numeric", 0.3, -1.0, bins),)
        )
        schema = infer_schema(pd.DataFrame({"ltv": [0.1, 0.9]}))[0]
        scores = CompiledScorecard(table, schema).score(np.array([[0.2], [0.5], [np.nan]]))
        assert scores.tolist() == [510.0, 495.0, 500.0]
