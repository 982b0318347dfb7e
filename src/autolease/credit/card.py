"""The credit model's card facts: held-out figures computed honestly, then the card (pure).

A GBM's own cross-fit (every row scored by a booster that did not see it) is its held-out
figure. A scorecard or a blend has none, so `held_out` refits the same training code on
K−1 folds and scores the K-th (an outer cross-fit); in-sample figures are never relabelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.credit import metrics
from autolease.credit.encoding import InputSchema
from autolease.credit.model import FeatureLabel
from autolease.credit.training import TrainingResult, TrainOptions, fit_credit_model
from autolease.ml.card import card_facts, figures, top_importance

F64 = npt.NDArray[np.float64]
FOLDS = 5
PURPOSE = (
    "Probability of default (PD), score and grade of a used-car finance lease application,"
    " read by the origination policy."
)
OUTSIDE_PURPOSE = (
    "Probability of default (PD), score and grade learnt from an outside table; it serves"
    " origination only if its inputs pass the compatibility gate."
)
LIMITS = (
    "Trained on the outcomes of approved applications only (no reject inference).",
    "The PD is calibrated on the training population; a change of mix shifts it.",
    "Categories unseen in training score as the column's 'rare or unseen' level (a declared"
    " vocabulary's as missing); check `unseen_levels` when scoring new data.",
)


@dataclass(frozen=True)
class HeldOut:
    """A held-out figure, the sample it comes from and its PDs (``key``: the manifest's name)."""

    sample: str
    evaluation: metrics.Evaluation
    pd: F64
    key: str = "holdout_cross_fit"


def out_of_time(
    result: TrainingResult, x: F64, y: Any, *, column: str, cutoff: str, train_rows: int
) -> HeldOut:
    """The figure of `result`'s own model on the later rows it was not trained on."""
    target = np.asarray(y, dtype=np.int8)
    pd_values = result.model.pd_matrix(x)
    sample = (
        f"out of time: the {len(target)} rows with {column} >= {cutoff}; the model was"
        f" trained on the {train_rows} earlier rows only"
    )
    return HeldOut(sample, metrics.evaluate(target, pd_values), pd_values, "holdout_out_of_time")


def held_out(
    result: TrainingResult,
    x: Any,
    y: Any,
    schema: InputSchema,
    options: TrainOptions,
    *,
    labels: Mapping[str, FeatureLabel] | None = None,
    monotone: Mapping[str, int] | None = None,
) -> HeldOut:
    """The held-out figure of `result`: its own cross-fit, or an outer one."""
    if result.holdout is not None and result.holdout_pd is not None:
        folds = int(options.gbm.get("inner_folds", FOLDS))
        sample = f"cross-fit, {folds} folds (out-of-fold scores; calibrator fitted on them)"
        return HeldOut(sample, result.holdout, result.holdout_pd)
    from sklearn.model_selection import StratifiedKFold

    target = np.asarray(y, dtype=np.int8)
    oof = np.zeros(len(target))
    splitter = StratifiedKFold(FOLDS, shuffle=True, random_state=options.seed)
    for train, valid in splitter.split(np.zeros(len(target)), target):
        fold = fit_credit_model(
            x[train], target[train], schema, options, labels=labels, monotone=monotone
        )
        oof[valid] = fold.model.pd_matrix(x[valid])
    sample = f"cross-fit, {FOLDS} folds (the same training code refitted on each 4/5)"
    return HeldOut(sample, metrics.evaluate(target, oof), oof)


def _importance(result: TrainingResult) -> list[dict[str, Any]]:
    if result.binning:
        ivs = {row["variable"]: float(row["iv"]) for row in result.binning}
        return top_importance(ivs, "iv")
    booster = result.model.booster
    if booster is None:
        return []
    gains = booster.booster.feature_importance(importance_type="gain")
    names = booster.booster.feature_name()
    total = float(np.sum(gains)) or 1.0
    return top_importance(dict(zip(names, gains / total, strict=True)), "gain_share")


def _calibration(y: Any, pd: F64, sample: str) -> dict[str, Any]:
    target = np.asarray(y, dtype=np.float64)
    order = np.argsort(pd, kind="stable")
    rows = []
    for i, part in enumerate(np.array_split(order, 5), start=1):
        if len(part):
            rows.append({"quintile": i, "rows": len(part), "mean_pd": float(np.mean(pd[part])),
                         "bad_rate": float(np.mean(target[part]))})  # fmt: skip
    return {"sample": sample, "rows": rows}


def _stability(y: Any, pd: F64, dates: Any, sample: str) -> dict[str, Any] | None:
    if dates is None:
        return None
    import pandas as pd_  # type: ignore[import-untyped,unused-ignore]

    quarters = pd_.PeriodIndex(pd_.to_datetime(np.asarray(dates)), freq="Q").astype(str)
    target = np.asarray(y, dtype=np.int8)
    rows = []
    for quarter in sorted(set(quarters)):
        mask = np.asarray(quarters == quarter)
        auc = metrics.auc(target[mask], pd[mask]) if 0 < target[mask].sum() < mask.sum() else None
        rows.append({"quarter": quarter, "rows": int(mask.sum()),
                     "bad_rate": float(target[mask].mean()), "mean_pd": float(pd[mask].mean()),
                     "auc": "n/a (one class)" if auc is None else float(auc)})  # fmt: skip
    return {"sample": sample, "rows": rows}


def credit_card(
    result: TrainingResult,
    held: HeldOut,
    y: Any,
    *,
    population: str,
    dates: Any = None,
    purpose: str = PURPOSE,
) -> dict[str, Any]:
    """The card facts of a credit model (``ml.card.card_facts``)."""
    return card_facts(
        purpose=purpose,
        population=population,
        held_out=[figures(held.sample, held.evaluation.to_json())],
        in_sample=[figures("in-sample (the training rows)", result.train.to_json())],
        importance=_importance(result),
        calibration=_calibration(y, held.pd, held.sample),
        stability=_stability(y, held.pd, dates, held.sample),
        limits=LIMITS,
    )


def with_held_out(result: TrainingResult, held: HeldOut) -> TrainingResult:
    """`result` with `held` as its hold-out (what the manifest's metrics record)."""
    return replace(result, holdout=held.evaluation, holdout_pd=held.pd)
