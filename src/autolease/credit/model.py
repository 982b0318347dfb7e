"""The serving credit model: inputs → PD, score, grade and the top adverse factors (pure).

A `CreditModel` is one of three kinds, all scored from native, reviewable files:

- ``scorecard``: a `PointsTable` (JSON); score = base points + Σ points, PD from the scale;
- ``gbm``: a LightGBM text model plus a JSON calibrator; score from the PD on the same scale;
- ``blend``: both, PD = sigmoid(w · logit(PD_scorecard) + (1 − w) · logit(PD_gbm)).

Adverse factors are measured in score points so every kind explains itself the same way:
for a scorecard, the points a variable's bin loses against that variable's best bin; for
gradient boosting, ``factor × max(SHAP log-odds contribution, 0)`` (LightGBM
``pred_contrib``); a blend weights the two. Only inputs that cost points are reasons.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from autolease.credit.calibration import Calibrator, logit, sigmoid
from autolease.credit.encoding import InputSchema, encode, encode_row
from autolease.credit.gbm import BoosterModel
from autolease.credit.scaling import GradeScale, ScoreScaling
from autolease.credit.scorecard import CompiledScorecard, PointsTable

F64 = npt.NDArray[np.float64]
Kind = Literal["scorecard", "gbm", "blend"]
KINDS: tuple[Kind, ...] = ("scorecard", "gbm", "blend")
FORMAT = "autolease.credit_model/1"
MODEL_FILE = "model.json"
POINTS_JSON = "points.json"
POINTS_CSV = "points.csv"
BOOSTER_FILE = "booster.txt"
CALIBRATOR_FILE = "calibrator.json"


@dataclass(frozen=True)
class FeatureLabel:
    """How a model input is named to people (reason texts)."""

    en: str
    zh: str


@dataclass(frozen=True)
class Factor:
    """One adverse factor: the input and the score points it costs."""

    feature: str
    points: float
    label: FeatureLabel

    def to_json(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "points": round(self.points, 2),
            "label_en": self.label.en,
            "label_zh": self.label.zh,
        }


@dataclass(frozen=True)
class CreditAssessment:
    """The model's view of one application."""

    pd: float
    score: float
    grade: str
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class BatchScores:
    """PD, score and grade for a batch; ``factors`` holds the top adverse input names."""

    pd: F64
    score: F64
    grade: npt.NDArray[np.str_]
    factors: npt.NDArray[np.str_] | None = None


