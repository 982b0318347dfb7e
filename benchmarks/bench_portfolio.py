"""Benchmark of portfolio monitoring on a simulated live book (nothing read from outside).

    PYTHONPATH=src .venv/bin/python -m benchmarks.bench_portfolio [--ews-contracts 100000]
        [--report-contracts 1000000] [--months 36] [--seed 11]

Prints JSON lines:
- ``ews``: early-warning AUC of M3+ within 12 months on book, scored at MOB 3, trained on the
  earlier origination months and measured on later ones (out of time), against a logistic
  regression on the same split and the same features; and the monthly batch's time (pandas
  and Dask).
- ``planted``: the alerts run month by month on the book as it was known then
  (`Panel.cut_at`); the first reporting month that flags the planted cohort and how many
  months after its first payout that is, and the alerts on anything else.
- ``report``: the full portfolio report (vintages by every segment, rolls, PSI/CSI, alerts) over
  a large book, in a child process that loads the saved book: wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.common import emit, load_average, machine

BENCH = "portfolio"


def logistic_baseline(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> np.ndarray:
    """Scaled numbers (missing → median) and one-hot categories, plain logistic regression."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    cats = [c for c in train.columns if isinstance(train[c].dtype, pd.CategoricalDtype)]
    nums = [c for c in train.columns if c not in cats]
    prep = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), nums),
            ("cat", OneHotEncoder(handle_unknown="ignore"), cats),
        ]
    )
    model = make_pipeline(prep, LogisticRegression(max_iter=2000))
    model.fit(_as_text(train, cats), y)
    proba: np.ndarray = model.predict_proba(_as_text(test, cats))[:, 1]
    return proba


