"""Tests for autolease.credit.scaling."""

from __future__ import annotations

import numpy as np
import pytest

from autolease.credit.scaling import GradeScale, ScoreScaling


class TestScoreScaling:
    def test_base_score_at_base_odds(self) -> None:
        scale = ScoreScaling(base_score=600, base_odds=50, pdo=20)
        assert scale.score(np.array([1 / 51]))[0] == pytest.approx(600)

    def test_pdo_doubles_the_odds(self) -> None:
        scale = ScoreScaling()
        pd_hi = 1 / 51
        pd_lo = 1 / 101
        diff = scale.score(np.array([pd_lo]))[0] - scale.score(np.array([pd_hi]))[0]
        assert diff == pytest.approx(20)

    def test_pd_is_the_inverse(self) -> None:
        scale = ScoreScaling(500, 20, 40)
        p = np.array([0.03, 0.3, 0.7])
        assert np.allclose(scale.pd(scale.score(p)), p)

    def test_invalid(self) -> None:
        with pytest.raises(ValueError, match="positive"):
            ScoreScaling(pdo=0)


class TestGradeScale:
    def test_boundaries(self) -> None:
        grades = GradeScale((0.02, 0.05, 0.10, 0.20))
        pds = [0.0, 0.0199, 0.02, 0.05, 0.15, 0.2, 0.9]
        assert grades.grade(np.array(pds)).tolist() == ["A", "A", "B", "C", "D", "E", "E"]
        assert [grades.grade_one(p) for p in pds] == ["A", "A", "B", "C", "D", "E", "E"]

    @pytest.mark.parametrize("cuts", [(0.1, 0.05, 0.2, 0.3), (0.1, 0.2), (0.0, 0.1, 0.2, 0.3)])
    def test_invalid(self, cuts: tuple[float, ...]) -> None:
        with pytest.raises(ValueError, match="cut-offs"):
            GradeScale(cuts)
