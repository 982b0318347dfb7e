"""Fit and evaluate the fraud model (pure: numpy + LightGBM, seeded, deterministic).

`fit_fraud_model` trains a LightGBM binary model on encoded inputs. Ring members can weigh
more (``ring_weight``): rings are the organised fraud the model is for. The refer threshold
is set from **out-of-fold** scores (``folds``-fold cross-fit on the training rows): the
``1 - refer_rate`` quantile, so the share referred out of sample is about ``refer_rate``
(in-sample scores would put it too low). The default 2.8 % leaves a margin under a 3 %
referral budget for drift between the training months and later ones (measured: +0.04 pp
three months out on the synthetic book). The final booster is refitted on all rows.
Fraud rows can weigh more (``fraud_weight``, class weighting): scores then rank, not
estimate probabilities (the threshold comes from the scores, so the referral holds).
`cross_validated_auc` is the tuning yardstick (stratified, repeated; training rows only);
`SMALL_TABLE_OPTIONS` are the settings tuned that way for tables of a few thousand rows.

`evaluate` reports AUC, the share referred at the threshold (or at a given rate), recall of
fraud, of ring members and per fraud pattern.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.fraud.features import FeatureSpec
from autolease.fraud.model import F64, FraudModel, _lgb


@dataclass(frozen=True)
class TrainOptions:
    """LightGBM parameters and the referral budget."""

    learning_rate: float = 0.05
    num_leaves: int = 15
    min_data_in_leaf: int = 40
    feature_fraction: float = 0.7
    bagging_fraction: float = 0.8
    lambda_l2: float = 5.0
    cat_smooth: float = 20.0
    min_data_per_group: int = 50
    max_cat_to_onehot: int = 8
    rounds: int = 300
    ring_weight: float = 3.0
    fraud_weight: float = 1.0
    refer_rate: float = 0.028
    folds: int = 3
    seed: int = 0
    num_threads: int = 1

    def __post_init__(self) -> None:
        if not 0 < self.refer_rate < 1:
            raise ValueError("refer_rate must be in (0, 1)")
        if self.rounds < 1 or self.num_leaves < 2 or self.folds < 2:
            raise ValueError("rounds >= 1, num_leaves >= 2 and folds >= 2")
        if self.ring_weight <= 0 or self.fraud_weight <= 0:
            raise ValueError("ring_weight and fraud_weight must be > 0")

    def params(self) -> dict[str, Any]:
        return {
            "objective": "binary",
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_data_in_leaf,
            "feature_fraction": self.feature_fraction,
            "bagging_fraction": self.bagging_fraction,
            "bagging_freq": 1,
            "lambda_l2": self.lambda_l2,
            "cat_smooth": self.cat_smooth,
            "cat_l2": 10.0,
            "min_data_per_group": self.min_data_per_group,
            "max_cat_to_onehot": self.max_cat_to_onehot,
            "seed": self.seed,
            "deterministic": True,
            "force_col_wise": True,
            "num_threads": self.num_threads,
            "verbosity": -1,
        }

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# Tuned by 5-fold x 2 stratified cross-validation inside the 1994 vehicle-insurance claims
# (6,142 rows, 409 frauds; never on the 1995 test year): small trees with small leaves,
# slow learning, fraud rows weighed 3x. See docs/fraud.md "Measured".
SMALL_TABLE_OPTIONS = TrainOptions(
    learning_rate=0.01, num_leaves=8, min_data_in_leaf=10, feature_fraction=0.7,
    lambda_l2=10.0, cat_smooth=20.0, min_data_per_group=50, max_cat_to_onehot=8, rounds=700,
    fraud_weight=3.0,
)  # fmt: skip


def _train(x: F64, y: F64, w: F64, specs: Sequence[FeatureSpec], options: TrainOptions) -> Any:
    lgb = _lgb()
    cats = [j for j, s in enumerate(specs) if s.dtype == "category"]
    data = lgb.Dataset(
        x, label=y, weight=w, feature_name=[f"f{j}" for j in range(x.shape[1])],
        categorical_feature=cats, free_raw_data=False,
    )  # fmt: skip
    return lgb.train(options.params(), data, num_boost_round=options.rounds)


def _folds(y: F64, k: int, seed: int) -> npt.NDArray[np.int64]:
    """Stratified fold index per row (deterministic)."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(y), dtype=np.int64)
    for label in (0.0, 1.0):
        rows = np.flatnonzero(y == label)
        fold[rows] = rng.permutation(len(rows)) % k
    return fold


