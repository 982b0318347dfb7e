"""LightGBM valuation: P10 / P50 / P90 of a used car's fair price (pure: no file or clock I/O).

Model
-----
* Target: log price. P50 is an L2 model of log price (the median of a log-normal-ish price);
  P10 and P90 are quantile models (``objective=quantile``, alpha 0.1 / 0.9).
* Monotone constraints on P50: value never rises with age, mileage, accident grade or
  damage (LightGBM allows none on quantile objectives; P10/P90 are clipped around P50).
* Conformal calibration: a held-out calibration split shifts P10 down / P90 up (in log space)
  by the finite-sample 90th percentile of the quantile models' misses, so that about 10 % of
  cars fall below P10 and 10 % above P90 on unseen data. P10 ≤ P50 ≤ P90 is then enforced.
  The boosters are refitted on fitting + calibration rows with the early-stopped tree counts
  and keep those shifts (``TrainConfig.refit``).
* Features: whichever canonical columns the training table has (``columns.py``), plus
  ``brand_tier`` and ``brand_origin`` from the WMI brand list, which transfer to brands the
  model has never seen. Copies of some fitting rows with brand and model blanked teach the
  trees what to do with an unseen brand (see ``_unknown_brand_rows``). Categories are
  integer-coded with a vocabulary stored beside the boosters; unseen categories are
  "missing", which LightGBM handles natively.

Artifact (``autolease.ml.registry``): ``p10.txt``, ``p50.txt``, ``p90.txt`` (LightGBM's native
text format) and ``encoding.json`` (feature order, vocabularies, calibration shifts, training
ranges; format 3 adds the unseen-brand level model, formats 1 and 2 still load). No pickle.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]

from autolease.ml.registry import Feature
from autolease.vehicle.brand_level import PENALTIES, LevelModel
from autolease.vehicle.card import valuation_card
from autolease.vehicle.features import (
    CATEGORICAL,
    MONOTONE_DECREASING,
    NUMERIC,
    Valuation,
    ValuationError,
    ValuationInput,
    brand_features,
    category,
    normalise_fuel,
    normalise_region,
)
from autolease.vehicle.unseen import fit_unseen_prior
from autolease.vehicle.wmi import brand, brand_key

F64 = npt.NDArray[np.float64]
UNSEEN_BLANKED = ("brand", "model", "brand_origin")
ENCODING_FILE = "encoding.json"
BOOSTER_FILES = {"p10": "p10.txt", "p50": "p50.txt", "p90": "p90.txt"}
FORMAT = "autolease.valuation/3"
READABLE = ("autolease.valuation/1", "autolease.valuation/2", FORMAT)
LEVEL_FACTS = ("engine_l", "power", "brand_tier")
"""Facts of a row the unseen-brand level model reads, beside the brand-agnostic log P50."""


@dataclass(frozen=True)
class TrainConfig:
    """Training knobs; defaults balance accuracy against ≥ 50,000 valuations/s on one core.

    Chosen by CV on training rows only (Ford 5-fold, six UK brands 3-fold): P50 rate 0.1
    (was 0.2) with light category smoothing (``cat_smooth`` 1, ``cat_l2`` 1,
    ``min_data_per_group`` 5; were 10 / 5 / 20) — Ford R² 0.9387 → 0.9409, better on every
    fold; six brands MAPE 6.92 → 6.87 % — within the same 200-tree cap.

    ``unseen_level_model`` (off): predict an unseen brand's level from `LEVEL_FACTS` and its
    price band (``vehicle.brand_level``) instead of the mean level. Off because, leaving one
    brand out on the developer tables, it never helped: chosen in 1 of 21 trainings, it moved
    that brand further off (docs/vehicle.md).
    """

    seed: int = 42
    holdout_share: float = 0.15
    calibration_share: float = 0.15
    p50_rounds: int = 200
    p50_learning_rate: float = 0.1
    p50_leaves: int = 63
    p50_feature_fraction: float = 0.7
    quantile_rounds: int = 60
    quantile_learning_rate: float = 0.25
    quantile_leaves: int = 15
    min_data_in_leaf: int = 20
    cat_smooth: float = 1.0
    cat_l2: float = 1.0
    min_data_per_group: int = 5
    early_stopping_rounds: int = 50
    monotone: bool = True
    coverage: float = 0.8
    num_threads: int = 0
    min_feature_share: float = 0.01
    unknown_brand_share: float = 0.3
    unknown_brand_weight: float = 0.1
    spread_min_brands: int = 3
    unseen_level_model: bool = False
    refit: bool = True
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Encoding:
    features: tuple[str, ...]
    categorical: tuple[str, ...]
    vocab: dict[str, dict[str, int]]
    shift_lo: float
    shift_hi: float
    floor_lo: float
    floor_hi: float
    age_max: float
    age_min: float
    mileage_per_year_median: float
    currency: str = ""
    unknown_brand_spread: float = 0.0
    unseen_prior: bool = False
    unseen_level: float = 0.0
    unseen_shift_lo: float = 0.0
    unseen_shift_hi: float = 0.0
    brand_levels: dict[str, float] = field(default_factory=dict)
    unseen_level_model: dict[str, Any] = field(default_factory=dict)
    format: str = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, indent=1).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Encoding:
        raw = json.loads(data)
        if raw.get("format") not in READABLE:
            raise ValuationError(f"unsupported valuation format {raw.get('format')!r}")
        raw["format"] = FORMAT
        raw["features"] = tuple(raw["features"])
        raw["categorical"] = tuple(raw["categorical"])
        return cls(**raw)


@dataclass(frozen=True)
class TrainedModel:
    files: dict[str, bytes]
    features: list[Feature]
    metrics: dict[str, Any]
    params: dict[str, Any]
    encoding: Encoding
    boosters: dict[str, lgb.Booster] = field(repr=False)
    card: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------- features


def map_distinct(
    series: Any, fn: Callable[[Any], Any], key: Callable[[Any], Any] | None = None
) -> Any:
    """``series.map(fn)`` (of ``key(value)`` when given) computed once per distinct non-null
    value; nulls give ``None``.

    A batch of 200,000 cars has a few hundred distinct brands and models: calling ``fn`` per
    row cost more than half of the batch valuation's time outside the boosters.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = np.array([fn(key(u) if key else u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=series.index, dtype=object)


