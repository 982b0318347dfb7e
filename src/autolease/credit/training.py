"""Fit a `CreditModel` of any kind from an encoded matrix (pure: arrays in, model out).

The same function serves the CLI (any CSV), the synthetic-book trainer and the benchmarks,
so a model is always built the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from autolease.credit import metrics
from autolease.credit.binning import ScorecardPD
from autolease.credit.calibration import Method, logit, sigmoid
from autolease.credit.encoding import InputSchema, encode
from autolease.credit.gbm import BoosterModel, GradientBoostingPD
from autolease.credit.model import CreditModel, FeatureLabel, Kind
from autolease.credit.scaling import GradeScale, ScoreScaling
from autolease.credit.tabular import binary_target, infer_schema, level_warnings, resolve_column

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class TrainOptions:
    """How to train: the kind, the scale and grades, and each learner's knobs.

    ``blend_weight`` is the scorecard's weight in a blend; None chooses it out of fold (the
    weight on a grid of 0.05 whose blend of the scorecard's and the GBM's out-of-fold
    log-odds has the lowest log-loss).
    """

    kind: Kind = "gbm"
    scaling: ScoreScaling = field(default_factory=ScoreScaling)
    grades: GradeScale = field(default_factory=GradeScale)
    blend_weight: float | None = None
    calibration: Method = "platt"
    seed: int = 0
    scorecard: Mapping[str, Any] = field(default_factory=dict)
    gbm: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "scaling": self.scaling.to_json(),
            "grade_pd_cutoffs": list(self.grades.pd_cutoffs),
            "blend_weight": self.blend_weight,
            "calibration": self.calibration,
            "seed": self.seed,
            "scorecard": dict(self.scorecard),
            "gbm": dict(self.gbm),
        }


@dataclass(frozen=True)
class TrainingResult:
    """The model and what training learnt about it."""

    model: CreditModel
    train: metrics.Evaluation
    holdout: metrics.Evaluation | None
    binning: list[dict[str, Any]] | None
    n_rounds: int | None
    holdout_pd: F64 | None = None
    left_out: Mapping[str, str] = field(default_factory=dict)


def fit_credit_model(
    x: F64,
    y: Any,
    schema: InputSchema,
    options: TrainOptions,
    *,
    labels: Mapping[str, FeatureLabel] | None = None,
    monotone: Mapping[str, int] | None = None,
) -> TrainingResult:
    """Train a scorecard, a gradient-boosting model or a blend of both.

    Parameters
    ----------
    x : ndarray of float64, shape (n, p)
        Encoded inputs (`tabular.encode`).
    y : array-like of {0, 1}
        1 = bad.
    schema : InputSchema
    options : TrainOptions
    labels : mapping of str to FeatureLabel
        Names of inputs for reason texts (default: the input's own name).
    monotone : mapping of str to int
        Declared directions: +1 higher is riskier, −1 higher is safer.

    Returns
    -------
    TrainingResult
    """
    target = np.asarray(y, dtype=np.int8)
    if len(target) != x.shape[0]:
        raise ValueError("x and y have different numbers of rows")
    if target.min() == target.max():
        raise ValueError("the target has a single class")
    directions = dict(monotone or {})
    table = binning = booster = None
    holdout = holdout_pd = None
    n_rounds = None
    left_out: dict[str, str] = {}
    if options.kind in ("scorecard", "blend"):
        sc = ScorecardPD(scaling=options.scaling, monotone=directions, **options.scorecard)
        sc.fit(x, target, schema)
        table, binning = sc.table_, sc.report_
    if options.kind in ("gbm", "blend"):
        params = {"calibration": options.calibration, "seed": options.seed, **options.gbm}
        gbm = GradientBoostingPD(monotone=directions, **params).fit(x, target, schema)
        booster = BoosterModel(gbm.booster_, gbm.calibrator_)
        holdout, n_rounds, left_out = gbm.holdout_, gbm.n_rounds_, gbm.left_out_
        holdout_pd = gbm.holdout_pd_ if options.kind == "gbm" else None
    weight = 0.5 if options.blend_weight is None else options.blend_weight
    if options.kind == "blend" and options.blend_weight is None:
        weight = choose_blend_weight(sc.oof_logit_, gbm.holdout_pd_, target)
    model = CreditModel(
        kind=options.kind,
        schema=schema,
        scaling=options.scaling,
        grades=options.grades,
        labels=labels,
        scorecard=table,
        booster=booster,
        blend_weight=weight,
    )
    train = metrics.evaluate(target, model.pd_matrix(x))
    if options.kind != "gbm":
        holdout = None  # the booster's cross-fit is not the blend's
    return TrainingResult(model, train, holdout, binning, n_rounds, holdout_pd, left_out)


BLEND_GRID = np.round(np.linspace(0.0, 1.0, 21), 2)


def choose_blend_weight(scorecard_log_odds: F64, gbm_pd: F64, y: Any) -> float:
    """The scorecard's weight whose out-of-fold blend has the lowest log-loss.

    Parameters
    ----------
    scorecard_log_odds : ndarray of float64
        The scorecard's out-of-fold log-odds (its inner cross-validation).
    gbm_pd : ndarray of float64
        The GBM's out-of-fold PDs (its cross-fit).
    y : array-like of {0, 1}

    Returns
    -------
    float
        On a grid of 0.05 from 0 (the GBM alone) to 1 (the scorecard alone).
    """
    gbm_log_odds = logit(gbm_pd)
    losses = [
        metrics.log_loss(y, sigmoid(w * scorecard_log_odds + (1 - w) * gbm_log_odds))
        for w in BLEND_GRID
    ]
    return float(BLEND_GRID[int(np.argmin(losses))])


@dataclass(frozen=True)
class PreparedData:
    """A frame made ready to train on: encoded inputs, target, schema and what was dropped."""

    x: F64
    y: npt.NDArray[np.int8]
    schema: InputSchema
    target: str
    bad_label: str
    dropped_columns: dict[str, str]
    dropped_rows: int
    warnings: tuple[str, ...] = ()


def prepare(
    frame: pd.DataFrame, target: str, bad_value: str | None, *, drop: Sequence[str] = ()
) -> PreparedData:
    """Resolve the target, infer the input schema and encode a training frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        From `tabular.parse_table` or any frame of numbers and text.
    target : str
        Target column name or index (see `tabular.resolve_column`).
    bad_value : str or None
        The target value meaning bad (inferred for common encodings when None).
    drop : sequence of str
        Columns to leave out (names or indices).

    Returns
    -------
    PreparedData
    """
    target_name = resolve_column(frame, target)
    excluded = [target_name, *(resolve_column(frame, d) for d in drop)]
    tgt = binary_target(frame[target_name], bad_value)
    kept = frame.loc[tgt.keep].reset_index(drop=True)
    schema, dropped = infer_schema(kept, exclude=excluded)
    return PreparedData(
        x=encode(kept, schema),
        y=tgt.y,
        schema=schema,
        target=target_name,
        bad_label=tgt.bad_label,
        dropped_columns=dropped,
        dropped_rows=int((~tgt.keep).sum()),
        warnings=tuple(level_warnings(kept, schema)),
    )
