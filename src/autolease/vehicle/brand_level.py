"""An unseen brand's level from transferable facts, and a band that fits brand by brand (pure).

Inputs are, per training brand left out in turn, the log misses of a brand-agnostic booster
fitted on the other brands (``vehicle.unseen``) and the facts of the same rows that an unseen
brand's cars carry too: engine size, power, market tier and the brand-agnostic log price
itself (the price band). Nothing here reads a price of the brand being valued.

* **Level model**: a ridge regression of the misses on the standardised facts, rows weighted
  so that every brand counts the same, shrunk towards the mean level over brands. Its penalty
  is chosen by leaving each training brand out in turn (nested: the brand being valued plays
  no part); the regression is kept only when it predicts the left-out brands' levels clearly
  better than the mean level does (by two standard errors, paired over brands), else the
  mean level is the prior, as before.
* **Band**: every brand's misses less the level the model predicts *without that brand*, so
  the band carries the level model's own error. P10 / P90 shifts are the brand-weighted
  10th / 90th percentiles of those, scaled so that the *median* training brand's coverage is
  the target: the band fits a typical brand instead of over-covering most brands to make up,
  on average, for the few whose level is far from every other's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
PENALTIES = (0.1, 1.0, 10.0)
GUARD = 2.0
SCALES = tuple(np.round(np.arange(0.3, 3.0001, 0.01), 2).tolist())


@dataclass(frozen=True)
class LevelModel:
    """``intercept + coef · (facts − mean) / scale`` (a missing fact counts as its mean);
    without coefficients, the mean level over the training brands (each weighing the same)."""

    intercept: float
    mean: tuple[float, ...] = ()
    scale: tuple[float, ...] = ()
    coef: tuple[float, ...] = ()
    penalty: float | None = None

    def predict(self, facts: F64) -> F64:
        if not self.coef:
            return np.full(len(facts), self.intercept)
        z = np.nan_to_num((facts - np.asarray(self.mean)) / np.asarray(self.scale))
        return np.asarray(self.intercept + z @ np.asarray(self.coef), dtype=np.float64)


def weighted_quantile(values: F64, weights: F64, q: float) -> float:
    """The `q` quantile of `values` with row `weights` (the smallest value reaching it).

    >>> weighted_quantile(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 2.0]), 0.5)
    2.0
    """
    order = np.argsort(values, kind="mergesort")
    cum = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][min(int(np.searchsorted(cum, q - 1e-12)), len(values) - 1)])


def _brand_weights(misses: Sequence[F64]) -> F64:
    return np.concatenate([np.full(len(m), 1.0 / (len(m) * len(misses))) for m in misses])


def fit_ridge(facts: Sequence[F64], misses: Sequence[F64], penalty: float | None) -> LevelModel:
    """The level model of these brands; ``penalty`` ``None`` is the mean level alone.

    The penalty is in brands: ``penalty`` 1 weighs a coefficient's square like one brand's
    squared error, so with few brands the fit stays near the mean.
    """
    intercept = float(np.mean([np.median(m) for m in misses]))
    if penalty is None or not facts or facts[0].shape[1] == 0:
        return LevelModel(intercept)
    x, y, w = np.vstack(facts), np.concatenate(misses), _brand_weights(misses)
    finite = np.isfinite(x)
    mean = np.where(finite, x, 0.0).T @ w / np.maximum(finite.T @ w, 1e-12)
    spread = np.sqrt(np.where(finite, (x - mean) ** 2, 0.0).T @ w / np.maximum(finite.T @ w, 1e-12))
    scale = np.where(spread > 1e-9, spread, np.inf)
    z = np.nan_to_num((x - mean) / scale)
    gram = z.T @ (z * w[:, None]) + penalty / len(misses) * np.eye(z.shape[1])
    coef = np.linalg.solve(gram, z.T @ (w * (y - intercept)))
    return LevelModel(intercept, tuple(mean.tolist()), tuple(scale.tolist()),
                      tuple(coef.tolist()), penalty)  # fmt: skip


def _left_out(facts: Sequence[F64], misses: Sequence[F64], penalty: float | None) -> list[F64]:
    """Each brand's misses less the level a model of the *other* brands predicts for it."""
    out = []
    for k in range(len(misses)):
        others = [i for i in range(len(misses)) if i != k]
        model = fit_ridge([facts[i] for i in others], [misses[i] for i in others], penalty)
        out.append(misses[k] - model.predict(facts[k]))
    return out


def _errors(residuals: Sequence[F64]) -> F64:
    return np.array([abs(float(np.median(r))) for r in residuals])


def fit_level_model(
    facts: Sequence[F64],
    misses: Sequence[F64],
    penalties: Sequence[float] = PENALTIES,
    guard: float = GUARD,
) -> tuple[LevelModel, list[F64]]:
    """The level model (penalty by leaving each brand out) and every brand's left-out misses.

    The regression replaces the mean level only if its left-out level errors are smaller by
    more than `guard` standard errors (paired over brands): with a dozen brands a fact that
    merely happens to line up with their levels must not move every unseen brand.
    """
    residuals: dict[float | None, list[F64]] = {None: _left_out(facts, misses, None)}
    base = _errors(residuals[None])
    best: float | None = None
    best_error = float(base.mean())
    for penalty in penalties if len(misses) >= 4 and facts and facts[0].shape[1] else ():
        found = _left_out(facts, misses, penalty)
        gain = base - _errors(found)
        clear = gain.mean() > guard * gain.std(ddof=1) / np.sqrt(len(gain))
        if clear and base.mean() - gain.mean() < best_error:
            best, best_error, residuals[penalty] = penalty, base.mean() - gain.mean(), found
    return fit_ridge(facts, misses, best), residuals[best]


def brand_coverage(residuals: Sequence[F64], shift_lo: float, shift_hi: float) -> list[float]:
    return [float(np.mean((r >= -shift_lo) & (r <= shift_hi))) for r in residuals]


def band_shifts(residuals: Sequence[F64], coverage: float) -> tuple[float, float, float]:
    """(shift_lo, shift_hi, scale): brand-weighted tail quantiles of the left-out residuals,
    scaled (the smallest of `SCALES`) until the median brand's coverage reaches `coverage`."""
    values, weights = np.concatenate(residuals), _brand_weights(residuals)
    tail = (1 - coverage) / 2
    lo = -weighted_quantile(values, weights, tail)
    hi = weighted_quantile(values, weights, 1 - tail)
    for scale in SCALES:
        if np.median(brand_coverage(residuals, scale * lo, scale * hi)) >= coverage - 1e-9:
            return scale * lo, scale * hi, scale
    return SCALES[-1] * lo, SCALES[-1] * hi, SCALES[-1]