def _brand_info(value: Any) -> tuple[str | None, float | None]:
    key = brand_key(value) if isinstance(value, str) else None
    info = brand(key) if key else None
    return (info.origin, info.tier_rank) if info else (None, None)


def add_derived(frame: Any) -> Any:
    """Add ``brand_tier`` and ``brand_origin`` from the brand list (for known brands)."""
    out = frame.copy()
    if "brand" in out:
        out["brand_origin"] = map_distinct(out["brand"], lambda b: _brand_info(b)[0])
        tier = map_distinct(out["brand"], lambda b: _brand_info(b)[1])
        out["brand_tier"] = pd.to_numeric(tier, errors="coerce").astype(float)
    return out


def _choose_features(frame: Any, config: TrainConfig) -> tuple[list[str], list[str]]:
    candidates = [*CATEGORICAL, *NUMERIC]
    candidates += sorted(c for c in frame.columns if c.startswith("extra_"))
    chosen, categorical = [], []
    for name in candidates:
        if name not in frame or name in config.exclude:
            continue
        col = frame[name]
        if col.notna().mean() < config.min_feature_share or col.nunique(dropna=True) < 2:
            continue
        chosen.append(name)
        if name in CATEGORICAL:
            categorical.append(name)
    if "age_years" not in chosen:
        raise ValuationError("the table has no usable age")
    return chosen, categorical


def _vocab(series: Any) -> dict[str, int]:
    counts = series.dropna().astype(str).value_counts()
    return {value: i for i, value in enumerate(sorted(counts.index))}


def frame_matrix(frame: Any, encoding: Encoding) -> F64:
    """The model matrix for a canonical frame (columns it lacks are missing)."""
    n = len(frame)
    out = np.full((n, len(encoding.features)), np.nan)
    for j, name in enumerate(encoding.features):
        if name not in frame:
            continue
        col = frame[name]
        if name in encoding.vocab:
            codes = map_distinct(col, encoding.vocab[name].get, key=str)
            out[:, j] = pd.to_numeric(codes, errors="coerce").to_numpy(dtype=float)
        else:
            out[:, j] = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    return out


