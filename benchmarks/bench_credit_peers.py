"""Peer scorecards (toad, scorecardpy) on given folds: run in a separate benchmark venv.

Not part of the project: it imports neither autolease nor anything the project depends on
beyond pandas/numpy/scikit-learn, and runs under the venv that holds the peers (scorecardpy
needs pandas<3). `bench_credit_quality` writes the data and folds, runs this script and
reads its JSON lines. Each peer follows its own documented default pipeline:

- toad (README / tutorial): ``selection.select`` (empty 0.5, IV 0.05, corr 0.7) → chi-merge
  ``Combiner`` (min_samples 0.05) → ``WOETransformer`` → ``selection.stepwise`` (ols, both,
  AIC) → ``ScoreCard`` (C 0.1); PD from ``predict_proba``.
- scorecardpy (README): ``var_filter`` → ``woebin`` → ``woebin_ply`` →
  ``LogisticRegression(penalty="l1", C=0.9, solver="saga")``. Two changes so it runs
  unattended: ``check_cate_num=False`` answers "yes" to woebin's interactive prompt for
  categories with more than 50 values, and a WOE that ``woebin_ply`` leaves empty (a value
  not seen in training) is scored as 0 instead of stopping the regression.

Usage: python benchmarks/bench_credit_peers.py --data FILE.csv --folds FOLDS.json --peer toad
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

warnings.filterwarnings("ignore")


def run_toad(train: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
    import toad

    selected = toad.selection.select(train, target="target", empty=0.5, iv=0.05, corr=0.7)
    combiner = toad.transform.Combiner()
    combiner.fit(selected, y="target", method="chi", min_samples=0.05)
    woe = toad.transform.WOETransformer()
    train_woe = woe.fit_transform(
        combiner.transform(selected), selected["target"], exclude=["target"]
    )
    final = toad.selection.stepwise(
        train_woe, target="target", estimator="ols", direction="both", criterion="aic"
    )
    columns = [c for c in final.columns if c != "target"]
    card = toad.ScoreCard(combiner=combiner, transer=woe, C=0.1)
    card.fit(final[columns], final["target"])
    proba = card.predict_proba(test[columns])
    return np.asarray(proba)[:, 1]


def run_scorecardpy(train: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
    import scorecardpy as sc

    filtered = sc.var_filter(train, y="target")
    bins = sc.woebin(filtered, y="target", no_cores=1, check_cate_num=False)
    train_woe = sc.woebin_ply(filtered, bins, no_cores=1)
    test_woe = sc.woebin_ply(test[filtered.columns], bins, no_cores=1)
    columns = [c for c in train_woe.columns if c != "target"]
    train_woe[columns] = train_woe[columns].fillna(0.0)
    test_woe[columns] = test_woe[columns].fillna(0.0)
    model = LogisticRegression(penalty="l1", C=0.9, solver="saga", max_iter=1000)
    model.fit(train_woe[columns], train_woe["target"])
    return np.asarray(model.predict_proba(test_woe[columns]))[:, 1]


PEERS = {"toad": run_toad, "scorecardpy": run_scorecardpy}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--folds", required=True)
    parser.add_argument("--peer", choices=sorted(PEERS), required=True)
    args = parser.parse_args()
    frame = pd.read_csv(args.data, low_memory=False)
    with open(args.folds, encoding="utf-8") as fh:
        folds: list[list[int]] = json.load(fh)
    runner = PEERS[args.peer]
    for k, test_index in enumerate(folds):
        test_mask = np.zeros(len(frame), dtype=bool)
        test_mask[test_index] = True
        train, test = frame[~test_mask].reset_index(drop=True), frame[test_mask]
        started = time.perf_counter()
        result: dict[str, Any] = {"fold": k}
        try:
            pd_test = runner(train, test.reset_index(drop=True))
            result["auc"] = float(roc_auc_score(test["target"], pd_test))
        except Exception as exc:  # a peer failing on a data set is a result, not a crash
            result["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        result["seconds"] = round(time.perf_counter() - started, 3)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