def fit_fraud_model(
    x: F64,
    y: npt.ArrayLike,
    specs: Sequence[FeatureSpec],
    options: TrainOptions | None = None,
    *,
    ring: npt.ArrayLike | None = None,
) -> FraudModel:
    """Train the booster and set the refer threshold from out-of-fold scores.

    Parameters
    ----------
    x : ndarray of float64, shape (n, p)
        Encoded inputs (`model.encode`) in `specs` order.
    y : array-like of {0, 1}
        Fraud labels.
    specs : sequence of FeatureSpec
    options : TrainOptions, optional
    ring : array-like of bool, optional
        Ring members (weighted by ``ring_weight``).

    Returns
    -------
    FraudModel
        With ``metrics["oof"]`` (AUC and referral of the cross-fit).
    """
    options = options or TrainOptions()
    target = np.asarray(y, dtype=np.float64)
    if target.sum() < options.folds or (1 - target).sum() < options.folds:
        raise ValueError("too few fraud or non-fraud rows to train")
    members = np.zeros(len(target), bool) if ring is None else np.asarray(ring, dtype=bool)
    weight = _weights(target, members, options)
    oof = _out_of_fold(
        x, target, weight, specs, options, _folds(target, options.folds, options.seed)
    )
    threshold = float(np.quantile(oof, 1 - options.refer_rate))
    booster = _train(x, target, weight, specs, options)
    metrics = {"oof": evaluate(oof, target, members, threshold=threshold), "rows": len(target)}
    return FraudModel(booster, tuple(specs), threshold, metrics, num_threads=options.num_threads)


def _weights(target: F64, members: npt.NDArray[np.bool_], options: TrainOptions) -> F64:
    ring = np.where(members, options.ring_weight, 1.0)
    return ring * np.where(target == 1.0, options.fraud_weight, 1.0)


def _out_of_fold(
    x: F64,
    target: F64,
    weight: F64,
    specs: Sequence[FeatureSpec],
    options: TrainOptions,
    fold: npt.NDArray[np.int64],
) -> F64:
    oof = np.zeros(len(target))
    for k in np.unique(fold).tolist():
        train, valid = fold != k, fold == k
        booster = _train(x[train], target[train], weight[train], specs, options)
        oof[valid] = booster.predict(x[valid], num_threads=options.num_threads)
    return oof


def cross_validated_auc(
    x: F64,
    y: npt.ArrayLike,
    specs: Sequence[FeatureSpec],
    options: TrainOptions | None = None,
    *,
    folds: int = 5,
    repeats: int = 2,
) -> dict[str, float]:
    """Mean and standard error of the per-fold AUC of stratified ``folds``-fold CV, repeated.

    Splits are seeded from ``options.seed``; use it to tune on training rows only.
    """
    options = options or TrainOptions()
    target = np.asarray(y, dtype=np.float64)
    if target.sum() < folds or (1 - target).sum() < folds:
        raise ValueError("too few fraud or non-fraud rows to cross-validate")
    weight = _weights(target, np.zeros(len(target), bool), options)
    scores: list[float] = []
    for repeat in range(repeats):
        fold = _folds(target, folds, options.seed + 1000 + repeat)
        oof = _out_of_fold(x, target, weight, specs, options, fold)
        scores += [auc(target[fold == k], oof[fold == k]) or 0.5 for k in range(folds)]
    spread = float(np.std(scores, ddof=1) / np.sqrt(len(scores))) if len(scores) > 1 else 0.0
    return {"auc": round(float(np.mean(scores)), 4), "se": round(spread, 4), "folds": len(scores)}