def input_row(item: ValuationInput, encoding: Encoding) -> list[float]:
    """One model row from a ``ValuationInput`` (the fast path: no pandas)."""
    brand_cat, origin, tier = brand_features(item.brand)
    values: dict[str, Any] = {
        "brand": brand_cat,
        "model": category(item.model),
        "fuel": normalise_fuel(item.fuel),
        "transmission": category(item.transmission),
        "body": category(item.body),
        "region": normalise_region(item.region),
        "seller_type": category(item.seller_type),
        "brand_origin": origin,
        "age_years": item.age_years,
        "mileage_km": item.mileage_km,
        "engine_l": item.engine_l,
        "power": item.power,
        "condition": item.condition,
        "transfers": item.transfers,
        "accident_grade": item.accident_grade,
        "damage": item.damage,
        "brand_tier": tier,
    }
    row = []
    for name in encoding.features:
        if name.startswith("extra_"):
            value: Any = item.extras.get(name[6:], item.extras.get(name))
        else:
            value = values.get(name)
        vocab = encoding.vocab.get(name)
        if vocab is not None:
            code = vocab.get(value) if value is not None else None
            row.append(float("nan") if code is None else float(code))
        else:
            row.append(float("nan") if value is None else float(value))
    return row


# ----------------------------------------------------------------------------- training


def _params(
    config: TrainConfig, *, objective: str, alpha: float | None, leaves: int
) -> dict[str, Any]:
    point = objective != "quantile"
    params: dict[str, Any] = {
        "objective": objective,
        "num_leaves": leaves,
        "min_data_in_leaf": config.min_data_in_leaf,
        "feature_fraction": config.p50_feature_fraction if point else 0.9,
        "bagging_fraction": 0.9,
        "bagging_freq": 1,
        "lambda_l2": 5.0,
        "cat_smooth": config.cat_smooth,
        "cat_l2": config.cat_l2,
        "min_data_per_group": config.min_data_per_group,
        "max_cat_to_onehot": 8,
        "seed": config.seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": config.num_threads,
        "verbose": -1,
    }
    if alpha is not None:
        params["alpha"] = alpha
    return params


