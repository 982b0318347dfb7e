"""Tests for autolease.credit.model: the serving model of each kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from autolease.credit.encoding import encode
from autolease.credit.model import CreditModel, FeatureLabel
from autolease.credit.scaling import GradeScale, ScoreScaling
from autolease.credit.training import TrainingResult

KINDS = ("scorecard", "gbm", "blend")
RISKY = {"ltv": 1.08, "income": 3000.0, "home": "rent", "noise": 0.0}
SAFE = {"ltv": 0.32, "income": 60000.0, "home": "own", "noise": 0.0}


class TestAssess:
    @pytest.mark.parametrize("kind", KINDS)
    def test_risky_scores_worse_than_safe(
        self, toy_models: dict[str, TrainingResult], kind: str
    ) -> None:
        model = toy_models[kind].model
        risky, safe = model.assess(RISKY), model.assess(SAFE)
        assert risky.pd > safe.pd
        assert risky.score < safe.score
        assert risky.grade >= safe.grade

    @pytest.mark.parametrize("kind", KINDS)
    def test_factors_are_adverse_and_sorted(
        self, toy_models: dict[str, TrainingResult], kind: str
    ) -> None:
        result = toy_models[kind].model.assess(RISKY, top=2)
        assert 1 <= len(result.factors) <= 2
        points = [f.points for f in result.factors]
        assert points == sorted(points, reverse=True)
        assert min(points) > 0
        assert "ltv" in [f.feature for f in result.factors]

    def test_score_is_consistent_with_pd(self, toy_models: dict[str, TrainingResult]) -> None:
        model = toy_models["gbm"].model
        result = model.assess(RISKY)
        assert result.score == pytest.approx(float(model.scaling.score(np.array([result.pd]))[0]))

    def test_no_factors_when_top_is_zero(self, toy_models: dict[str, TrainingResult]) -> None:
        assert toy_models["scorecard"].model.assess(RISKY, top=0).factors == ()

    def test_labels_name_the_factors(self, toy_models: dict[str, TrainingResult]) -> None:
        model = toy_models["scorecard"].model
        labelled = CreditModel(
            kind="scorecard",
            schema=model.schema,
            scaling=model.scaling,
            grades=model.grades,
            scorecard=model.table,
            labels={"ltv": FeatureLabel("loan to value", "贷款价值比")},
        )
        factor = next(f for f in labelled.assess(RISKY).factors if f.feature == "ltv")
        assert factor.label == FeatureLabel("loan to value", "贷款价值比")
        assert factor.to_json()["label_zh"] == "贷款价值比"


class TestAssessInOnePass:
    @pytest.mark.parametrize("kind", KINDS)
    def test_reasons_from_one_pass_match_the_separate_calls(
        self, toy_models: dict[str, TrainingResult], kind: str
    ) -> None:
        model = toy_models[kind].model
        x = encode(pd.DataFrame([RISKY]), model.schema)
        with_reasons, plain = model.assess(RISKY, top=3), model.assess(RISKY, top=0)
        assert with_reasons.pd == pytest.approx(float(model.pd_matrix(x)[0]), rel=1e-12)
        assert with_reasons.pd == pytest.approx(plain.pd, rel=1e-12)
        points = model.adverse_points(x)[0]
        for factor in with_reasons.factors:
            index = model.schema.names.index(factor.feature)
            assert factor.points == pytest.approx(float(points[index]), rel=1e-12)


class TestScoreBatch:
    @pytest.mark.parametrize("kind", KINDS)
    def test_batch_matches_single(self, toy_models: dict[str, TrainingResult], kind: str) -> None:
        model = toy_models[kind].model
        batch = model.score_batch(pd.DataFrame([RISKY, SAFE]), top=2)
        single = [model.assess(r, top=2) for r in (RISKY, SAFE)]
        assert np.allclose(batch.pd, [s.pd for s in single])
        assert np.allclose(batch.score, [s.score for s in single])
        assert batch.grade.tolist() == [s.grade for s in single]
        assert batch.factors is not None
        assert batch.factors[0, 0] == single[0].factors[0].feature

    @pytest.mark.parametrize("kind", KINDS)
    def test_reasons_leave_pd_unchanged_and_name_the_worst_inputs(
        self, toy_models: dict[str, TrainingResult], toy_frame: pd.DataFrame, kind: str
    ) -> None:
        model = toy_models[kind].model
        plain = model.score_batch(toy_frame)
        explained = model.score_batch(toy_frame, top=2)
        assert np.allclose(explained.pd, plain.pd, rtol=0, atol=1e-9)
        assert explained.grade.tolist() == plain.grade.tolist()
        adverse = model.adverse_points(encode(toy_frame, model.schema))
        names = np.asarray(model.schema.names)
        assert explained.factors is not None
        worst = names[np.argmax(adverse, axis=1)]
        hurt = adverse.max(axis=1) > 1e-9
        assert (explained.factors[hurt, 0] == worst[hurt]).all()
        assert (explained.factors[~hurt, 0] == "").all()

    def test_blend_lies_between_its_parts(
        self, toy_models: dict[str, TrainingResult], toy_frame: pd.DataFrame
    ) -> None:
        blend = toy_models["blend"].model
        x = encode(toy_frame.head(50), blend.schema)
        sc = blend.scaling.pd(blend.scorecard.score(x))  # type: ignore[union-attr]
        gb = blend.booster.calibrator.apply(blend.booster.log_odds(x))  # type: ignore[union-attr]
        pd_blend = blend.pd_matrix(x)
        assert np.all(pd_blend >= np.minimum(sc, gb) - 1e-12)
        assert np.all(pd_blend <= np.maximum(sc, gb) + 1e-12)


class TestFiles:
    @pytest.mark.parametrize("kind", KINDS)
    def test_round_trip(
        self, toy_models: dict[str, TrainingResult], toy_frame: pd.DataFrame, kind: str
    ) -> None:
        model = toy_models[kind].model
        again = CreditModel.from_files(model.to_files(), name="m", version="7")
        assert again.ref == "m@7"
        assert np.allclose(again.score_batch(toy_frame).pd, model.score_batch(toy_frame).pd)

    def test_file_names_per_kind(self, toy_models: dict[str, TrainingResult]) -> None:
        names = {k: set(toy_models[k].model.to_files()) for k in KINDS}
        assert names["scorecard"] == {"model.json", "points.json", "points.csv"}
        assert names["gbm"] == {"model.json", "booster.txt", "calibrator.json"}
        assert names["blend"] == names["scorecard"] | names["gbm"]

    def test_missing_file(self, toy_models: dict[str, TrainingResult]) -> None:
        files = toy_models["gbm"].model.to_files()
        del files["booster.txt"]
        with pytest.raises(ValueError, match=r"booster\.txt is missing"):
            CreditModel.from_files(files)

    def test_bad_json(self) -> None:
        with pytest.raises(ValueError, match="not valid JSON"):
            CreditModel.from_files({"model.json": b"{nope"})

    def test_wrong_format(self) -> None:
        with pytest.raises(ValueError, match="format"):
            CreditModel.from_files({"model.json": b'{"format": "x"}'})


class TestConstructor:
    def test_kind_needs_its_parts(self, toy_models: dict[str, TrainingResult]) -> None:
        model = toy_models["scorecard"].model
        with pytest.raises(ValueError, match="needs a booster"):
            CreditModel(
                kind="gbm", schema=model.schema, scaling=ScoreScaling(), grades=GradeScale()
            )
        with pytest.raises(ValueError, match="unknown model kind"):
            CreditModel(
                kind="forest",
                schema=model.schema,
                scaling=ScoreScaling(),  # type: ignore[arg-type]
                grades=GradeScale(),
            )
