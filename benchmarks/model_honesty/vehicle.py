"""Vehicle valuation: held out against in-sample, a default LightGBM, and unseen brands.

For every price table under ``vehicle/`` that names its brands and gives an age:

* a fixed 80/20 split (``RandomState(42)``): our model's MAPE on the training rows
  (in-sample) and on the held-out rows, with P10–P90 coverage and the median log bias; a
  LightGBM with default parameters (``objective=regression``) on the same canonical columns
  (text as pandas categories) and split;
* leave one brand out: for each brand with at least `MIN_BRAND_ROWS` rows, train on the
  other brands and value this one — MAPE, P10–P90 coverage (target 75–85 %) and median log
  bias (+ over-valued), beside the default LightGBM's MAPE on the same split.

Standard errors: of a MAPE, the absolute percentage errors' standard deviation / √n.
``quick`` caps every fit at `QUICK_TRAIN_ROWS` sampled training rows and every brand at
`QUICK_TEST_ROWS` valued rows. A table without an age (the KBB 2005 prices: one model year)
or without brands is listed and skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped,unused-ignore]

from autolease.vehicle.columns import canonical_frame, parse_mapping
from autolease.vehicle.valuation import LgbmValuer, TrainConfig, add_derived, train

NAME = "vehicle"
MIN_BRAND_ROWS = 200
QUICK_TRAIN_ROWS = 15_000
QUICK_TEST_ROWS = 2_000
F = np.ndarray


def _uk(folder: Path) -> tuple[pd.DataFrame, str, int | None]:
    files = sorted(folder.glob("*.csv"))
    raw = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    return raw, "mileage_km=mileage*1.609344,extra=tax+mpg", 2020


def _each_file(mapping: str) -> Callable[[Path], list[tuple[str, pd.DataFrame, str, int | None]]]:
    def read(folder: Path) -> list[tuple[str, pd.DataFrame, str, int | None]]:
        tables = []
        for path in sorted(folder.glob("*.csv")):
            table = pd.read_csv(path).drop_duplicates().reset_index(drop=True)
            tables.append((f"{folder.name}/{path.name}", table, mapping, None))
        return tables

    return read


def _uk_tables(folder: Path) -> list[tuple[str, pd.DataFrame, str, int | None]]:
    raw, mapping, year = _uk(folder)
    return [(f"{folder.name} (one file per brand, together)", raw, mapping, year)]


READERS: dict[str, Callable[[Path], list[tuple[str, pd.DataFrame, str, int | None]]]] = {
    "uk_used_cars": _uk_tables,
    "cardekho": _each_file(""),
    "tianchi_used_car_sample": _each_file("mileage_km=kilometer*10000"),
}


def _sample(rows: F, most: int | None, seed: int) -> F:
    if most is None or len(rows) <= most:
        return rows
    return np.sort(np.random.RandomState(seed).choice(rows, most, replace=False))


def _mape(actual: F, predicted: F) -> tuple[float, float]:
    ape = np.abs(predicted - actual) / actual
    return float(ape.mean()), float(ape.std(ddof=1) / np.sqrt(len(ape)))


def _ours(frame: pd.DataFrame, fit: F, rows: dict[str, F]) -> dict[str, dict[str, float]]:
    model = train(frame.iloc[fit], TrainConfig(holdout_share=0.0, num_threads=1))
    valuer = LgbmValuer(model.encoding, model.boosters, ref="bench@0", num_threads=1)
    out = {}
    for name, which in rows.items():
        part = frame.iloc[which]
        actual = part["price"].to_numpy(dtype=float)
        p10, p50, p90 = valuer.value_frame(part)
        mape, se = _mape(actual, p50)
        out[name] = {"mape": mape, "se": se, "n": len(which),
                     "coverage": float(((actual >= p10) & (actual <= p90)).mean()),
                     "bias": float(np.median(np.log(p50 / actual)))}  # fmt: skip
    return out


def _baseline(frame: pd.DataFrame, fit: F, test: F) -> tuple[float, float]:
    import lightgbm as lgb

    data = add_derived(frame)
    columns = [c for c in data.columns if c not in ("price", "registration_date", "sale_date")]
    x = data[columns].copy()
    for column in columns:
        if not pd.api.types.is_numeric_dtype(x[column]):
            x[column] = x[column].astype("category")
    y = data["price"].to_numpy(dtype=float)
    params = {"objective": "regression", "verbose": -1, "num_threads": 1}
    model = lgb.train(params, lgb.Dataset(x.iloc[fit], y[fit]))
    return _mape(y[test], np.asarray(model.predict(x.iloc[test]), dtype=np.float64))


def _split(frame: pd.DataFrame, cap: int | None) -> list[str]:
    perm = np.random.RandomState(42).permutation(len(frame))
    cut = int(np.ceil(0.2 * len(frame)))
    test, fit = np.sort(perm[:cut]), np.sort(perm[cut:])
    fit = _sample(fit, cap, 1)
    test_rows = _sample(test, None if cap is None else cap // 3, 2)
    r = _ours(frame, fit, {"in": _sample(fit, len(test_rows), 3), "out": test_rows})
    base, base_se = _baseline(frame, fit, test_rows)
    beats = r["out"]["mape"] <= base + base_se
    out = r["out"]
    return [
        "| sample | rows | MAPE | P10–P90 coverage | median log bias |", "|---|---|---|---|---|",
        f"| in-sample (training rows) | {r['in']['n']:,} | {r['in']['mape']:.1%} |"
        f" {r['in']['coverage']:.1%} | {r['in']['bias']:+.3f} |",
        f"| held out (20 %) | {out['n']:,} | **{out['mape']:.1%}** ± {out['se']:.1%}"
        f" | {out['coverage']:.1%} | {out['bias']:+.3f} |",
        f"| LightGBM defaults, same split | {len(test_rows):,} | {base:.1%} ± {base_se:.1%}"
        " | — | — |",
        "", f"Held out against the baseline: {'matches or beats' if beats else '**worse**'}.", "",
    ]  # fmt: skip


def _lobo(frame: pd.DataFrame, cap: int | None) -> list[str]:
    counts = frame["brand"].value_counts()
    brands = sorted(b for b, n in counts.items() if n >= MIN_BRAND_ROWS)
    if len(brands) < 3:
        return [f"Leave one brand out: fewer than 3 brands with {MIN_BRAND_ROWS}+ rows.", ""]
    lines = [
        "| brand left out | rows | MAPE | P10–P90 coverage | median log bias |"
        " LightGBM defaults MAPE |",
        "|---|---|---|---|---|---|",
    ]  # fmt: skip
    inside = 0
    for k, brand in enumerate(brands):
        own = np.flatnonzero((frame["brand"] == brand).to_numpy())
        rest = _sample(np.flatnonzero((frame["brand"] != brand).to_numpy()), cap, 10 + k)
        held = _sample(own, None if cap is None else QUICK_TEST_ROWS, 20 + k)
        r = _ours(frame, rest, {"out": held})["out"]
        base, _ = _baseline(frame, rest, held)
        inside += 0.75 <= r["coverage"] <= 0.85
        lines.append(
            f"| {brand} | {len(held):,} | {r['mape']:.1%} ± {r['se']:.1%} | {r['coverage']:.1%} |"
            f" {r['bias']:+.3f} | {base:.1%} |"
        )
    lines += ["", f"Coverage within 75–85 %: {inside} of {len(brands)} brands.", ""]
    return lines


def _table(name: str, raw: pd.DataFrame, mapping: str, year: int | None,
           quick: bool) -> list[str]:  # fmt: skip
    try:
        frame, _ = canonical_frame(raw, parse_mapping(mapping or None), reference_year=year)
    except ValueError as exc:  # no price, age or brand the mapping can find
        return [f"#### {name}", "", f"skipped: {exc}", ""]
    if "brand" not in frame or "age_years" not in frame:
        return [f"#### {name}", "", "skipped: no brand or age column", ""]
    frame = frame.reset_index(drop=True)
    cap = QUICK_TRAIN_ROWS if quick else None
    lines = [f"#### {name} ({len(frame):,} rows, {frame['brand'].nunique()} brands)", ""]
    lines += _split(frame, cap)
    lines += _lobo(frame, cap)
    return lines


def run(data_root: Path, *, quick: bool) -> str:
    """The vehicle section (Markdown)."""
    folder = data_root / "vehicle"
    lines = ["### Vehicle valuation (`benchmarks/model_honesty/vehicle.py`)", ""]
    if quick:
        lines += [f"Quick run: fits on at most {QUICK_TRAIN_ROWS:,} sampled rows, at most"
                  f" {QUICK_TEST_ROWS:,} valued rows per brand.", ""]  # fmt: skip
    skipped: list[str] = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        if sub.name not in READERS:
            skipped.append(sub.name)
            continue
        for name, raw, mapping, year in READERS[sub.name](sub):
            lines += _table(name, raw, mapping, year, quick)
    if skipped:
        lines.append(f"Skipped (no age or no brand column to value by): {', '.join(skipped)}.")
    return "\n".join(lines)