def split_indices(
    n: int, seed: int, share: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(rest, held-out) row indices; the held-out share is fixed by ``seed``."""
    perm = np.random.RandomState(seed).permutation(n)
    cut = math.ceil(share * n) if share > 0 else 0
    return np.sort(perm[cut:]), np.sort(perm[:cut])


def _conformal(scores: F64, coverage_tail: float) -> float:
    n = len(scores)
    level = min(1.0, math.ceil((n + 1) * (1 - coverage_tail)) / n)
    return float(np.quantile(scores, level))


def _initial_encoding(data: Any, config: TrainConfig, currency: str) -> Encoding:
    features, categorical = _choose_features(data, config)
    age = data["age_years"].to_numpy(dtype=float)
    per_year = np.full(len(data), np.nan)
    if "mileage_km" in data:
        per_year = data["mileage_km"].to_numpy(dtype=float) / np.maximum(age, 0.5)
    finite = per_year[np.isfinite(per_year)]
    return Encoding(
        features=tuple(features),
        categorical=tuple(categorical),
        vocab={name: _vocab(data[name]) for name in categorical},
        shift_lo=0.0,
        shift_hi=0.0,
        floor_lo=0.0,
        floor_hi=0.0,
        age_max=float(np.nanmax(age)),
        age_min=float(np.nanmin(age)),
        mileage_per_year_median=float(np.median(finite)) if len(finite) else 15_000.0,
        currency=currency,
    )


def _unknown_brand_rows(
    x: F64, encoding: Encoding, config: TrainConfig
) -> tuple[F64, npt.NDArray[np.int64]]:
    """Copies of some rows with brand and model blanked (and, for half, the origin too).

    A brand the model never saw arrives with unknown brand and model categories; without such
    rows in training, LightGBM routes "missing" down whichever side of a brand split it
    happened to learn, and a budget brand can be valued like a premium one. The copies teach
    the trees to fall back on what transfers: tier, origin, engine, age, mileage, extras.
    """
    blank = [encoding.features.index(f) for f in ("brand", "model") if f in encoding.features]
    if "brand" not in encoding.features or config.unknown_brand_share <= 0:
        return x[:0], np.zeros(0, dtype=np.int64)
    rng = np.random.RandomState(config.seed + 2)
    rows = rng.choice(len(x), size=int(config.unknown_brand_share * len(x)), replace=False)
    copies = x[rows].copy()
    copies[:, blank] = np.nan
    if "brand_origin" in encoding.features:
        half = rng.random_sample(len(copies)) < 0.5
        copies[half, encoding.features.index("brand_origin")] = np.nan
    return copies, rows


def _fit(
    x: F64,
    y: F64,
    fit: Any,
    cal: Any,
    encoding: Encoding,
    config: TrainConfig,
    rounds_of: dict[str, int] | None = None,
) -> tuple[dict[str, lgb.Booster], dict[str, Any]]:
    extra, rows = _unknown_brand_rows(x[fit], encoding, config)
    x_fit = np.vstack([x[fit], extra])
    y_fit = np.concatenate([y[fit], y[fit][rows]])
    weight = np.concatenate([np.ones(len(fit)), np.full(len(rows), config.unknown_brand_weight)])
    cat_idx = [encoding.features.index(c) for c in encoding.categorical]
    monotone = [
        -1 if config.monotone and f in MONOTONE_DECREASING else 0 for f in encoding.features
    ]
    q = (config.quantile_leaves, config.quantile_rounds, config.quantile_learning_rate)
    specs = {
        "p50": ("regression", None, config.p50_leaves, config.p50_rounds, config.p50_learning_rate),
        "p10": ("quantile", 0.1, *q),
        "p90": ("quantile", 0.9, *q),
    }
    boosters: dict[str, lgb.Booster] = {}
    used: dict[str, Any] = {}
    for name, (objective, alpha, leaves, rounds, lr) in specs.items():
        params = _params(config, objective=str(objective), alpha=alpha, leaves=int(leaves))
        params["learning_rate"] = lr
        if objective != "quantile":  # LightGBM refuses monotone constraints for quantiles
            params["monotone_constraints"] = monotone
            params["monotone_constraints_method"] = "intermediate"
        train_set = lgb.Dataset(
            x_fit, y_fit, weight=weight, categorical_feature=cat_idx, free_raw_data=False
        )
        callbacks: list[Callable[..., Any]] = []
        valid_sets = None
        if len(cal):
            valid_sets = [
                lgb.Dataset(x[cal], y[cal], categorical_feature=cat_idx, reference=train_set)
            ]
            callbacks.append(lgb.early_stopping(config.early_stopping_rounds, verbose=False))
        n_rounds = rounds_of[name] if rounds_of else int(rounds)
        boosters[name] = lgb.train(
            params, train_set, n_rounds, valid_sets=valid_sets, callbacks=callbacks
        )
        used[name] = {**params, "rounds": boosters[name].num_trees()}
    return boosters, used


def _calibrate(
    encoding: Encoding, boosters: dict[str, lgb.Booster], x: F64, y: F64, coverage: float
) -> Encoding:
    """Conformal shifts so that ``coverage`` of held-out prices fall within [P10, P90]."""
    if not len(y):
        return encoding
    tail = (1 - coverage) / 2
    valuer = LgbmValuer(encoding, boosters, ref="unsaved@0")
    shift_lo = _conformal(valuer._raw(boosters["p10"], x) - y, tail)
    shift_hi = _conformal(y - valuer._raw(boosters["p90"], x), tail)
    encoding = replace(encoding, shift_lo=shift_lo, shift_hi=shift_hi)
    # Floors: when the quantile models cross P50 (inputs unlike the training data), keep an
    # interval at least as wide as the 10th-percentile width seen on calibration.
    lo, mid, hi = LgbmValuer(encoding, boosters, ref="unsaved@0").predict_matrix(x)
    return replace(
        encoding,
        floor_lo=float(np.quantile(np.log(mid / lo), 0.1)),
        floor_hi=float(np.quantile(np.log(hi / mid), 0.1)),
    )


def _unknown_brand_spread(
    x: F64, y: F64, fit: Any, cal: Any, encoding: Encoding, config: TrainConfig
) -> float:
    """How far a brand's price level strays from what tier and spec say (log, P90 half-width).

    Leave one brand out inside the training rows: for each brand, a small brand-agnostic
    booster (no brand, model or origin) fitted on the other brands' fitting rows values this
    brand's calibration rows; the median log miss is the brand's level. Their root mean square
    (brands weighted equally) × 1.2816 widens P10/P90 of brands the model never saw.
    """
    if "brand" not in encoding.features:
        return 0.0
    brands = x[:, encoding.features.index("brand")]
    known = np.unique(brands[fit][np.isfinite(brands[fit])])
    if len(known) < config.spread_min_brands:
        return 0.0
    keep = [i for i, f in enumerate(encoding.features) if f not in UNSEEN_BLANKED]
    cats = [k for k, i in enumerate(keep) if encoding.features[i] in encoding.categorical]
    params = _params(config, objective="regression", alpha=None, leaves=config.quantile_leaves)
    params["learning_rate"] = config.quantile_learning_rate
    held_rows = cal if len(cal) else fit
    levels = []
    for b in known:
        others, held = fit[brands[fit] != b], held_rows[brands[held_rows] == b]
        if not len(held):
            continue
        data = lgb.Dataset(x[others][:, keep], y[others], categorical_feature=cats)
        booster = lgb.train(params, data, config.quantile_rounds)
        levels.append(float(np.median(y[held] - booster.predict(x[held][:, keep]))))
    return float(1.2816 * np.sqrt(np.mean(np.square(levels)))) if levels else 0.0


def _unseen_brand_prior(
    x: F64, y: F64, rows: npt.NDArray[np.int64], encoding: Encoding, config: TrainConfig
) -> tuple[Encoding, dict[str, Any]] | None:
    """The unseen-brand level correction and band, brand by brand (`vehicle.unseen`)."""
    if "brand" not in encoding.features or config.unknown_brand_share <= 0:
        return None
    keep = [i for i, f in enumerate(encoding.features) if f not in ("brand", "model")]
    cats = [k for k, i in enumerate(keep) if encoding.features[i] in encoding.categorical]
    params = _params(config, objective="regression", alpha=None, leaves=31)
    params["learning_rate"] = config.p50_learning_rate
    if config.monotone:
        params["monotone_constraints"] = [
            -1 if encoding.features[i] in MONOTONE_DECREASING else 0 for i in keep
        ]
        params["monotone_constraints_method"] = "intermediate"
    names = {code: name for name, code in encoding.vocab.get("brand", {}).items()}
    brands = x[rows, encoding.features.index("brand")]
    facts = [f for f in LEVEL_FACTS if f in encoding.features]
    prior = fit_unseen_prior(
        x[rows], y[rows], brands, names, columns=keep, categorical=cats, params=params,
        rounds=config.p50_rounds, coverage=config.coverage, min_brands=config.spread_min_brands,
        seed=config.seed, fact_columns=[encoding.features.index(f) for f in facts],
        penalties=PENALTIES if config.unseen_level_model else (),
    )  # fmt: skip
    if prior is None or prior.level_model is None:
        return None
    stored = {"facts": [*facts, "log_p50"], **asdict(prior.level_model)}
    return replace(
        encoding, unseen_prior=True, unseen_level=prior.level,
        unseen_shift_lo=prior.shift_lo, unseen_shift_hi=prior.shift_hi,
        brand_levels=prior.brand_levels, unseen_level_model=stored,
    ), {"sample": "leave one training brand out (brand-agnostic booster of the other brands)",
        "prior_correction": round(prior.level, 4), "shift_lo": round(prior.shift_lo, 4),
        "shift_hi": round(prior.shift_hi, 4), "band_scale": prior.band_scale,
        "level_model": {"facts": stored["facts"], "penalty": stored["penalty"],
                        "coef": [round(c, 4) for c in stored["coef"]]},
        "brand_levels": prior.brand_levels,
        "coverage_p10_p90_by_brand": prior.coverage_by_brand}  # fmt: skip


def train(frame: Any, config: TrainConfig | None = None, *, currency: str = "") -> TrainedModel:
    """Train P10/P50/P90 on a canonical frame (``columns.canonical_frame``).

    Rows are split (by ``config.seed``) into a hold-out for the reported metrics, a
    calibration set (early stopping and the conformal shifts) and the fitting set.
    """
    config = config or TrainConfig()
    data = add_derived(frame).reset_index(drop=True)
    encoding = _initial_encoding(data, config, currency)
    x = frame_matrix(data, encoding)
    y = np.log(data["price"].to_numpy(dtype=float))
    rest, test = split_indices(len(data), config.seed, config.holdout_share)
    fit_rows, cal_rows = split_indices(len(rest), config.seed + 1, config.calibration_share)
    fit, cal = rest[fit_rows], rest[cal_rows]
    boosters, used = _fit(x, y, fit, cal, encoding, config)
    encoding = _calibrate(encoding, boosters, x[cal], y[cal], config.coverage)
    prior = _unseen_brand_prior(x, y, np.sort(np.concatenate([fit, cal])), encoding, config)
    if prior is None:
        spread = _unknown_brand_spread(x, y, fit, cal, encoding, config)
        encoding = replace(encoding, unknown_brand_spread=spread)
    else:
        encoding = prior[0]
    if config.refit and len(cal):
        # Refit on fitting + calibration rows with the early-stopped tree counts; the
        # calibration shifts of the first fit carry over (slightly optimistic, see docs).
        rounds_of = {name: int(u["rounds"]) for name, u in used.items()}
        both = np.sort(np.concatenate([fit, cal]))
        boosters, used = _fit(x, y, both, both[:0], encoding, config, rounds_of)
    valuer = LgbmValuer(encoding, boosters, ref="unsaved@0")
    eval_rows = test if len(test) else cal
    p10, p50, p90 = valuer.predict_matrix(x[eval_rows])
    metrics = {
        **price_metrics(np.exp(y[eval_rows]), p10, p50, p90),
        "evaluated_on": "holdout" if len(test) else "calibration",
        "n_train": len(fit),
        "n_calibration": len(cal),
        "shift_lo": round(encoding.shift_lo, 5),
        "shift_hi": round(encoding.shift_hi, 5),
    }
    if prior is not None:
        metrics["unseen_brand"] = prior[1]
    files = {BOOSTER_FILES[k]: b.model_to_string().encode() for k, b in boosters.items()}
    files[ENCODING_FILE] = encoding.to_json()
    described = [
        Feature(f, "category" if f in encoding.categorical else "float", _describe(f))
        for f in encoding.features
    ]
    params = {"config": asdict(config), "boosters": used}
    fitted = np.sort(np.concatenate([fit, cal])) if config.refit and len(cal) else fit
    card = valuation_card(
        valuer.predict_matrix, price_metrics, x, np.exp(y), test=test, fitted=fitted,
        holdout_share=config.holdout_share, p50_booster=boosters["p50"],
        unseen_brand=metrics.get("unseen_brand"),
    )  # fmt: skip
    return TrainedModel(files, described, metrics, params, encoding, boosters, card)


def _describe(name: str) -> str:
    if name.startswith("extra_"):
        return f"extra numeric column {name[6:]!r} of the training table"
    if name in ("brand_tier", "brand_origin"):
        return "derived from the brand via the WMI brand list (transfers to unseen brands)"
    return "canonical column (see autolease.vehicle.columns)"


def price_metrics(actual: F64, p10: F64, p50: F64, p90: F64) -> dict[str, Any]:
    """MAE, MAPE, R² of P50 and the share of prices inside [P10, P90]."""
    err = p50 - actual
    ss_tot = float(((actual - actual.mean()) ** 2).sum())
    return {
        "n": len(actual),
        "mae": round(float(np.abs(err).mean()), 4),
        "mape": round(float((np.abs(err) / actual).mean()), 5),
        "r2": round(1 - float((err**2).sum()) / ss_tot, 5) if ss_tot > 0 else None,
        "coverage_p10_p90": round(float(((actual >= p10) & (actual <= p90)).mean()), 5),
        "below_p10": round(float((actual < p10).mean()), 5),
        "above_p90": round(float((actual > p90).mean()), 5),
    }


# ----------------------------------------------------------------------------- inference


class LgbmValuer:
    """A loaded valuation model; thread-safe for prediction (LightGBM predict is re-entrant)."""

    def __init__(
        self,
        encoding: Encoding,
        boosters: dict[str, lgb.Booster],
        *,
        ref: str,
        num_threads: int = 0,
    ) -> None:
        self.encoding = encoding
        self._boosters = (boosters["p10"], boosters["p50"], boosters["p90"])
        self._ref = ref
        self._kwargs: dict[str, Any] = {"num_threads": num_threads} if num_threads else {}

    @classmethod
    def from_files(cls, files: dict[str, bytes], *, ref: str, num_threads: int = 0) -> LgbmValuer:
        missing = [f for f in (*BOOSTER_FILES.values(), ENCODING_FILE) if f not in files]
        if missing:
            raise ValuationError(f"{ref}: valuation artifact lacks {', '.join(missing)}")
        encoding = Encoding.from_json(files[ENCODING_FILE])
        boosters = {
            name: lgb.Booster(model_str=files[filename].decode())
            for name, filename in BOOSTER_FILES.items()
        }
        return cls(encoding, boosters, ref=ref, num_threads=num_threads)

    @property
    def ref(self) -> str:
        return self._ref

    @property
    def max_age_years(self) -> float:
        return self.encoding.age_max

    @property
    def mileage_per_year_median(self) -> float:
        return self.encoding.mileage_per_year_median

    @property
    def features(self) -> tuple[str, ...]:
        return self.encoding.features

    def predict_matrix(self, x: F64) -> tuple[F64, F64, F64]:
        """(P10, P50, P90) in price units for a model matrix."""
        b10, b50, b90 = self._boosters
        enc = self.encoding
        lo = np.exp(self._raw(b10, x) - enc.shift_lo)
        mid = np.exp(self._raw(b50, x))
        hi = np.exp(self._raw(b90, x) + enc.shift_hi)
        lo = np.minimum(lo, mid * math.exp(-enc.floor_lo))
        hi = np.maximum(hi, mid * math.exp(enc.floor_hi))
        if enc.unseen_prior:
            self._value_unseen_brands(x, lo, mid, hi)
        elif enc.unknown_brand_spread > 0:
            lo, hi = self._widen_unseen_brands(x, lo, mid, hi)
        return lo, mid, hi

    def unseen_brand(self, x: F64) -> npt.NDArray[np.bool_]:
        """Rows whose brand the model never saw (or that name none)."""
        if "brand" not in self.encoding.features:
            return np.zeros(len(x), dtype=bool)
        return np.asarray(np.isnan(x[:, self.encoding.features.index("brand")]), dtype=bool)

    def _value_unseen_brands(self, x: F64, lo: F64, mid: F64, hi: F64) -> None:
        """In place, for rows of an unseen brand: P50 plus the prior correction, and the band
        calibrated brand by brand (`vehicle.unseen`)."""
        unseen = self.unseen_brand(x)
        if not unseen.any():
            return
        enc = self.encoding
        log_mid = np.log(mid[unseen])
        log_mid += self._unseen_level(x[unseen], log_mid)
        mid[unseen] = np.exp(log_mid)
        lo[unseen] = np.exp(log_mid - enc.unseen_shift_lo)
        hi[unseen] = np.exp(log_mid + enc.unseen_shift_hi)

    def _unseen_level(self, x: F64, log_mid: F64) -> F64:
        """The level correction of unseen-brand rows: the level model of their facts (format
        3), else the one mean level (format 2)."""
        stored = self.encoding.unseen_level_model
        if not stored or not stored.get("coef"):
            return np.full(len(x), self.encoding.unseen_level)
        model = LevelModel(stored["intercept"], tuple(stored["mean"]), tuple(stored["scale"]),
                           tuple(stored["coef"]))  # fmt: skip
        columns = [self.encoding.features.index(f) for f in stored["facts"][:-1]]
        return model.predict(np.column_stack([x[:, columns], log_mid]))

    def _widen_unseen_brands(self, x: F64, lo: F64, mid: F64, hi: F64) -> tuple[F64, F64]:
        """Add the brand-level spread in quadrature (log space) where the brand is unknown."""
        unseen = np.isnan(x[:, self.encoding.features.index("brand")])
        if not unseen.any():
            return lo, hi
        spread = self.encoding.unknown_brand_spread
        below = np.log(mid[unseen] / lo[unseen])
        above = np.log(hi[unseen] / mid[unseen])
        lo, hi = lo.copy(), hi.copy()
        lo[unseen] = mid[unseen] * np.exp(-np.hypot(below, spread))
        hi[unseen] = mid[unseen] * np.exp(np.hypot(above, spread))
        return lo, hi

    def _raw(self, booster: lgb.Booster, x: F64) -> F64:
        return np.asarray(booster.predict(x, **self._kwargs), dtype=np.float64)

    def value(self, item: ValuationInput) -> Valuation:
        p10, p50, p90 = self.predict_matrix(np.array([input_row(item, self.encoding)]))
        return Valuation(float(p10[0]), float(p50[0]), float(p90[0]), self._ref)

    def value_many(self, items: Sequence[ValuationInput]) -> list[Valuation]:
        if not items:
            return []
        x = np.array([input_row(item, self.encoding) for item in items])
        p10, p50, p90 = self.predict_matrix(x)
        return [
            Valuation(float(a), float(b), float(c), self._ref)
            for a, b, c in zip(p10, p50, p90, strict=True)
        ]

    def value_frame(self, frame: Any) -> tuple[F64, F64, F64]:
        """Batch valuation of a canonical frame (evaluation, benchmarks)."""
        return self.predict_matrix(frame_matrix(add_derived(frame), self.encoding))
