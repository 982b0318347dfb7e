"""Scorecard training: optimal binning → WOE → logistic regression → points (pure).

`ScorecardPD` bins every input with optbinning (one `OptimalBinning` each; the declared
monotone direction where there is one, else the ``monotonic_trend`` parameter), computes WOE
as ``ln(share of goods / share of bads)`` (positive = safer, smoothed by half a count),
keeps inputs with enough information value and not too correlated with a stronger one, and
fits scikit-learn's L2 `LogisticRegression` on the bad flag. Fitted coefficients are
negative, so ``points = −factor · coefficient · WOE``; an input whose coefficient comes out
positive (collinearity) is dropped and the regression refitted, so points always rise with
WOE. What is kept is a `scorecard.PointsTable`; optbinning is never needed to score.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.credit.encoding import ColumnKind, InputSchema
from autolease.credit.scaling import ScoreScaling
from autolease.credit.scorecard import (
    MISSING_LABEL,
    CompiledScorecard,
    PointsTable,
    ScorecardBin,
    ScorecardVariable,
)

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
_SMOOTH = 0.5


@dataclass
class _Binned:
    name: str
    kind: ColumnKind
    bins: list[ScorecardBin]
    index: I64
    woe: F64
    iv: float
    status: str = "selected"


@dataclass
class ScorecardPD:
    """Estimator: optimal binning + WOE logistic regression + points scaling.

    Parameters
    ----------
    monotonic_trend : str
        optbinning trend for inputs without a declared direction ("auto", "auto_asc_desc",
        "ascending", "descending", ...). Declared directions (`monotone`) always win.
    monotone : mapping of str to int
        +1 when a higher value is riskier (bad rate ascending), −1 when safer.
    max_n_prebins, min_prebin_size, min_bin_size, max_n_bins : optbinning limits.
    min_iv : float
        Inputs with a lower information value are left out.
    max_correlation : float
        Of two inputs whose WOE correlate more than this, the lower-IV one is left out.
    c : float
        Inverse L2 strength of the logistic regression.
    scaling : ScoreScaling
    point_decimals : int
        Points are rounded to this many decimals in the table.
    """

    monotonic_trend: str = "auto"
    monotone: Mapping[str, int] = field(default_factory=dict)
    max_n_prebins: int = 20
    min_prebin_size: float = 0.05
    min_bin_size: float | None = None
    max_n_bins: int | None = None
    min_iv: float = 0.02
    max_correlation: float = 0.9
    c: float = 0.1
    scaling: ScoreScaling = field(default_factory=ScoreScaling)
    point_decimals: int = 2
    table_: PointsTable = field(init=False, repr=False, compare=False)
    compiled_: CompiledScorecard = field(init=False, repr=False, compare=False)
    report_: list[dict[str, Any]] = field(init=False, repr=False, compare=False)

    def _check_parameters(self) -> None:
        if not 0 < self.max_correlation <= 1:
            raise ValueError("max_correlation must be in (0, 1]")
        if self.c <= 0 or self.min_iv < 0 or self.point_decimals < 0:
            raise ValueError("c must be positive; min_iv and point_decimals non-negative")

    def fit(self, x: F64, y: Any, schema: InputSchema) -> ScorecardPD:
        """Bin every input, select, regress and scale.

        Parameters
        ----------
        x : ndarray of float64, shape (n, p)
            Encoded inputs.
        y : array-like of {0, 1}
            1 = bad.
        schema : InputSchema

        Returns
        -------
        ScorecardPD
            self, with ``table_``, ``compiled_`` and ``report_`` set.
        """
        self._check_parameters()
        target = np.asarray(y, dtype=np.int64)
        binned = [
            self._bin(x[:, j], target, spec.name, spec) for j, spec in enumerate(schema.columns)
        ]
        chosen = _select(binned, self.min_iv, self.max_correlation)
        coef, intercept, chosen = self._regress(chosen, target)
        self.table_ = self._table(chosen, coef, intercept)
        self.compiled_ = CompiledScorecard(self.table_, schema)
        self.report_ = [_report_row(b) for b in binned]
        return self

    def _bin(self, col: F64, y: I64, name: str, spec: Any) -> _Binned:
        numeric = spec.kind == "numeric"
        values: Any = col if numeric else _decode(col, spec.categories)
        trend = _trend(self.monotone.get(name, 0), self.monotonic_trend if numeric else "auto")
        splits = _optimal_splits(values, y, name, numeric, trend, self)
        if numeric:
            index = np.searchsorted(np.asarray(splits, dtype=np.float64), col, side="right")
            regular = len(splits) + 1
        else:
            index = _group_index(col, spec.categories, splits)
            regular = len(splits)
        index = np.where(np.isnan(col), regular, index)
        return _binned(name, spec.kind, splits, index, y, regular)

    def _regress(self, chosen: list[_Binned], y: I64) -> tuple[F64, float, list[_Binned]]:
        from sklearn.linear_model import LogisticRegression

        while True:
            if not chosen:
                return np.zeros(0), float(_logit_mean(y)), []
            design = np.column_stack([b.woe[b.index] for b in chosen])
            model = LogisticRegression(C=self.c, max_iter=2000)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", category=UserWarning)
                model.fit(design, y)
            coef = np.asarray(model.coef_[0], dtype=np.float64)
            worst = int(np.argmax(coef))
            if coef[worst] < 0:
                return coef, float(model.intercept_[0]), chosen
            chosen[worst].status = "dropped: coefficient sign (collinear)"
            chosen = chosen[:worst] + chosen[worst + 1 :]

    def _table(self, chosen: list[_Binned], coef: F64, intercept: float) -> PointsTable:
        factor, offset = self.scaling.factor, self.scaling.offset
        digits = self.point_decimals
        variables = []
        for b, beta in zip(chosen, coef, strict=True):
            bins = tuple(
                ScorecardBin(
                    label=bin_.label,
                    points=round(-factor * float(beta) * float(w), digits),
                    woe=round(float(w), 6),
                    count=bin_.count,
                    bads=bin_.bads,
                    lower=bin_.lower,
                    upper=bin_.upper,
                    categories=bin_.categories,
                    missing=bin_.missing,
                )
                for bin_, w in zip(b.bins, b.woe, strict=True)
            )
            variables.append(ScorecardVariable(b.name, b.kind, round(b.iv, 6), float(beta), bins))
        base = round(offset - factor * intercept, digits)
        return PointsTable(self.scaling, intercept, base, tuple(variables))

    def score(self, x: F64) -> F64:
        return self.compiled_.score(x)

    def predict_pd(self, x: F64) -> F64:
        return self.scaling.pd(self.compiled_.score(x))


def _trend(direction: int, default: str) -> str:
    if direction > 0:
        return "ascending"
    if direction < 0:
        return "descending"
    return default


def _decode(col: F64, categories: Sequence[str]) -> npt.NDArray[np.object_]:
    vocab = np.asarray([*list(categories), ""], dtype=object)
    codes = np.where(np.isnan(col), len(categories), col).astype(np.int64)
    out = vocab[codes]
    out[np.isnan(col)] = np.nan
    return np.asarray(out, dtype=object)


def _optimal_splits(
    values: Any, y: I64, name: str, numeric: bool, trend: str, est: ScorecardPD
) -> list[Any]:
    from optbinning import OptimalBinning

    present = ~_isnan_any(values)
    if present.sum() == 0 or len(np.unique(y[present])) < 2:
        return [] if numeric else [np.unique(values[present]).tolist()]
    optb = OptimalBinning(
        name=name,
        dtype="numerical" if numeric else "categorical",
        solver="cp",
        monotonic_trend=trend,
        max_n_prebins=est.max_n_prebins,
        min_prebin_size=est.min_prebin_size,
        min_bin_size=est.min_bin_size,
        max_n_bins=est.max_n_bins,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optb.fit(values, y)
    if numeric:
        return [float(s) for s in np.asarray(optb.splits, dtype=np.float64)]
    groups = [[str(c) for c in group] for group in optb.splits]
    seen = {c for g in groups for c in g}
    rest = sorted({str(v) for v in values[present]} - seen)
    return groups + ([rest] if rest else [])


def _isnan_any(values: Any) -> npt.NDArray[np.bool_]:
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        return np.asarray(np.isnan(arr), dtype=np.bool_)
    return np.array([v is None or (isinstance(v, float) and math.isnan(v)) for v in arr])


def _group_index(col: F64, categories: Sequence[str], groups: list[Any]) -> I64:
    lookup = np.full(max(len(categories), 1), len(groups), dtype=np.int64)
    position = {c: i for i, c in enumerate(categories)}
    for g, group in enumerate(groups):
        for category in group:
            if category in position:
                lookup[position[category]] = g
    return np.asarray(lookup[np.where(np.isnan(col), 0, col).astype(np.int64)])


def _binned(
    name: str, kind: ColumnKind, splits: list[Any], index: I64, y: I64, regular: int
) -> _Binned:
    n_bins = regular + 1
    counts = np.bincount(index, minlength=n_bins)
    bads = np.bincount(index, weights=y, minlength=n_bins).astype(np.int64)
    goods = counts - bads
    total_good, total_bad = max(int(goods.sum()), 1), max(int(bads.sum()), 1)
    good_share = (goods + _SMOOTH) / (total_good + _SMOOTH * n_bins)
    bad_share = (bads + _SMOOTH) / (total_bad + _SMOOTH * n_bins)
    woe = np.log(good_share / bad_share)
    woe[counts == 0] = 0.0
    iv = float(np.sum((goods / total_good - bads / total_bad) * woe))
    labels = _labels(kind, splits)
    bins = []
    for i in range(n_bins):
        lower, upper, cats, label = labels[i] if i < regular else (None, None, (), MISSING_LABEL)
        bins.append(
            ScorecardBin(
                label,
                0.0,
                float(woe[i]),
                int(counts[i]),
                int(bads[i]),
                lower,
                upper,
                cats,
                missing=i == regular,
            )
        )
    return _Binned(name, kind, bins, index, woe, iv)


def _labels(kind: ColumnKind, splits: list[Any]) -> list[tuple[Any, Any, tuple[str, ...], str]]:
    if kind == "categorical":
        return [(None, None, tuple(g), ", ".join(g) or "(none)") for g in splits]
    edges = [-math.inf, *splits, math.inf]
    out: list[tuple[Any, Any, tuple[str, ...], str]] = []
    for lo, hi in itertools.pairwise(edges):
        lower = None if math.isinf(lo) else float(lo)
        upper = None if math.isinf(hi) else float(hi)
        out.append((lower, upper, (), f"[{_fmt(lo)}, {_fmt(hi)})"))
    return out


def _fmt(value: float) -> str:
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    return f"{value:.6g}"


def _select(binned: list[_Binned], min_iv: float, max_corr: float) -> list[_Binned]:
    candidates = sorted(binned, key=lambda b: -b.iv)
    chosen: list[_Binned] = []
    for b in candidates:
        if b.iv < min_iv:
            b.status = f"dropped: IV {b.iv:.4f} below {min_iv}"
            continue
        woe = b.woe[b.index]
        clash = next((c for c in chosen if _corr(woe, c.woe[c.index]) > max_corr), None)
        if clash is not None:
            b.status = f"dropped: WOE correlates with {clash.name}"
            continue
        chosen.append(b)
    order = {b.name: i for i, b in enumerate(binned)}
    return sorted(chosen, key=lambda b: order[b.name])


def _corr(a: F64, b: F64) -> float:
    if np.std(a) == 0 or np.std(b) == 0:
        return 0.0
    return abs(float(np.corrcoef(a, b)[0, 1]))


def _logit_mean(y: I64) -> float:
    rate = min(max(float(np.mean(y)), 1e-6), 1 - 1e-6)
    return math.log(rate / (1 - rate))


def _report_row(b: _Binned) -> dict[str, Any]:
    return {
        "variable": b.name,
        "kind": b.kind,
        "iv": round(b.iv, 6),
        "bins": len(b.bins) - 1,
        "status": b.status,
        "table": [
            {"bin": x.label, "count": x.count, "bads": x.bads, "woe": round(x.woe, 6)}
            for x in b.bins
        ],
    }
