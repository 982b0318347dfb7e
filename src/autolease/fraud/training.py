"""Fit and evaluate the fraud model (pure: numpy + LightGBM, seeded, deterministic).

`fit_fraud_model` trains a LightGBM binary model on encoded inputs. Ring members can weigh
more (``ring_weight``): rings are the organised fraud the model is for. The refer threshold
is set from **out-of-fold** scores (``folds``-fold cross-fit on the training rows): the
``1 - refer_rate`` quantile, so the share referred out of sample is about ``refer_rate``
(in-sample scores would put it too low). The default 2.8 % leaves a margin under a 3 %
referral budget for drift between the training months and later ones (measured: +0.04 pp
three months out on the synthetic book). The final booster is refitted on all rows.
With ``choose_rounds`` the number of trees is chosen by the same cross-fit: each fold's
booster grows up to ``rounds`` trees, the count with the best mean held-out AUC is kept for
the out-of-fold scores and the refit (so a table of any size gets its own count, not one
tuned for another); the count is in ``metrics["trees"]``.
Fraud rows can weigh more (``fraud_weight``, class weighting): scores then rank, not
estimate probabilities (the threshold comes from the scores, so the referral holds).
`cross_validated_auc` is the tuning yardstick (stratified, repeated; training rows only;
with ``choose_rounds`` the choice is nested inside each fold, so the estimate stays honest);
`SMALL_TABLE_OPTIONS` are the settings tuned that way for tables of a few thousand rows.
`auc_standard_error` gives the sampling error of an AUC on a test set (DeLong).

`evaluate` reports AUC, the share referred at the threshold (or at a given rate), recall of
fraud, of ring members and per fraud pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
    rounds: int = 300  # trees; with choose_rounds, the most the cross-fit may choose
    choose_rounds: bool = False
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
# slow learning, fraud rows weighed 3x; the number of trees (up to 1,000) is chosen by the
# cross-fit of each table (about 450 there). See docs/fraud.md "Measured".
SMALL_TABLE_OPTIONS = TrainOptions(
    learning_rate=0.01, num_leaves=8, min_data_in_leaf=10, feature_fraction=0.7,
    lambda_l2=10.0, cat_smooth=20.0, min_data_per_group=50, max_cat_to_onehot=8, rounds=1000,
    choose_rounds=True, fraud_weight=3.0,
)  # fmt: skip


def _dataset(x: F64, y: F64, w: F64 | None, specs: Sequence[FeatureSpec], **kw: Any) -> Any:
    cats = [j for j, s in enumerate(specs) if s.dtype == "category"]
    return _lgb().Dataset(
        x, label=y, weight=w, feature_name=[f"f{j}" for j in range(x.shape[1])],
        categorical_feature=cats, free_raw_data=False, **kw,
    )  # fmt: skip


def _train(
    x: F64, y: F64, w: F64, specs: Sequence[FeatureSpec], options: TrainOptions,
    rounds: int | None = None,
) -> Any:  # fmt: skip
    data = _dataset(x, y, w, specs)
    return _lgb().train(options.params(), data, num_boost_round=rounds or options.rounds)


def _train_tracked(
    x: F64, y: F64, w: F64, specs: Sequence[FeatureSpec], options: TrainOptions, valid: Any
) -> tuple[Any, list[float]]:
    """A booster of ``options.rounds`` trees and the held-out AUC after each tree."""
    lgb = _lgb()
    data = _dataset(x, y, w, specs)
    held_out = _dataset(valid[0], valid[1], None, specs, reference=data)
    history: dict[str, Any] = {}
    booster = lgb.train(
        {**options.params(), "metric": "auc"}, data, num_boost_round=options.rounds,
        valid_sets=[held_out], valid_names=["held_out"],
        callbacks=[lgb.record_evaluation(history)],
    )  # fmt: skip
    return booster, [float(v) for v in history["held_out"]["auc"]]


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
    booster, oof, trees = _cross_fit(x, target, weight, specs, options)
    threshold = float(np.quantile(oof, 1 - options.refer_rate))
    metrics = {"oof": evaluate(oof, target, members, threshold=threshold), "rows": len(target),
               "trees": trees}  # fmt: skip
    return FraudModel(booster, tuple(specs), threshold, metrics, num_threads=options.num_threads)


def _cross_fit(
    x: F64, target: F64, weight: F64, specs: Sequence[FeatureSpec], options: TrainOptions
) -> tuple[Any, F64, int]:
    """The booster refitted on all rows, the out-of-fold scores and the number of trees."""
    fold = _folds(target, options.folds, options.seed)
    if not options.choose_rounds:
        oof = _out_of_fold(x, target, weight, specs, options, fold)
        return _train(x, target, weight, specs, options), oof, options.rounds
    oof, trees = _out_of_fold_chosen(x, target, weight, specs, options, fold)
    return _train(x, target, weight, specs, options, rounds=trees), oof, trees


def _out_of_fold_chosen(
    x: F64,
    target: F64,
    weight: F64,
    specs: Sequence[FeatureSpec],
    options: TrainOptions,
    fold: npt.NDArray[np.int64],
) -> tuple[F64, int]:
    """Out-of-fold scores at the number of trees with the best mean held-out AUC."""
    boosters, curves = [], []
    for k in np.unique(fold).tolist():
        train, valid = fold != k, fold == k
        booster, curve = _train_tracked(
            x[train], target[train], weight[train], specs, options, (x[valid], target[valid])
        )
        boosters.append(booster)
        curves.append(curve)
    trees = best_rounds(np.asarray(curves, dtype=np.float64))
    oof = np.zeros(len(target))
    for k, booster in zip(np.unique(fold).tolist(), boosters, strict=True):
        oof[fold == k] = booster.predict(
            x[fold == k], num_iteration=trees, num_threads=options.num_threads
        )
    return oof, trees


def best_rounds(curves: F64) -> int:
    """The number of trees (1-based) with the best mean held-out AUC over folds.

    ``curves[k, i]``: fold ``k``'s AUC after ``i + 1`` trees. Ties go to fewer trees.

    >>> best_rounds(np.array([[0.70, 0.80, 0.78], [0.72, 0.78, 0.79]]))
    2
    """
    return int(np.argmax(curves.mean(axis=0))) + 1


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
    fit: Callable[..., Any] = _train,
) -> F64:
    oof = np.zeros(len(target))
    for k in np.unique(fold).tolist():
        train, valid = fold != k, fold == k
        booster = fit(x[train], target[train], weight[train], specs, options)
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
        fit = _fit_choosing_rounds if options.choose_rounds else _train
        oof = _out_of_fold(x, target, weight, specs, options, fold, fit)
        scores += [auc(target[fold == k], oof[fold == k]) or 0.5 for k in range(folds)]
    spread = float(np.std(scores, ddof=1) / np.sqrt(len(scores))) if len(scores) > 1 else 0.0
    return {"auc": round(float(np.mean(scores)), 4), "se": round(spread, 4), "folds": len(scores)}


def _fit_choosing_rounds(
    x: F64, target: F64, weight: F64, specs: Sequence[FeatureSpec], options: TrainOptions
) -> Any:
    """The whole fit, its trees chosen by the cross-fit of these rows only (for nested CV)."""
    return _cross_fit(x, target, weight, specs, options)[0]


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
    ranks = _midranks(s)
    return round(float((ranks[target].sum() - pos * (pos + 1) / 2) / (pos * neg)), 6)


def _midranks(s: F64) -> F64:
    """1-based ranks of `s`, ties given their mean rank."""
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    bounds = np.flatnonzero(np.diff(s[order])) + 1
    starts = np.concatenate([[0], bounds])
    stops = np.concatenate([bounds, [len(s)]])
    for lo, hi in zip(starts.tolist(), stops.tolist(), strict=True):
        ranks[order[lo:hi]] = (lo + hi + 1) / 2
    return ranks


def auc_standard_error(y: npt.ArrayLike, score: npt.ArrayLike) -> float | None:
    """Sampling standard error of `auc` on these rows (DeLong et al., 1988); ``None``
    with one class only.

    >>> round(auc_standard_error([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.3536
    """
    target = np.asarray(y, dtype=bool)
    s = np.asarray(score, dtype=np.float64)
    pos, neg = int(target.sum()), int((~target).sum())
    if pos < 2 or neg < 2:
        return None
    ranks = _midranks(s)
    # share of negatives each positive outranks, and of positives each negative is below
    above = (ranks[target] - _midranks(s[target])) / neg
    below = 1 - (ranks[~target] - _midranks(s[~target])) / pos
    return float(np.sqrt(above.var(ddof=1) / pos + below.var(ddof=1) / neg))


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
