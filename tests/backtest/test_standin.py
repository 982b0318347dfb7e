from __future__ import annotations

import numpy as np
import pandas as pd

from autolease.backtest.book import left_join
from autolease.backtest.standin import (
    _stack,
    _standardise,
    device_seen,
    grade_of,
    score_of,
    standin_scores,
)
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


class TestDesign:
    def test_stack_is_column_stack(self) -> None:
        columns = [pd.Series([1.0, 2.0, 3.0]), np.array([4, 5, 6]), pd.Series([True, False, True])]
        stacked = _stack(columns)
        assert stacked.flags.c_contiguous
        np.testing.assert_array_equal(stacked, np.column_stack(columns).astype("float64"))

    def test_standardise_zeroes_non_finite_values_and_scales_to_the_bit(self) -> None:
        x = np.random.default_rng(5).lognormal(size=(1_000, 4))
        x[[3, 10, 20], [0, 1, 2]] = [np.nan, np.inf, -np.inf]
        clean = np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)
        expected = (clean - clean.mean(axis=0)) / (clean.std(axis=0) + 1e-9)
        assert np.array_equal(_standardise(x.copy()), expected)

    def test_device_seen_counts_earlier_applications_of_a_device(self) -> None:
        book = pd.DataFrame(
            {
                "application_id": [4, 1, 3, 2, 5],
                "device_fingerprint": pd.array(["a", "a", None, None, "b"], dtype="str"),
            },
            index=[10, 11, 12, 13, 14],
        )
        seen = device_seen(book)
        assert seen.index.tolist() == [10, 11, 12, 13, 14]
        assert seen.tolist() == [1, 0, 1, 0, 0]


class TestScoresJoin:
    def test_scores_in_book_order_are_joined_like_a_merge(self, book: pd.DataFrame) -> None:
        scores = standin_scores(book)
        expected = book.merge(scores, on="application_id", how="left")
        pd.testing.assert_frame_equal(
            left_join(book, scores, "application_id"), expected, check_exact=True
        )

    def test_scores_in_another_order_are_merged(self, book: pd.DataFrame) -> None:
        scores = standin_scores(book).iloc[::-1]
        joined = left_join(book, scores, "application_id")
        pd.testing.assert_frame_equal(joined, book.merge(scores, on="application_id", how="left"))
        assert joined["credit_pd"].tolist() == scores["credit_pd"].tolist()[::-1]
