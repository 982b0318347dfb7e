"""Score scaling (base score, base odds, points to double the odds) and A–E grades (pure).

``score = offset + factor · ln(good:bad odds)`` with ``factor = pdo / ln 2`` and
``offset = base_score − factor · ln(base_odds)``: at the default 600 points the odds are
50:1, and every 20 points more doubles them.

>>> s = ScoreScaling()
>>> round(float(s.score(np.array([1 / 51]))[0]), 6)
600.0
>>> round(float(s.pd(s.score(np.array([0.2])))[0]), 6)
0.2
>>> GradeScale().grade(np.array([0.01, 0.07, 0.5])).tolist()
['A', 'C', 'E']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.credit.calibration import logit, sigmoid
from autolease.credit.grades import DEFAULT_PD_CUTOFFS, GRADES

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ScoreScaling:
    """Points scale of the score (the same for scorecards and gradient boosting)."""

    base_score: float = 600.0
    base_odds: float = 50.0
    pdo: float = 20.0

    def __post_init__(self) -> None:
        if self.pdo <= 0 or self.base_odds <= 0:
            raise ValueError("pdo and base_odds must be positive")

    @property
    def factor(self) -> float:
        return self.pdo / math.log(2.0)

    @property
    def offset(self) -> float:
        return self.base_score - self.factor * math.log(self.base_odds)

    def score(self, pd: Any) -> F64:
        """Score for PDs.

        Parameters
        ----------
        pd : array-like of float in (0, 1)

        Returns
        -------
        ndarray of float64
        """
        return np.asarray(self.offset - self.factor * logit(pd), dtype=np.float64)

    def pd(self, score: Any) -> F64:
        """PD for scores (inverse of `score`).

        Parameters
        ----------
        score : array-like of float

        Returns
        -------
        ndarray of float64
        """
        arr = np.asarray(score, dtype=np.float64)
        return sigmoid((self.offset - arr) / self.factor)

    def to_json(self) -> dict[str, float]:
        return {"base_score": self.base_score, "base_odds": self.base_odds, "pdo": self.pdo}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScoreScaling:
        return cls(float(data["base_score"]), float(data["base_odds"]), float(data["pdo"]))


@dataclass(frozen=True)
class GradeScale:
    """PD upper bounds of grades A–D; anything above the last bound is E."""

    pd_cutoffs: tuple[float, ...] = DEFAULT_PD_CUTOFFS

    def __post_init__(self) -> None:
        cuts = list(self.pd_cutoffs)
        if len(cuts) != len(GRADES) - 1:
            raise ValueError(f"give {len(GRADES) - 1} PD cut-offs (upper bounds of A-D)")
        if cuts != sorted(cuts) or not all(0 < c < 1 for c in cuts):
            raise ValueError("PD cut-offs must increase strictly inside (0, 1)")

    def grade(self, pd: Any) -> npt.NDArray[np.str_]:
        """Grades for PDs: A below the first cut-off … E at or above the last.

        Parameters
        ----------
        pd : array-like of float

        Returns
        -------
        ndarray of str
        """
        index = np.searchsorted(np.asarray(self.pd_cutoffs), np.asarray(pd), side="right")
        return np.asarray(GRADES)[index]

    def grade_one(self, pd: float) -> str:
        for label, cut in zip(GRADES, self.pd_cutoffs, strict=False):
            if pd < cut:
                return label
        return GRADES[-1]
