"""2-D characteristics of a scorecard: which pairs of inputs to propose, and their cells.

A 2-D characteristic is one row group of the points table whose bins are the cells of an
optbinning `OptimalBinning2D` partition of two numeric inputs (boxes on their joint prebin
grid, each holding at least ``MIN_CELL_SHARE`` of the rows) plus one missing cell (either
input missing). It lets an additive card carry an interaction: the points of a cell are not
the sum of a points for the first input and a points for the second.

Pairs are proposed cheaply, then decided out of fold by `binning.ScorecardPD`:

- `propose` ranks the pairs of the strongest numeric inputs by how badly the card without
  them (its out-of-fold log-odds) fits the pair's cells: the binomial deviance of the cells'
  bad counts against the counts the card expects, less two per cell (so a pair pays for its
  cells as in AIC). Only pairs with a positive figure are proposed;
- `binning.ScorecardPD` then adds a proposed pair only when, with its cells refitted inside
  each inner fold, it lowers the held-out log-loss clearly (see `clear_gain`).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from autolease.credit.scorecard import box_index
from autolease.kit.extras import require

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
MIN_CELL_SHARE = 0.05
MAX_PREBINS = 5
# A pair is added only if its mean per-row out-of-fold log-loss gain is this many standard
# errors above zero.
MIN_GAIN_Z = 2.0
SEPARATOR = " × "


@dataclass(frozen=True)
class Pair:
    """Two numeric inputs by their column positions and names."""

    first: int
    second: int
    names: tuple[str, str]

    @property
    def name(self) -> str:
        return SEPARATOR.join(self.names)


def fit_boxes(
    first: F64, second: F64, y: npt.NDArray[np.int64], directions: tuple[int, int]
) -> F64:
    """The cells of an `OptimalBinning2D` fit as rows of (lower, upper, lower_2, upper_2).

    Fitted on the rows where both inputs are present; a declared direction (+1 higher is
    riskier) becomes that axis's monotone trend.
    """
    require("train", "optbinning")
    from optbinning import OptimalBinning2D

    present = ~(np.isnan(first) | np.isnan(second))
    whole = np.array([[-math.inf, math.inf, -math.inf, math.inf]])
    if present.sum() < 2 or len(np.unique(y[present])) < 2:
        return whole
    optb = OptimalBinning2D(
        solver="cp",
        max_n_prebins_x=MAX_PREBINS,
        max_n_prebins_y=MAX_PREBINS,
        min_bin_size=MIN_CELL_SHARE,
        monotonic_trend_x=_trend(directions[0]),
        monotonic_trend_y=_trend(directions[1]),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optb.fit(first[present], second[present], y[present])
    splits_x, splits_y = optb.splits
    if not len(splits_x):
        return whole
    return np.array(
        [[*map(float, sx), *map(float, sy)] for sx, sy in zip(splits_x, splits_y, strict=True)],
        dtype=np.float64,
    )


def _trend(direction: int) -> str | None:
    return "ascending" if direction > 0 else "descending" if direction < 0 else None


def candidate_pairs(names: Sequence[str], columns: Sequence[int], limit: int) -> list[Pair]:
    """Every pair of the first `limit` columns (given strongest first)."""
    top = list(zip(columns, names, strict=True))[:limit]
    return [Pair(a, b, (na, nb)) for (a, na), (b, nb) in itertools.combinations(top, 2)]


def propose(
    x: F64,
    y: npt.NDArray[np.int64],
    pairs: Sequence[Pair],
    base_logit: F64,
    directions: dict[str, int],
    limit: int,
) -> list[tuple[Pair, F64, float]]:
    """The `limit` pairs the card fits worst: (pair, its cells on all rows, deviance − 2·cells).

    Parameters
    ----------
    x : ndarray of float64, shape (n, p)
    y : ndarray of int64
    pairs : sequence of Pair
    base_logit : ndarray of float64
        The card's out-of-fold log-odds without any pair.
    directions : dict of str to int
        Declared monotone directions.
    limit : int
    """
    expected = 1.0 / (1.0 + np.exp(-base_logit))
    scored = []
    for pair in pairs:
        a, b = x[:, pair.first], x[:, pair.second]
        dirs = (directions.get(pair.names[0], 0), directions.get(pair.names[1], 0))
        boxes = fit_boxes(a, b, y, dirs)
        cells = box_index(a, b, boxes)
        misfit = _cell_deviance(cells, y, expected, len(boxes) + 1) - 2.0 * (len(boxes) + 1)
        if misfit > 0:
            scored.append((pair, boxes, misfit))
    return sorted(scored, key=lambda s: -s[2])[:limit]


def _cell_deviance(cells: I64, y: npt.NDArray[np.int64], expected: F64, n_cells: int) -> float:
    """Binomial deviance of each cell's bads against the PDs' sum there."""
    n = np.bincount(cells, minlength=n_cells).astype(np.float64)
    bads = np.bincount(cells, weights=y, minlength=n_cells)
    exp_bads = np.bincount(cells, weights=expected, minlength=n_cells)
    goods, exp_goods = n - bads, n - exp_bads
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = np.where(bads > 0, bads * np.log(bads / exp_bads), 0.0)
        dev += np.where(goods > 0, goods * np.log(goods / exp_goods), 0.0)
    return float(2.0 * np.nansum(dev))


def row_log_loss(y: npt.NDArray[np.int64], logit: F64) -> F64:
    """Each row's negative log-likelihood under the log-odds `logit`."""
    return np.asarray(np.logaddexp(0.0, logit) - y * logit, dtype=np.float64)


def clear_gain(before: F64, after: F64) -> tuple[float, float]:
    """Mean per-row log-loss gain of `after` over `before`, and its z (mean / SE)."""
    gain = before - after
    se = float(np.std(gain, ddof=1) / math.sqrt(len(gain))) if len(gain) > 1 else 0.0
    mean = float(np.mean(gain))
    return mean, (mean / se if se > 0 else 0.0)


def box_labels(names: tuple[str, str], boxes: F64) -> list[str]:
    """A readable label of every cell: ``A [lo, hi) × B [lo, hi)``."""
    return [
        f"{names[0]} [{_fmt(lo)}, {_fmt(hi)}){SEPARATOR}{names[1]} [{_fmt(lo2)}, {_fmt(hi2)})"
        for lo, hi, lo2, hi2 in boxes
    ]


def _fmt(value: float) -> str:
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    return f"{value:.6g}"