def _as_text(frame: pd.DataFrame, cats: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for c in cats:
        out[c] = out[c].astype(str)
    return out


def early_warning(book: Any, split: int) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    from autolease.portfolio import earlywarning as ew

    data = ew.training_set(book.panel, book.applications)
    train, test = data.cohort < split, data.cohort >= split
    began = time.perf_counter()
    model = ew.EarlyWarningModel.fit(data.x[train], data.y[train])
    fit_s = time.perf_counter() - began
    gbm = model.predict(data.x[test])
    behaviour = list(ew.BEHAVIOUR)
    only_behaviour = ew.EarlyWarningModel.fit(data.x.loc[train, behaviour], data.y[train])
    logit = logistic_baseline(data.x[train], data.y[train], data.x[test])
    months = book.panel.months
    return {
        "train_cohorts": f"{months[int(data.cohort.min())]}..{months[split - 1]}",
        "test_cohorts": f"{months[split]}..{months[int(data.cohort.max())]}",
        "train_rows": int(train.sum()),
        "train_bad_rate": round(float(data.y[train].mean()), 4),
        "test_rows": int(test.sum()),
        "test_bad_rate": round(float(data.y[test].mean()), 4),
        "auc_lightgbm": round(float(roc_auc_score(data.y[test], gbm)), 4),
        "auc_logistic": round(float(roc_auc_score(data.y[test], logit)), 4),
        "auc_lightgbm_behaviour_only": round(
            float(roc_auc_score(data.y[test], only_behaviour.predict(data.x.loc[test, behaviour]))),
            4,
        ),
        "fit_s": round(fit_s, 1),
        **batch_times(book, model),
    }


def batch_times(book: Any, model: Any) -> dict[str, Any]:
    from autolease.portfolio import ews

    month = book.panel.months[-1]
    began = time.perf_counter()
    local = ews.score(book, model, month)
    pandas_s = time.perf_counter() - began
    began = time.perf_counter()
    spread = ews.score(book, model, month, partitions=4)
    dask_s = time.perf_counter() - began
    same = bool(np.allclose(local.scores["probability"], spread.scores["probability"]))
    began = time.perf_counter()
    ews.write_watch_list(local, model, 500, Path(tempfile.mkdtemp()) / "watch.csv")
    watch_s = time.perf_counter() - began
    return {
        "batch_month": month,
        "batch_contracts": len(local.scores),
        "batch_pandas_s": round(pandas_s, 2),
        "batch_dask_4_partitions_s": round(dask_s, 2),
        "batch_same_scores": same,
        "watch_list_500_with_reasons_s": round(watch_s, 2),
    }


def planted_cohort(book: Any) -> dict[str, Any]:
    """Alerts as they would have been raised each month, from the planted cohort's payout on."""
    from autolease.portfolio.alerts import vintage_alerts
    from autolease.portfolio.settings import PortfolioSettings
    from autolease.portfolio.vintage import vintage_curves

    settings = PortfolioSettings()
    planted = book.planted
    panel = book.panel
    target = {f"region={planted.region} cohort {panel.months[m]}" for m in _planted_months(book)}
    first, others, first_subjects = None, set(), []
    for month in range(planted.first_month, len(panel.months)):
        cut = panel.cut_at(month)
        subjects = {
            a.subject
            for name in cut.segments
            for a in vintage_alerts(vintage_curves(cut, name), name, settings)
        }
        if first is None and subjects & target:
            first, first_subjects = month, sorted(subjects & target)
        others |= subjects - target
    cohorts = [panel.months[m] for m in _planted_months(book)]
    return {
        "planted_region": planted.region,
        "planted_cohorts": [panel.months[m] for m in _planted_months(book)],
        "roll_multiplier": planted.multiplier,
        "first_flagged_month": panel.months[first] if first is not None else None,
        "months_after_first_payout": first - planted.first_month if first is not None else None,
        "first_flagged": first_subjects,
        # other segments' cohorts of the planted months contain the planted contracts
        "flagged_same_months_other_segments": sorted(o for o in others if _in(o, cohorts)),
        "flagged_elsewhere": sorted(o for o in others if not _in(o, cohorts)),
    }


def _in(subject: str, cohorts: list[str]) -> bool:
    return subject.rsplit(" ", 1)[-1] in cohorts


def _planted_months(book: Any) -> range:
    planted = book.planted
    return range(planted.first_month, planted.first_month + planted.months)


def report_child(folder: Path) -> None:
    """Runs in its own process: load the saved book, build the full report, print figures."""
    from autolease.portfolio import files
    from autolease.portfolio.cli import FEATURES
    from autolease.portfolio.report import build_report
    from autolease.portfolio.settings import PortfolioSettings

    began = time.perf_counter()
    book = files.load(folder)
    loaded = time.perf_counter()
    report = build_report(
        book.panel, PortfolioSettings(), applications=book.applications, features=FEATURES
    )
    done = time.perf_counter()
    emit(
        BENCH,
        part="report",
        contracts=book.panel.contracts,
        months=len(book.panel.months),
        load_s=round(loaded - began, 2),
        report_s=round(done - loaded, 2),
        vintage_rows=sum(len(v) for v in report["vintages"].values()),
        stability_rows=len(report["stability"]),
        alerts=len(report["alerts"]),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        cpu_s=round(time.process_time(), 1),
        load_average=load_average(),
    )


def full_report(contracts: int, months: int, seed: int) -> None:
    from autolease.portfolio import files
    from autolease.portfolio.simulate import Planted, simulate

    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        book = simulate(contracts, origination_months=months, seed=seed, planted=Planted())
        simulate_s = time.perf_counter() - began
        files.save(book, Path(tmp))
        del book
        emit(
            BENCH,
            part="simulate",
            contracts=contracts,
            months=months,
            simulate_s=round(simulate_s, 1),
        )
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        command = [sys.executable, "-m", "benchmarks.bench_portfolio", "--report-only", tmp]
        subprocess.run(command, check=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ews-contracts", type=int, default=100_000)
    parser.add_argument("--report-contracts", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--report-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--skip-report", action="store_true")
    parser.add_argument("--skip-ews", action="store_true", help="only the full report")
    args = parser.parse_args()
    if args.report_only:
        report_child(args.report_only)
        return
    emit(BENCH, part="machine", **machine(), load_average=load_average())
    if not args.skip_ews:
        ews_parts(args)
    if not args.skip_report:
        full_report(args.report_contracts, args.months, args.seed)


def ews_parts(args: argparse.Namespace) -> None:
    from autolease.portfolio.simulate import Planted, simulate

    book = simulate(args.ews_contracts, origination_months=args.months, seed=args.seed,
                    planted=Planted())  # fmt: skip
    # cohorts with 12 observed months end at months - 13; the last third of them is the test
    observed = args.months - 12
    emit(
        BENCH,
        part="ews",
        **early_warning(book, split=observed * 2 // 3),
        load_average=load_average(),
    )
    emit(BENCH, part="planted", **planted_cohort(book), load_average=load_average())


if __name__ == "__main__":
    main()
