"""Credit model quality: 10-fold stratified CV (fixed seed) on the public credit data sets.

For every data set and fold, the same code as ``autolease credit train`` fits our scorecard
and gradient-boosting PD; the blend is `CreditModel(kind="blend")` over that fold's two
models (exactly what ``--model blend`` trains). toad and scorecardpy run their documented
default scorecard pipelines on the same folds in a separate venv (scorecardpy needs
pandas<3); see `benchmarks/bench_credit_peers.py`.

Usage (from the repository root):
    .venv/bin/python -m benchmarks.bench_credit_quality [--datasets german,taiwan,...]
        [--folds 10] [--seed 42] [--peers toad,scorecardpy|none]
        [--peer-python /tmp/bench-scorecardpy-venv/bin/python] [--book DIR]
The peer venv is created on first use:
    python -m venv /tmp/bench-scorecardpy-venv
    /tmp/bench-scorecardpy-venv/bin/pip install "pandas<3" scorecardpy==0.1.9.7 toad==0.1.7 \
        scikit-learn
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from autolease.credit import features as declared
from autolease.credit import metrics
from autolease.credit.book import book_frame
from autolease.credit.encoding import InputSchema, encode
from autolease.credit.model import CreditModel
from autolease.credit.service import read_book, read_table
from autolease.credit.training import TrainOptions, fit_credit_model, prepare
from benchmarks.common import emit, machine

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "credit"
PEER_VENV = Path("/tmp/bench-scorecardpy-venv")
PEER_PACKAGES = ["pandas<3", "scorecardpy==0.1.9.7", "toad==0.1.7", "scikit-learn"]


@dataclass(frozen=True)
class DataSet:
    path: str
    target: str
    bad: str | None


DATASETS = {
    "german": DataSet("statlog_german/german.data", "-1", "2"),
    "taiwan": DataSet("taiwan_default/UCI_Credit_Card.csv", "default.payment.next.month", "1"),
    "hmeq": DataSet("hmeq/hmeq.csv", "BAD", "1"),
    "sanchez": DataSet("credit_scoring_sanchez/credit_data.csv", "Status", "bad"),
    "lending_club": DataSet("lending_club_modeldata/lending_club.csv", "Class", "bad"),
    "home_credit": DataSet("home_credit_sample/application_train_sample.tsv", "TARGET", "1"),
}
TARGETS = {"german": 0.80, "taiwan": 0.785, "hmeq": 0.96, "sanchez": 0.84}


@dataclass(frozen=True)
class Prepared:
    x: np.ndarray[Any, Any]
    y: np.ndarray[Any, Any]
    schema: InputSchema
    peer_frame: pd.DataFrame | None
    labels: dict[str, Any] | None = None
    monotone: dict[str, int] | None = None


def load(name: str, book: Path | None) -> Prepared:
    if name == "synth_book":
        assert book is not None
        frame = book_frame(read_book(book))
        schema = declared.schema()
        peer = frame.features.assign(target=frame.y)
        return Prepared(
            encode(frame.features, schema),
            frame.y,
            schema,
            peer,
            declared.labels(),
            declared.monotone(),
        )
    spec = DATASETS[name]
    frame = read_table(DATA / spec.path)
    data = prepare(frame, spec.target, spec.bad)
    kept = frame.loc[frame[data.target].notna(), list(data.schema.names)].reset_index(drop=True)
    return Prepared(data.x, data.y, data.schema, kept.assign(target=data.y))


def run_ours(p: Prepared, folds: list[tuple[Any, Any]], seed: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {
        k: {"auc": [], "seconds": [], "pd": np.zeros(len(p.y))}
        for k in ("scorecard", "gbm", "blend")
    }
    for train, test in folds:
        fitted = {}
        for kind in ("scorecard", "gbm"):
            started = time.perf_counter()
            result = fit_credit_model(
                p.x[train],
                p.y[train],
                p.schema,
                TrainOptions(kind=kind, seed=seed),
                labels=p.labels,
                monotone=p.monotone,
            )
            out[kind]["seconds"].append(time.perf_counter() - started)
            fitted[kind] = result.model
        sc, gbm = fitted["scorecard"], fitted["gbm"]
        blend = CreditModel(
            kind="blend",
            schema=p.schema,
            scaling=sc.scaling,
            grades=sc.grades,
            scorecard=sc.table,
            booster=gbm.booster,
        )
        fitted["blend"] = blend
        out["blend"]["seconds"].append(out["scorecard"]["seconds"][-1] + out["gbm"]["seconds"][-1])
        for kind, model in fitted.items():
            pd_test = model.pd_matrix(p.x[test])
            out[kind]["pd"][test] = pd_test
            out[kind]["auc"].append(metrics.auc(p.y[test], pd_test))
    return out


def ensure_peer_python(python: Path) -> Path | None:
    if python.exists():
        return python
    if python != PEER_VENV / "bin" / "python":
        return None
    subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return python


def run_peer(
    peer: str, python: Path, p: Prepared, folds: list[tuple[Any, Any]], tmp: Path
) -> dict[str, Any]:
    assert p.peer_frame is not None
    data, fold_file = tmp / "data.csv", tmp / "folds.json"
    p.peer_frame.to_csv(data, index=False)
    fold_file.write_text(json.dumps([test.tolist() for _, test in folds]))
    script = Path(__file__).with_name("bench_credit_peers.py")
    proc = subprocess.run(
        [str(python), str(script), "--data", str(data), "--folds", str(fold_file), "--peer", peer],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    errors = [r["error"] for r in rows if "error" in r]
    if proc.returncode != 0 and not rows:
        errors.append(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed")
    aucs = [r["auc"] for r in rows if "auc" in r]
    return {
        "auc": aucs,
        "folds": [r["fold"] for r in rows if "auc" in r],
        "seconds": [r["seconds"] for r in rows],
        "errors": errors[:3],
        "failed_folds": len(folds) - len(aucs),
    }


def summary(aucs: list[float], seconds: list[float]) -> dict[str, Any]:
    arr = np.asarray(aucs, dtype=np.float64)
    return {
        "auc_mean": round(float(arr.mean()), 4) if arr.size else None,
        "auc_std": round(float(arr.std()), 4) if arr.size else None,
        "folds_ok": int(arr.size),
        "fit_seconds_total": round(float(np.sum(seconds)), 2),
    }


def bench(name: str, args: argparse.Namespace, peer_python: Path | None) -> None:
    p = load(name, args.book)
    splitter = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed)
    folds = list(splitter.split(p.x, p.y))
    ours = run_ours(p, folds, args.seed)
    results: dict[str, dict[str, Any]] = {}
    for kind, r in ours.items():
        pooled = metrics.evaluate(p.y, r["pd"])
        results[kind] = {
            "auc_folds": [round(a, 4) for a in r["auc"]],
            **summary(r["auc"], r["seconds"]),
            "pooled_ks": round(pooled.ks, 4),
            "pooled_brier": round(pooled.brier, 4),
            "pooled_calibration_error": round(pooled.calibration_error, 4),
        }
    if peer_python is not None and name != "synth_book":
        with tempfile.TemporaryDirectory() as tmp:
            for peer in args.peers:
                r = run_peer(peer, peer_python, p, folds, Path(tmp))
                ours_same = [ours["scorecard"]["auc"][k] for k in r["folds"]]
                paired = (
                    float(np.mean(np.array(ours_same) - np.array(r["auc"]))) if ours_same else None
                )
                results[peer] = {
                    **summary(r["auc"], r["seconds"]),
                    "errors": r["errors"],
                    "scorecard_minus_peer_same_folds": None if paired is None else round(paired, 4),
                }
    best = max(("scorecard", "gbm", "blend"), key=lambda k: results[k]["auc_mean"])
    emit(
        "credit_quality",
        dataset=name,
        rows=len(p.y),
        bad_rate=round(float(p.y.mean()), 4),
        inputs=len(p.schema.columns),
        folds=args.folds,
        seed=args.seed,
        best=best,
        best_auc=results[best]["auc_mean"],
        target_auc=TARGETS.get(name),
        scorecard_vs_peers=_vs_peers(results, args.peers),
        models=results,
    )


def _vs_peers(results: dict[str, dict[str, Any]], peers: list[str]) -> dict[str, Any]:
    """Our scorecard's AUC minus each peer's, on the folds where the peer produced a score."""
    return {p: results.get(p, {}).get("scorecard_minus_peer_same_folds") for p in peers}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--peers", default="toad,scorecardpy")
    parser.add_argument("--peer-python", type=Path, default=PEER_VENV / "bin" / "python")
    parser.add_argument("--book", type=Path, default=None, help="also run on a synthetic book")
    args = parser.parse_args()
    args.peers = [] if args.peers == "none" else args.peers.split(",")
    names = args.datasets.split(",") + (["synth_book"] if args.book else [])
    peer_python = ensure_peer_python(args.peer_python) if args.peers else None
    emit("credit_quality_machine", **machine())
    for name in names:
        bench(name, args, peer_python)


if __name__ == "__main__":
    main()