class CreditModel:
    """A loaded credit model (see the module docstring for the three kinds)."""

    def __init__(
        self,
        *,
        kind: Kind,
        schema: InputSchema,
        scaling: ScoreScaling,
        grades: GradeScale,
        labels: Mapping[str, FeatureLabel] | None = None,
        scorecard: PointsTable | None = None,
        booster: BoosterModel | None = None,
        blend_weight: float = 0.5,
        name: str = "credit",
        version: str = "0",
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown model kind {kind!r}")
        if kind in ("scorecard", "blend") and scorecard is None:
            raise ValueError(f"a {kind} model needs a points table")
        if kind in ("gbm", "blend") and booster is None:
            raise ValueError(f"a {kind} model needs a booster")
        if not 0.0 <= blend_weight <= 1.0:
            raise ValueError("blend_weight must be in [0, 1]")
        self.kind = kind
        self.schema = schema
        self.scaling = scaling
        self.grades = grades
        self.labels = dict(labels or {})
        self.table = scorecard
        self.scorecard = CompiledScorecard(scorecard, schema) if scorecard is not None else None
        self.booster = booster
        self.blend_weight = blend_weight
        self.name = name
        self.version = version

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def with_ref(self, name: str, version: str) -> CreditModel:
        """The same model under another name and version."""
        return CreditModel(
            kind=self.kind,
            schema=self.schema,
            scaling=self.scaling,
            grades=self.grades,
            labels=self.labels,
            scorecard=self.table,
            booster=self.booster,
            blend_weight=self.blend_weight,
            name=name,
            version=version,
        )

    # -- scoring --------------------------------------------------------------------------

    def pd_matrix(self, x: F64) -> F64:
        """PDs of encoded rows.

        Parameters
        ----------
        x : ndarray of float64, shape (n, p)

        Returns
        -------
        ndarray of float64
        """
        log_odds = None if self.kind == "scorecard" else self._booster().log_odds(x)
        return self._pd_from(x, log_odds)

    def _pd_from(self, x: F64, gbm_log_odds: F64 | None) -> F64:
        if gbm_log_odds is None:
            return self.scaling.pd(self._scorecard().score(x))
        gbm_pd = self._booster().calibrator.apply(gbm_log_odds)
        if self.kind == "gbm":
            return gbm_pd
        sc_pd = self.scaling.pd(self._scorecard().score(x))
        w = self.blend_weight
        return sigmoid(w * logit(sc_pd) + (1 - w) * logit(gbm_pd))

    def score_matrix(self, x: F64) -> F64:
        """Scores of encoded rows (for a scorecard exactly base points + Σ points)."""
        if self.kind == "scorecard":
            return self._scorecard().score(x)
        return self.scaling.score(self.pd_matrix(x))

    def adverse_points(self, x: F64) -> F64:
        """Score points each input costs, shape (n, p); 0 for inputs that do not hurt.

        Parameters
        ----------
        x : ndarray of float64, shape (n, p)

        Returns
        -------
        ndarray of float64
        """
        contributions = None if self.kind == "scorecard" else self._booster().contributions(x)
        return self._adverse_from(x, contributions)

    def _adverse_from(self, x: F64, gbm_contributions: F64 | None) -> F64:
        if gbm_contributions is None:
            return self._scorecard().points_lost(x)
        gbm = np.maximum(gbm_contributions, 0.0) * self.scaling.factor
        if self.kind == "gbm":
            return gbm
        w = self.blend_weight
        return w * self._scorecard().points_lost(x) + (1 - w) * gbm

    def assess(self, values: Mapping[str, Any], *, top: int = 3) -> CreditAssessment:
        """PD, score, grade and the `top` adverse factors of one record.

        Parameters
        ----------
        values : mapping of str to Any
            Model inputs by name; absent or missing values score as missing.
        top : int

        Returns
        -------
        CreditAssessment
        """
        x = encode_row(values, self.schema)
        if self.kind == "scorecard" or top <= 0:
            pd_value = float(self.pd_matrix(x)[0])
            adverse = self.adverse_points(x) if top > 0 else None
        else:  # one TreeSHAP pass gives the log-odds and the reasons
            log_odds, contributions = self._booster().explain(x)
            pd_value = float(self._pd_from(x, log_odds)[0])
            adverse = self._adverse_from(x, contributions)
        score = float(self.score_matrix(x)[0]) if self.kind == "scorecard" else None
        if score is None:
            score = float(self.scaling.score(np.array([pd_value]))[0])
        factors = self._factors(adverse[0], top) if adverse is not None else ()
        return CreditAssessment(pd_value, score, self.grades.grade_one(pd_value), factors)

    def _factors(self, points: F64, top: int) -> tuple[Factor, ...]:
        order = np.argsort(-points, kind="stable")[:top]
        names = self.schema.names
        return tuple(
            Factor(names[j], float(points[j]), self.label(names[j]))
            for j in order
            if points[j] > 1e-9
        )

    def label(self, feature: str) -> FeatureLabel:
        return self.labels.get(feature, FeatureLabel(feature, feature))

    def score_batch(self, data: Any, *, top: int = 0) -> BatchScores:
        """PD, score and grade of every row of a frame or a mapping of columns.

        Parameters
        ----------
        data : pandas.DataFrame or mapping of str to array-like
        top : int
            When positive, also the names of the `top` adverse inputs of each row.

        Returns
        -------
        BatchScores
        """
        x = encode(data, self.schema)
        return self.score_encoded(x, top=top)

    def score_encoded(self, x: F64, *, top: int = 0) -> BatchScores:
        """`score_batch` on an already encoded matrix (see `tabular.encode`)."""
        if self.kind == "scorecard":
            card = self._scorecard()
            points = card.points(x)
            score = card.table.base_points + points.sum(axis=1)
            pd_values = self.scaling.pd(score)
            lost = card.lost_from_points(points, x.shape[1]) if top > 0 else None
        elif top > 0:
            pd_values, lost = self._pd_and_adverse(x)
            score = self.scaling.score(pd_values)
        else:
            pd_values = self.pd_matrix(x)
            score = self.scaling.score(pd_values)
            lost = None
        factors = None if lost is None else self._top_names(lost, top)
        return BatchScores(pd_values, score, self.grades.grade(pd_values), factors)

    def _pd_and_adverse(self, x: F64) -> tuple[F64, F64]:
        """PD and adverse points of a model with a booster from one pass over its trees."""
        log_odds, contrib = self._booster().explain(x)
        gbm_pd = self._booster().calibrator.apply(log_odds)
        gbm = np.maximum(contrib, 0.0) * self.scaling.factor
        if self.kind == "gbm":
            return gbm_pd, gbm
        card, w = self._scorecard(), self.blend_weight
        points = card.points(x)
        sc_pd = self.scaling.pd(card.table.base_points + points.sum(axis=1))
        blended = sigmoid(w * logit(sc_pd) + (1 - w) * logit(gbm_pd))
        return blended, w * card.lost_from_points(points, x.shape[1]) + (1 - w) * gbm

    def _top_names(self, lost: F64, top: int) -> npt.NDArray[np.str_]:
        k = min(top, lost.shape[1])
        part = np.argpartition(-lost, k - 1, axis=1)[:, :k]
        vals = np.take_along_axis(lost, part, axis=1)
        order = np.take_along_axis(part, np.argsort(-vals, axis=1, kind="stable"), axis=1)
        names = np.asarray(self.schema.names)[order]
        hurt = np.take_along_axis(lost, order, axis=1) > 1e-9
        return np.asarray(np.where(hurt, names, ""))

    def _scorecard(self) -> CompiledScorecard:
        if self.scorecard is None:
            raise ValueError("this model has no scorecard")
        return self.scorecard

    def _booster(self) -> BoosterModel:
        if self.booster is None:
            raise ValueError("this model has no booster")
        return self.booster

    # -- files ----------------------------------------------------------------------------

    def to_files(self) -> dict[str, bytes]:
        """The model as native files (JSON, CSV, LightGBM text); nothing is pickled."""
        head = {
            "format": FORMAT,
            "kind": self.kind,
            "schema": self.schema.to_json(),
            "scaling": self.scaling.to_json(),
            "grade_pd_cutoffs": list(self.grades.pd_cutoffs),
            "labels": {k: {"en": v.en, "zh": v.zh} for k, v in sorted(self.labels.items())},
            "blend_weight": self.blend_weight,
        }
        files = {MODEL_FILE: _json_bytes(head)}
        if self.table is not None:
            files[POINTS_JSON] = _json_bytes(self.table.to_json())
            files[POINTS_CSV] = self.table.to_csv().encode("utf-8")
        if self.booster is not None:
            files[BOOSTER_FILE] = self.booster.to_text().encode("utf-8")
            files[CALIBRATOR_FILE] = _json_bytes(self.booster.calibrator.to_json())
        return files

    @classmethod
    def from_files(
        cls, files: Mapping[str, bytes], *, name: str = "credit", version: str = "0"
    ) -> CreditModel:
        """Rebuild a model from `to_files` output (hashes are the registry's job).

        Raises
        ------
        ValueError
            A file is missing or malformed.
        """
        head = _json(files, MODEL_FILE)
        if head.get("format") != FORMAT:
            raise ValueError(f"{MODEL_FILE} is not of format {FORMAT}")
        kind = head.get("kind")
        if kind not in KINDS:
            raise ValueError(f"unknown model kind {kind!r}")
        table = PointsTable.from_json(_json(files, POINTS_JSON)) if kind != "gbm" else None
        booster = None
        if kind != "scorecard":
            text = _file(files, BOOSTER_FILE).decode("utf-8")
            booster = BoosterModel.from_text(
                text, Calibrator.from_json(_json(files, CALIBRATOR_FILE))
            )
        labels = {k: FeatureLabel(str(v["en"]), str(v["zh"])) for k, v in head["labels"].items()}
        return cls(
            kind=kind,
            schema=InputSchema.from_json(head["schema"]),
            scaling=ScoreScaling.from_json(head["scaling"]),
            grades=GradeScale(tuple(float(c) for c in head["grade_pd_cutoffs"])),
            labels=labels,
            scorecard=table,
            booster=booster,
            blend_weight=float(head.get("blend_weight", 0.5)),
            name=name,
            version=version,
        )


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode()


def _file(files: Mapping[str, bytes], name: str) -> bytes:
    if name not in files:
        raise ValueError(f"model file {name} is missing")
    return files[name]


def _json(files: Mapping[str, bytes], name: str) -> dict[str, Any]:
    try:
        data = json.loads(_file(files, name).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"model file {name} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"model file {name} must hold a JSON object")
    return data
