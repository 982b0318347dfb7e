"""Choose the fraud model's settings and inputs against a forward time split (pure).

`fit_time_validated` is the trainer for tables with a time order. Every choice is made on
forward blocks (`timesplit.forward_blocks`: train on the earlier periods, validate on the
next), never on rows shuffled across time:

1. **Regularisation.** Each setting of `CANDIDATES` (small trees to a plain, default-like
   booster; native categorical splits or category codes as numbers) grows up to its tree
   cap on every block; the tree count with the best mean block AUC is its score.
2. **Inputs.** With the best setting, each input's permutation importance on the blocks
   (the AUC lost when its values are shuffled inside the validation block, its category
   and ordinal encodings together). Inputs that do not help later periods (importance
   ≤ 0: calendar, agent or id-like columns whose meaning moves) are dropped if the smaller
   model validates as well (within `PARSIMONY`).
3. **Threshold.** The refer threshold is the ``1 - refer_rate`` quantile of the most recent
   block's out-of-time scores, so the share referred is set on recent data scored the way
   new data will be, not on shuffled out-of-fold scores of older years.

The final booster is refitted on every row with the chosen setting, inputs and tree count.
``metrics["time_validation"]`` records the blocks, every candidate's score and the dropped
inputs; ``metrics["oof"]`` holds the forward (out-of-time) scores' figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.fraud.features import FeatureSpec
from autolease.fraud.model import F64, FraudModel, _lgb
from autolease.fraud.timesplit import Block, forward_blocks, recall_at_shares, threshold_for_share
from autolease.fraud.training import TrainOptions, _weights, auc, best_rounds, evaluate

REFERRAL_SHARES = (0.01, 0.05, 0.10)
PARSIMONY = 0.001  # fewer inputs win when their block AUC is at most this much lower
SELECTION_ROUNDS = (
    1  # backward steps (more overfit the blocks: 3 rounds cost 0.005 AUC out of time)
)


@dataclass(frozen=True)
class Candidate:
    """A booster setting tried on the forward blocks."""

    name: str
    options: dict[str, Any]
    native_categories: bool = True


CANDIDATES = (
    Candidate("stumps", {"num_leaves": 4, "min_data_in_leaf": 20, "lambda_l2": 10.0,
                         "learning_rate": 0.03, "rounds": 800, "cat_smooth": 50.0}),
    Candidate("small", {"num_leaves": 8, "min_data_in_leaf": 10, "lambda_l2": 10.0,
                        "learning_rate": 0.03, "rounds": 600}),
    Candidate("small_codes", {"num_leaves": 8, "min_data_in_leaf": 10, "lambda_l2": 10.0,
                              "learning_rate": 0.03, "rounds": 600}, native_categories=False),
    Candidate("plain", {"num_leaves": 31, "min_data_in_leaf": 20, "lambda_l2": 0.0,
                        "learning_rate": 0.1, "rounds": 200, "feature_fraction": 1.0,
                        "bagging_fraction": 1.0, "fraud_weight": 1.0},
              native_categories=False),
)  # fmt: skip


def _params(options: TrainOptions) -> dict[str, Any]:
    params = options.params()
    if options.bagging_fraction >= 1.0:
        params["bagging_freq"] = 0
    return params


def _cats(specs: Sequence[FeatureSpec], native: bool) -> list[int]:
    return [j for j, s in enumerate(specs) if s.dtype == "category"] if native else []


def _train(
    x: F64, y: F64, w: F64, specs: Sequence[FeatureSpec], options: TrainOptions, native: bool,
    rounds: int, valid: tuple[F64, F64] | None = None,
) -> tuple[Any, list[float]]:  # fmt: skip
    lgb = _lgb()
    names = [f"f{j}" for j in range(x.shape[1])]
    cats = _cats(specs, native)
    data = lgb.Dataset(x, label=y, weight=w, feature_name=names, categorical_feature=cats,
                       free_raw_data=False)  # fmt: skip
    if valid is None:
        return lgb.train(_params(options), data, num_boost_round=rounds), []
    held = lgb.Dataset(valid[0], label=valid[1], feature_name=names, categorical_feature=cats,
                       reference=data)  # fmt: skip
    history: dict[str, Any] = {}
    booster = lgb.train(
        {**_params(options), "metric": "auc"}, data, num_boost_round=rounds,
        valid_sets=[held], valid_names=["held"], callbacks=[lgb.record_evaluation(history)],
    )  # fmt: skip
    return booster, [float(v) for v in history["held"]["auc"]]


@dataclass
class _Trial:
    candidate: Candidate
    options: TrainOptions
    columns: list[int]
    auc: float
    trees: int
    boosters: list[Any]


def _trial(
    x: F64, y: F64, w: F64, specs: Sequence[FeatureSpec], blocks: Sequence[Block],
    candidate: Candidate, options: TrainOptions, columns: list[int],
) -> _Trial:  # fmt: skip
    chosen = [specs[j] for j in columns]
    boosters, curves = [], []
    for block in blocks:
        booster, curve = _train(
            x[block.train][:, columns], y[block.train], w[block.train], chosen, options,
            candidate.native_categories, options.rounds,
            valid=(x[block.valid][:, columns], y[block.valid]),
        )  # fmt: skip
        boosters.append(booster)
        curves.append(curve)
    table = np.asarray(curves, dtype=np.float64)
    trees = best_rounds(table)
    return _Trial(candidate, options, columns, float(table.mean(axis=0)[trees - 1]), trees,
                  boosters)  # fmt: skip


def _scores(trial: _Trial, x: F64, block: Block, k: int) -> F64:
    rows = x[block.valid][:, trial.columns]
    return np.asarray(trial.boosters[k].predict(rows, num_iteration=trial.trees), dtype=float)


def permutation_importance(
    trial: _Trial, x: F64, y: F64, specs: Sequence[FeatureSpec], blocks: Sequence[Block],
    seed: int, repeats: int = 2,
) -> dict[str, float]:  # fmt: skip
    """Mean AUC lost on the blocks when one input (all its encodings) is shuffled."""
    rng = np.random.default_rng(seed)
    names = sorted({specs[j].name for j in trial.columns})
    lost = dict.fromkeys(names, 0.0)
    for k, block in enumerate(blocks):
        rows = x[block.valid][:, trial.columns]
        target = y[block.valid]
        base = auc(target, trial.boosters[k].predict(rows, num_iteration=trial.trees)) or 0.5
        for name in names:
            parts = [i for i, j in enumerate(trial.columns) if specs[j].name == name]
            for _ in range(repeats):
                shuffled = rows.copy()
                order = rng.permutation(len(rows))
                shuffled[:, parts] = rows[order][:, parts]
                score = trial.boosters[k].predict(shuffled, num_iteration=trial.trees)
                lost[name] += (base - (auc(target, score) or 0.5)) / (repeats * len(blocks))
    return {name: round(value, 5) for name, value in lost.items()}


def fit_time_validated(
    x: F64,
    y: npt.ArrayLike,
    specs: Sequence[FeatureSpec],
    period: npt.ArrayLike,
    options: TrainOptions | None = None,
    *,
    candidates: Sequence[Candidate] = CANDIDATES,
    blocks: int = 3,
    block_share: float = 0.15,
    select_inputs: bool = True,
) -> FraudModel:
    """Choose a setting and inputs on forward blocks, refit on every row (see the module).

    ``period`` orders the rows in time (`timesplit.period_index`); ``options`` gives the
    refer rate, class weight, seed, threads and the most trees any candidate may grow (the
    candidates override the booster's shape). Raises `FraudDataInvalid` when the periods
    give no usable block.
    """
    base = options or TrainOptions()
    target = np.asarray(y, dtype=np.float64)
    cut = forward_blocks(period, target, blocks=blocks, share=block_share)
    every = list(range(len(specs)))
    trials = []
    for candidate in candidates:
        tuned = replace(base, **candidate.options)
        tuned = replace(tuned, rounds=min(tuned.rounds, base.rounds))  # the caller's cap
        weight = _weights(target, np.zeros(len(target), bool), tuned)
        trials.append(_trial(x, target, weight, specs, cut, candidate, tuned, every))
    best = max(trials, key=lambda t: t.auc)
    importance: dict[str, float] = {}
    dropped: list[str] = []
    for _ in range(SELECTION_ROUNDS if select_inputs else 0):
        found = permutation_importance(best, x, target, specs, cut, base.seed)
        importance = importance or found
        useless = {name for name, value in found.items() if value <= 0}
        kept = [j for j in best.columns if specs[j].name not in useless]
        if not useless or not kept:
            break
        weight = _weights(target, np.zeros(len(target), bool), best.options)
        smaller = _trial(x, target, weight, specs, cut, best.candidate, best.options, kept)
        if smaller.auc < best.auc - PARSIMONY:
            break
        best, dropped = smaller, sorted({*dropped, *useless})
    return _refit(x, target, specs, cut, best, trials, importance, dropped, base)


def _refit(
    x: F64, target: F64, specs: Sequence[FeatureSpec], cut: Sequence[Block], best: _Trial,
    trials: Sequence[_Trial], importance: dict[str, float], dropped: list[str],
    base: TrainOptions,
) -> FraudModel:  # fmt: skip
    chosen = tuple(specs[j] for j in best.columns)
    weight = _weights(target, np.zeros(len(target), bool), best.options)
    booster, _ = _train(x[:, best.columns], target, weight, chosen, best.options,
                        best.candidate.native_categories, best.trees)  # fmt: skip
    forward = [(_scores(best, x, block, k), block) for k, block in enumerate(cut)]
    recent_scores = forward[-1][0]
    threshold = threshold_for_share(recent_scores, base.refer_rate)
    all_scores = np.concatenate([s for s, _ in forward])
    all_y = np.concatenate([target[b.valid] for _, b in forward])
    out_of_time = evaluate(all_scores, all_y, threshold=threshold)
    out_of_time["recall_at_referral"] = recall_at_shares(all_scores, all_y, REFERRAL_SHARES)
    validation = {
        "sample": "forward blocks: trained on earlier periods, validated on the next",
        "blocks": [
            {"periods": [b.first, b.last], "train_rows": int(b.train.sum()),
             "valid_rows": int(b.valid.sum()), "auc": auc(target[b.valid], s)}
            for s, b in forward
        ],
        "candidates": {t.candidate.name: {"auc": round(t.auc, 4), "trees": t.trees}
                       for t in trials},
        "chosen": best.candidate.name,
        "auc": round(best.auc, 4),
        "trees": best.trees,
        "permutation_importance": importance,
        "dropped_inputs": dropped,
        "threshold_sample": f"most recent block ({int(cut[-1].valid.sum())} rows, out of time)",
    }  # fmt: skip
    metrics = {"oof": out_of_time, "time_validation": validation, "rows": len(target),
               "trees": best.trees}  # fmt: skip
    return FraudModel(booster, chosen, threshold, metrics, num_threads=base.num_threads)
