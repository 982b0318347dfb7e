from __future__ import annotations

import numpy as np
import pandas as pd

from autolease.backtest.standin import grade_of, score_of, standin_scores
from autolease.synth.report import auc


class TestStandinScores:
    def test_scores_every_application_with_some_discrimination(self, book: pd.DataFrame) -> None:
        scores = standin_scores(book)
        assert scores["application_id"].tolist() == book["application_id"].tolist()
        assert scores["credit_pd"].between(0, 1).all()
        assert scores["fraud_score"].between(0, 1).all()
        assert set(scores["credit_grade"]) <= set("ABCDE")
        latent = book["latent_default_flag"].to_numpy()
        assert auc(scores["credit_pd"].to_numpy(), latent) > 0.65

    def test_is_deterministic(self, book: pd.DataFrame) -> None:
        pd.testing.assert_frame_equal(standin_scores(book), standin_scores(book))


class TestGradesAndPoints:
    def test_grade_cuts(self) -> None:
        pds = np.array([0.0, 0.0299, 0.03, 0.06, 0.0999, 0.18, 0.9])
        assert grade_of(pds).tolist() == ["A", "A", "B", "C", "C", "E", "E"]

    def test_fifty_points_double_the_odds(self) -> None:
        odds_19, odds_38 = 1 / 20, 1 / 39
        assert score_of(np.array([odds_19, odds_38])).tolist() == [600, 650]
