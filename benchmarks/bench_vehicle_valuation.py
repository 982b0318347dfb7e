"""Valuation quality on public used-car data (JSON lines on stdout).

Usage: python -m benchmarks.bench_vehicle_valuation [--data-dir DIR]
       [--seeds 5] [--quick]

Sections (each one JSON line, ``bench`` = ``vehicle_valuation``):

* ``uk_ford``: the Ford file, a fixed 80/20 split (``numpy.random.RandomState(42)``
  permutation, first ceil(20 %) rows held out — the scikit-learn ``train_test_split``
  convention, so the split is the one most published notebooks use). Our model (default
  config, and an "accurate" config with more, smaller-step trees), and LightGBM with default
  parameters on raw price (the comparison the issue asks for). Features: every column of the
  file (model, year, transmission, mileage, fuelType, tax, mpg, engineSize). Also the mean and
  spread of R² over ``--seeds`` other splits, so one lucky split cannot carry the claim, and
  ``cv_on_training``: 5-fold CV R² of the default config on the training 80 % only — the
  figure the defaults were chosen by (the test 20 % never chose a parameter).
* ``uk_all``: the six brand files together, same split: MAPE, R², P10-P90 coverage, and the
  default-parameter LightGBM; ``cv_on_training``: 3-fold CV on the training 80 % (the
  second yardstick of the defaults).
* ``uk_lobo``: leave one brand out: train on five brands, value the sixth; MAPE, P10-P90
  coverage and the median log error (``bias``: + overvalued) per unseen brand for our model,
  and ablations without the unknown-brand training rows, without the brand tier/origin
  features (which transfer from the WMI brand list), and with application-time features only
  (no tax/mpg).
* ``cardekho``, ``tianchi``: 80/20 splits of the CarDekho (India, deduplicated) and Tianchi
  sample files.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from autolease.vehicle.columns import canonical_frame, parse_mapping
from autolease.vehicle.valuation import LgbmValuer, TrainConfig, price_metrics, train
from benchmarks.common import emit, machine

BRANDS = ("audi", "bmw", "ford", "merc", "vauxhall", "vw")
UK_MAPPING = "mileage_km=mileage*1.609344,extra=tax+mpg"
UK_APP_TIME = "mileage_km=mileage*1.609344"
# More, smaller-step trees (3-4x the default's prediction cost). Chosen by the Ford 5-fold CV
# on the training 80 %: 63 leaves 0.9415 (~500 trees), 31 leaves 0.9407 (~740 trees).
ACCURATE = {"p50_rounds": 3000, "p50_learning_rate": 0.03, "p50_leaves": 63}
PUBLISHED_FORD_R2 = 0.9347  # XGBoost, Wang 2024, on the UK Ford file


def split(n: int, seed: int, test_share: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    perm = np.random.RandomState(seed).permutation(n)
    cut = math.ceil(test_share * n)
    return perm[cut:], perm[:cut]


def ours(
    frame: Any, train_rows: np.ndarray, test_rows: np.ndarray, **config: Any
) -> dict[str, Any]:
    cfg = TrainConfig(holdout_share=0.0, **config)
    started = time.perf_counter()
    model = train(frame.iloc[train_rows], cfg)
    seconds = time.perf_counter() - started
    valuer = LgbmValuer(model.encoding, model.boosters, ref="bench@0")
    test = frame.iloc[test_rows]
    p10, p50, p90 = valuer.value_frame(test)
    out = price_metrics(test["price"].to_numpy(dtype=float), p10, p50, p90)
    trees = {k: b.num_trees() for k, b in model.boosters.items()}
    return {**out, "train_s": round(seconds, 1), "trees": trees}


def cv_on_training(frame: Any, train_rows: np.ndarray, folds: int = 5) -> dict[str, Any]:
    """Mean R², MAPE and coverage of the default config over ``folds`` folds of the training
    rows only."""
    inner = frame.iloc[train_rows].reset_index(drop=True)
    perm = np.random.RandomState(0).permutation(len(inner))
    runs = []
    for k in range(folds):
        held = perm[k::folds]
        rest = np.setdiff1d(perm, held)
        runs.append(ours(inner, rest, held))
    return {
        "folds": folds,
        "mean_r2": round(float(np.mean([r["r2"] for r in runs])), 4),
        "mean_mape": round(float(np.mean([r["mape"] for r in runs])), 5),
        "mean_coverage_p10_p90": round(float(np.mean([r["coverage_p10_p90"] for r in runs])), 4),
        "r2": [r["r2"] for r in runs],
    }


def lgb_default(
    raw: Any, train_rows: np.ndarray, test_rows: np.ndarray, target: str
) -> dict[str, Any]:
    """LightGBM with default parameters on the raw columns (categoricals as pandas category)."""
    x = raw.drop(columns=[target]).copy()
    for col in x.columns:
        if not pd.api.types.is_numeric_dtype(x[col]):
            x[col] = x[col].astype("category")
    y = raw[target].to_numpy(dtype=float)
    model = lgb.train(
        {"objective": "regression", "verbose": -1}, lgb.Dataset(x.iloc[train_rows], y[train_rows])
    )
    pred = np.asarray(model.predict(x.iloc[test_rows]), dtype=np.float64)
    actual = y[test_rows]
    metrics = price_metrics(actual, pred, pred, pred)
    return {k: metrics[k] for k in ("n", "mae", "mape", "r2")}


def load_uk(data_dir: Path, brands: tuple[str, ...] = BRANDS) -> Any:
    return pd.concat(
        [pd.read_csv(data_dir / "uk_used_cars" / f"{b}.csv") for b in brands], ignore_index=True
    )


def uk_ford(data_dir: Path, seeds: int) -> None:
    raw = load_uk(data_dir, ("ford",))
    frame, _ = canonical_frame(raw, parse_mapping(UK_MAPPING), reference_year=2020)
    raw = raw.loc[raw["year"] <= 2020].reset_index(drop=True)  # the same rows as the frame
    tr, te = split(len(frame), 42)
    result = {
        "split": "RandomState(42) 80/20",
        "ours_default": ours(frame, tr, te),
        "ours_accurate": ours(frame, tr, te, **ACCURATE),
        "lightgbm_default_params": lgb_default(raw.drop(columns=["make"]), tr, te, "price"),
        "published_xgboost_r2": PUBLISHED_FORD_R2,
        "cv_on_training": cv_on_training(frame, tr),
    }
    r2: dict[str, list[float]] = {
        "ours_default": [],
        "ours_accurate": [],
        "lightgbm_default_params": [],
    }
    for seed in range(seeds):
        tr, te = split(len(frame), seed)
        r2["ours_default"].append(ours(frame, tr, te)["r2"])
        r2["ours_accurate"].append(ours(frame, tr, te, **ACCURATE)["r2"])
        r2["lightgbm_default_params"].append(
            lgb_default(raw.drop(columns=["make"]), tr, te, "price")["r2"]
        )
    result["r2_over_seeds"] = {
        k: {"mean": round(float(np.mean(v)), 4), "min": min(v), "max": max(v), "seeds": seeds}
        for k, v in r2.items()
        if v
    }
    emit("vehicle_valuation", section="uk_ford", rows=len(frame), **result)


def uk_all(data_dir: Path) -> None:
    raw = load_uk(data_dir)
    frame, _ = canonical_frame(raw, parse_mapping(UK_MAPPING), reference_year=2020)
    raw = raw.loc[raw["year"] <= 2020].reset_index(drop=True)
    tr, te = split(len(frame), 42)
    emit(
        "vehicle_valuation",
        section="uk_all",
        rows=len(frame),
        split="RandomState(42) 80/20",
        ours_default=ours(frame, tr, te),
        lightgbm_default_params=lgb_default(raw, tr, te, "price"),
        cv_on_training=cv_on_training(frame, tr, folds=3),
    )


def uk_lobo(data_dir: Path) -> None:
    raw = load_uk(data_dir)
    variants: dict[str, tuple[str, dict[str, Any]]] = {
        "ours": (UK_MAPPING, {}),
        "without_unknown_brand_rows": (UK_MAPPING, {"unknown_brand_share": 0.0}),
        "without_brand_tier_origin": (UK_MAPPING, {"exclude": ("brand_tier", "brand_origin")}),
        "application_time_only": (UK_APP_TIME, {}),
    }
    per_variant: dict[str, dict[str, Any]] = {}
    for name, (mapping, config) in variants.items():
        frame, _ = canonical_frame(raw, parse_mapping(mapping), reference_year=2020)
        per_brand: dict[str, Any] = {}
        for held in BRANDS:
            brand = {"merc": "mercedes-benz", "vw": "volkswagen"}.get(held, held)
            test = (frame["brand"] == brand).to_numpy()
            model = train(frame.loc[~test], TrainConfig(holdout_share=0.0, **config))
            valuer = LgbmValuer(model.encoding, model.boosters, ref="bench@0")
            p10, p50, p90 = valuer.value_frame(frame.loc[test])
            m = price_metrics(frame.loc[test, "price"].to_numpy(dtype=float), p10, p50, p90)
            bias = float(np.median(np.log(p50 / frame.loc[test, "price"].to_numpy(dtype=float))))
            per_brand[held] = {
                "mape": m["mape"],
                "coverage_p10_p90": m["coverage_p10_p90"],
                "bias": round(bias, 3),
            }
        per_brand["mean_mape"] = round(float(np.mean([v["mape"] for v in per_brand.values()])), 4)
        per_variant[name] = per_brand
    emit("vehicle_valuation", section="uk_lobo", **per_variant)


def cardekho(data_dir: Path) -> None:
    folder = data_dir / "cardekho"
    v3 = pd.read_csv(folder / "Car details v3.csv")
    old = pd.read_csv(folder / "CAR DETAILS FROM CAR DEKHO.csv")
    old.columns = [c.lower() for c in old.columns]
    old = old.rename(columns={"fuel_type": "fuel"})
    both = pd.concat([v3, old], ignore_index=True)
    keys = ["name", "year", "selling_price", "km_driven", "fuel", "transmission", "owner"]
    both = both.drop_duplicates(subset=keys).reset_index(drop=True)
    frame, _ = canonical_frame(both)
    tr, te = split(len(frame), 42)
    emit("vehicle_valuation", section="cardekho", rows=len(frame), ours_default=ours(frame, tr, te))


def tianchi(data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / "tianchi_used_car_sample" / "used_car_train_20200313.csv")
    frame, _ = canonical_frame(raw, parse_mapping("mileage_km=kilometer*10000"))
    tr, te = split(len(frame), 42)
    emit(
        "vehicle_valuation",
        section="tianchi_sample",
        rows=len(frame),
        note="1,500 rows only; not comparable with the competition's MAE on 150,000",
        ours_default=ours(frame, tr, te, min_data_in_leaf=10),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default_dir = Path(__file__).resolve().parents[2] / "shared" / "data" / "vehicle"
    parser.add_argument("--data-dir", type=Path, default=default_dir)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip the seed sweep and LOBO")
    args = parser.parse_args()
    emit("vehicle_valuation", section="machine", lightgbm=lgb.__version__, **machine())
    uk_ford(args.data_dir, 0 if args.quick else args.seeds)
    uk_all(args.data_dir)
    if not args.quick:
        uk_lobo(args.data_dir)
    cardekho(args.data_dir)
    tianchi(args.data_dir)


if __name__ == "__main__":
    main()
