"""Valuing a brand the model never saw: a brand-agnostic prior, calibrated brand by brand (pure).

A brand absent from training arrives with unknown brand and model categories. The valuation
then rests on what transfers between brands: origin, market tier, and the age, mileage,
engine and other inputs (the model learns that path from copies of its rows with brand and
model blanked). Brands differ in level (how they hold their value) in ways those facts do
not explain, so that path is calibrated by leaving each training brand out in turn
(grouped, or cross-conformal, by brand):

* each training brand's rows are valued by a brand-agnostic booster (no brand or model)
  fitted on the other brands only; the log misses of a brand are its **level** (median:
  how much the transferable facts over- or under-value it);
* a **level model** (``vehicle.brand_level``) predicts an unseen brand's level from facts
  its cars carry too — engine size, power, market tier and the brand-agnostic log price (the
  price band) — by a ridge regression shrunk to the mean level over brands (each brand
  weighing the same), its penalty chosen by leaving each training brand out again; it stays
  the mean level unless it predicts the left-out brands' levels clearly better. The level is
  added to every unseen brand's P50, so that unseen brands are neither systematically over-
  nor under-valued;
* P10 / P90 of an unseen brand are P50 shifted by the 10th / 90th percentile of every
  brand's misses less the level predicted *without* that brand (so the band carries the
  level model's own error), rows weighted so that every held-out brand counts the same, and
  scaled so that the median training brand's coverage is 80 %: the band fits a typical
  brand; a brand whose level is far from every other's is still under-covered.

With fewer than ``min_brands`` brands there is nothing to learn across brands and the
model keeps its own band for unknown brands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from autolease.vehicle.brand_level import (
    PENALTIES,
    LevelModel,
    band_shifts,
    brand_coverage,
    fit_level_model,
    weighted_quantile,
)

__all__ = ["UnseenBrandPrior", "fit_unseen_prior", "weighted_quantile"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class UnseenBrandPrior:
    """The level model and shifts, and each training brand's level and coverage."""

    level: float
    shift_lo: float
    shift_hi: float
    brand_levels: dict[str, float] = field(default_factory=dict)
    coverage_by_brand: dict[str, float] = field(default_factory=dict)
    level_model: LevelModel | None = None
    band_scale: float = 1.0


def _fit(x: F64, y: F64, params: dict[str, Any], rounds: int, cats: Sequence[int]) -> Any:
    data = lgb.Dataset(x, y, categorical_feature=list(cats), free_raw_data=False)
    return lgb.train(params, data, rounds)


def _sample(rows: I64, most: int, rng: np.random.RandomState) -> I64:
    return rows if len(rows) <= most else np.sort(rng.choice(rows, size=most, replace=False))


def fit_unseen_prior(
    x: F64,
    y: F64,
    brands: F64,
    names: dict[int, str],
    *,
    columns: Sequence[int],
    categorical: Sequence[int],
    params: dict[str, Any],
    rounds: int,
    coverage: float = 0.8,
    min_brands: int = 3,
    seed: int = 0,
    max_train_rows: int = 20_000,
    max_brand_rows: int = 2_000,
    held_out_rounds: int = 100,
    min_brand_rows: int = 30,
    max_brands: int = 20,
    fact_columns: Sequence[int] = (),
    penalties: Sequence[float] = PENALTIES,
) -> UnseenBrandPrior | None:
    """The unseen-brand prior, by leaving each training brand out in turn.

    Parameters
    ----------
    x, y : model matrix and log prices of the training rows
    brands : the brand code of each row (NaN: unknown)
    names : brand code → brand name (for the per-brand report)
    columns : the matrix columns the brand-agnostic booster reads (no brand or model)
    categorical : positions *within* `columns` that are categorical
    params, rounds : LightGBM parameters and tree count of the brand-agnostic boosters (at
        most `held_out_rounds` trees at a rate of at least 0.2, on at most `max_train_rows`
        rows, valuing at most `max_brand_rows` rows of their brand)
    fact_columns : matrix columns of the brand facts the level model reads (beside the
        brand-agnostic log price, always the last fact; ``vehicle.brand_level``)
    penalties : the level model's ridge penalties to try (none: the mean level alone)

    Only brands with at least `min_brand_rows` rows are left out in turn (a brand of a few
    cars gives a level of noise, yet would weigh as much as any other), the `max_brands`
    largest at most; the others still train. Returns ``None`` with fewer than `min_brands`
    such brands.
    """
    known = np.isfinite(brands)
    codes, counts = np.unique(brands[known], return_counts=True)
    codes = codes[counts >= min_brand_rows][np.argsort(-counts[counts >= min_brand_rows],
                                                       kind="stable")][:max_brands]  # fmt: skip
    codes = np.sort(codes)
    if len(codes) < min_brands:
        return None
    rng = np.random.RandomState(seed)
    keep = list(columns)
    quick = {**params, "learning_rate": max(float(params.get("learning_rate", 0.1)), 0.2)}
    misses, facts, levels, held_codes = [], [], {}, []
    for code in codes.tolist():
        own = np.flatnonzero(brands == code)
        others = _sample(np.flatnonzero(known & (brands != code)), max_train_rows, rng)
        held = _sample(own, max_brand_rows, rng)
        booster = _fit(x[others][:, keep], y[others], quick, min(rounds, held_out_rounds),
                       categorical)  # fmt: skip
        guess = np.asarray(booster.predict(x[held][:, keep]), dtype=np.float64)
        misses.append(y[held] - guess)
        facts.append(np.column_stack([x[held][:, list(fact_columns)], guess]))
        levels[names.get(int(code), str(code))] = round(float(np.median(misses[-1])), 4)
        held_codes.append(code)
    model, residuals = fit_level_model(facts, misses, penalties)
    shift_lo, shift_hi, scale = band_shifts(residuals, coverage)
    covered = brand_coverage(residuals, shift_lo, shift_hi)
    by_brand = {
        names.get(int(c), str(c)): round(v, 4) for c, v in zip(held_codes, covered, strict=True)
    }
    return UnseenBrandPrior(model.intercept, shift_lo, shift_hi, levels, by_brand, model, scale)