# ----------------------------------------------------------------------------- metrics


def auc(y: npt.ArrayLike, score: npt.ArrayLike) -> float | None:
    """Area under the ROC curve (ties averaged); ``None`` with one class only.

    >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    target = np.asarray(y, dtype=bool)
    s = np.asarray(score, dtype=np.float64)
    pos, neg = int(target.sum()), int((~target).sum())
    if pos == 0 or neg == 0:
        return None
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_s = s[order]
    bounds = np.flatnonzero(np.diff(sorted_s)) + 1
    starts = np.concatenate([[0], bounds])
    stops = np.concatenate([bounds, [len(s)]])
    for lo, hi in zip(starts.tolist(), stops.tolist(), strict=True):
        ranks[order[lo:hi]] = (lo + hi + 1) / 2
    return round(float((ranks[target].sum() - pos * (pos + 1) / 2) / (pos * neg)), 6)


def _recall(flag: npt.NDArray[np.bool_], mask: npt.NDArray[np.bool_]) -> float | None:
    return round(float(flag[mask].mean()), 4) if mask.any() else None


def evaluate(
    score: npt.ArrayLike,
    y: npt.ArrayLike,
    ring: npt.ArrayLike | None = None,
    *,
    threshold: float | None = None,
    refer_rate: float | None = None,
    patterns: Sequence[str | None] | None = None,
    extra_flags: npt.ArrayLike | None = None,
) -> dict[str, Any]:
    """Ranking and referral metrics of scores against labels.

    Parameters
    ----------
    score : array-like of float
    y : array-like of {0, 1}
    ring : array-like of bool, optional
        Ring members.
    threshold : float, optional
        Refer at ``score >= threshold``…
    refer_rate : float, optional
        …or refer the top ``refer_rate`` share (one of the two is required).
    patterns : sequence of str or None, optional
        Fraud pattern per row, for recall per pattern.
    extra_flags : array-like of bool, optional
        Rows referred anyway (rules, rings): counted in the referral.

    Returns
    -------
    dict
    """
    s = np.asarray(score, dtype=np.float64)
    target = np.asarray(y, dtype=bool)
    if threshold is None:
        if refer_rate is None:
            raise ValueError("give threshold or refer_rate")
        threshold = float(np.quantile(s, 1 - refer_rate))
    flag = s >= threshold
    if extra_flags is not None:
        flag = flag | np.asarray(extra_flags, dtype=bool)
    members = np.zeros(len(s), bool) if ring is None else np.asarray(ring, dtype=bool)
    out: dict[str, Any] = {
        "rows": len(s),
        "fraud_rows": int(target.sum()),
        "ring_rows": int(members.sum()),
        "auc": auc(target, s),
        "threshold": round(threshold, 6),
        "referred_share": round(float(flag.mean()), 4),
        "fraud_recall": _recall(flag, target),
        "ring_recall": _recall(flag, members),
        "precision": round(float(target[flag].mean()), 4) if flag.any() else None,
    }
    if patterns is not None:
        kinds = np.asarray([p if isinstance(p, str) else "" for p in patterns])
        out["recall_by_pattern"] = {
            p: {"rows": int((kinds == p).sum()), "recall": _recall(flag, kinds == p)}
            for p in sorted(set(kinds.tolist()) - {""})
        }
    return out


def pattern_recall_table(metrics: Mapping[str, Any]) -> list[tuple[str, int, float | None]]:
    """``(pattern, rows, recall)`` rows of `evaluate`'s ``recall_by_pattern``."""
    found = metrics.get("recall_by_pattern", {})
    return [(p, v["rows"], v["recall"]) for p, v in found.items()]
