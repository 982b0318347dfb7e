"""Scorecard training: optimal binning → WOE → logistic regression → points (pure).

`ScorecardPD` bins every input with optbinning (one `OptimalBinning` each; the declared
monotone direction where there is one, else the ``monotonic_trend`` parameter), computes WOE
as ``ln(share of goods / share of bads)`` (positive = safer, smoothed by half a count),
keeps inputs with enough information value and not too correlated with a stronger one, and
fits scikit-learn's L2 `LogisticRegression` on the bad flag in one of two forms:

- WOE form: one coefficient per input on its WOE. Fitted coefficients are negative, so
  ``points = −factor · coefficient · WOE``; an input whose coefficient comes out positive
  (collinearity) is dropped and the regression refitted, so points always rise with WOE.
- bin form: one coefficient per bin (indicator columns), ``points = −factor · coefficient``;
  declared directions are kept by a count-weighted isotonic fit of the bins' coefficients.

``regression="auto"`` takes the form with the higher inner cross-validated AUC. The inner
cross-validation refits everything that learns from the bad flag on each inner training part
(the bins, their WOE, the screen and the regression) and scores the part left out, so the
choice of form is not led by bins fitted on the rows that judge it. The same folds give each
categorical input its held-out IV (the WOE of bins fitted without the rows it is measured
on): a categorical input whose held-out IV is below ``min_iv`` or below ``HELD_OUT_SHARE``
of its in-sample IV is left out, with the reason, however high its in-sample IV (many
levels grouped by their training bad rates: the grouping does not carry over).

Categorical inputs come with the frequent levels of the schema and, when the schema has one,
the "rare or unseen" level (`encoding.OTHER_LABEL`): rare training levels pooled, and the
level any unseen value scores in. It is binned like any level; when training has no rows of
it, it gets a bin of its own with WOE 0 (the average), never the missing bin. Bins of a
categorical input hold at least ``min_category_share`` of the rows.

Interactions (``interactions`` > 0): after the form is chosen, pairs of numeric inputs
proposed by `interactions.propose` are tried one at a time as 2-D characteristics (cells of
an `OptimalBinning2D` fit, refitted on each inner training part like the 1-D bins); the pair
that lowers the out-of-fold log-loss of the chosen form most is added if the gain is clear
(`interactions.clear_gain`: at least ``MIN_GAIN_Z`` standard errors), and the search repeats
with the pairs added so far, up to ``interactions`` pairs. A 2-D characteristic then goes
through the same screen and regression as any input (one coefficient on its WOE, or one per
cell). With no clear gain the card has no pair, exactly as before.

What is kept is a `scorecard.PointsTable` either way; optbinning is never needed to score.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.credit import interactions as two_d
from autolease.credit import metrics
from autolease.credit.encoding import OTHER_LABEL, ColumnKind, ColumnSpec, InputSchema
from autolease.credit.scaling import ScoreScaling
from autolease.credit.scorecard import (
    MISSING_LABEL,
    CompiledScorecard,
    PointsTable,
    ScorecardBin,
    ScorecardVariable,
    box_index,
)
from autolease.kit.extras import require

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
_SMOOTH = 0.5
FORMS = ("woe", "bins")
_INNER_FOLDS = 5
# A categorical input must keep at least this share of its in-sample IV on held-out rows.
HELD_OUT_SHARE = 0.5


@dataclass
class _Binned:
    name: str
    kind: ColumnKind
    bins: list[ScorecardBin]
    index: I64
    woe: F64
    iv: float
    status: str = "selected"
    splits: list[Any] = field(default_factory=list)
    held_out_iv: float | None = None
    columns: tuple[str, ...] = ()  # the two inputs of a 2-D characteristic


@dataclass(frozen=True)
class _Fold:
    """One inner fold: its rows, the 1-D bins fitted on its training part, and where the
    rows left out fall in them."""

    train: I64
    valid: I64
    fitted: list[_Binned]
    left_out: dict[str, I64]


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
    min_category_share : float
        The smallest share of the rows a bin of a categorical input may hold.
    regression : {"auto", "woe", "bins"}
        ``woe``: one coefficient per input on its WOE (the classic scorecard); ``bins``: one
        coefficient per bin (an indicator per bin, so correlated inputs such as successive
        months' arrears share the signal bin by bin); ``auto``: the form with the higher
        5-fold cross-validated AUC on the training rows (bins, WOE, screen and regression
        refitted on each inner training part).
    min_iv : float
        For the WOE form, inputs with a lower information value are left out.
    min_iv_bins : float
        The same screen for the bin form, looser because its L2 penalty shrinks weak bins.
    max_correlation : float
        Of two inputs whose WOE correlate more than this, the lower-IV one is left out.
    c : float
        Inverse L2 strength of the logistic regression.
    interactions : int
        At most this many 2-D characteristics (pairs of numeric inputs), each added only if
        it clearly lowers the inner cross-validated log-loss; 0 turns them off.
    interaction_inputs : int
        Pairs are proposed among this many numeric inputs of highest IV.
    interaction_candidates : int
        This many proposed pairs are tried out of fold.
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
    min_category_share: float = 0.05
    min_iv: float = 0.02
    min_iv_bins: float = 0.005
    max_correlation: float = 0.9
    c: float = 0.1
    interactions: int = 3
    interaction_inputs: int = 8
    interaction_candidates: int = 6
    regression: str = "auto"
    scaling: ScoreScaling = field(default_factory=ScoreScaling)
    point_decimals: int = 2
    table_: PointsTable = field(init=False, repr=False, compare=False)
    compiled_: CompiledScorecard = field(init=False, repr=False, compare=False)
    report_: list[dict[str, Any]] = field(init=False, repr=False, compare=False)
    regression_: str = field(init=False, repr=False, compare=False)
    inner_auc_: dict[str, float] = field(init=False, repr=False, compare=False)
    oof_logit_: F64 = field(init=False, repr=False, compare=False)
    interactions_: list[dict[str, Any]] = field(init=False, repr=False, compare=False)

    def _check_parameters(self) -> None:
        if not 0 < self.max_correlation <= 1:
            raise ValueError("max_correlation must be in (0, 1]")
        if self.c <= 0 or min(self.min_iv, self.min_iv_bins) < 0 or self.point_decimals < 0:
            raise ValueError("c must be positive; min_iv and point_decimals non-negative")
        if self.regression not in ("auto", *FORMS):
            raise ValueError(f"regression must be auto, woe or bins, not {self.regression!r}")
        if min(self.interactions, self.interaction_inputs, self.interaction_candidates) < 0:
            raise ValueError("interactions, interaction_inputs and _candidates must be >= 0")

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
        binned = [self._bin(x[:, j], target, spec) for j, spec in enumerate(schema.columns)]
        forms = FORMS if self.regression == "auto" else (self.regression,)
        held_iv, self.inner_auc_, oof, folds = self._cross_validate(x, target, schema, forms)
        for b in binned:
            if b.kind == "categorical":
                b.held_out_iv = held_iv[b.name]
        if self.regression == "auto":
            self.regression_ = max(FORMS, key=lambda form: self.inner_auc_[form])
        else:
            self.regression_ = self.regression
        self.oof_logit_ = oof[self.regression_]
        binned += self._add_interactions(x, target, schema, binned, folds)
        chosen = _select(binned, self._screen(self.regression_), self.max_correlation, self.min_iv)
        if self.regression_ == "bins":
            bin_points, intercept = self._regress_bins(chosen, target)
            self.table_ = self._bin_table(chosen, bin_points, intercept)
        else:
            coef, intercept, chosen = self._regress(chosen, target)
            self.table_ = self._table(chosen, coef, intercept)
        self.compiled_ = CompiledScorecard(self.table_, schema)
        self.report_ = [{**_report_row(b), "regression": self.regression_} for b in binned]
        return self

    def _screen(self, form: str) -> float:
        return self.min_iv_bins if form == "bins" else self.min_iv

    def _cross_validate(
        self, x: F64, y: I64, schema: InputSchema, forms: Sequence[str]
    ) -> tuple[dict[str, float], dict[str, float], dict[str, F64], list[_Fold]]:
        """Held-out IV of every input, the mean AUC and out-of-fold log-odds of each form,
        and the folds (for the interaction search).

        On each inner training part the bins are refitted from scratch; the part left out
        is only scored.
        """
        from sklearn.model_selection import StratifiedKFold

        folds = StratifiedKFold(_INNER_FOLDS, shuffle=True, random_state=0)
        ivs: dict[str, list[float]] = {spec.name: [] for spec in schema.columns}
        aucs: dict[str, list[float]] = {form: [] for form in forms}
        oof = {form: np.zeros(len(y)) for form in forms}
        kept: list[_Fold] = []
        for train, valid in folds.split(np.zeros(len(y)), y):
            fitted = [
                self._bin(x[train, j], y[train], spec) for j, spec in enumerate(schema.columns)
            ]
            left_out = {
                spec.name: _apply(b.splits, x[valid, j], spec)[0]
                for j, (b, spec) in enumerate(zip(fitted, schema.columns, strict=True))
            }
            for b in fitted:
                ivs[b.name].append(_held_out_iv(left_out[b.name], y[valid], b.woe))
            for form in forms:
                oof[form][valid] = self._fold_logit(form, fitted, left_out, y[train], len(valid))
                aucs[form].append(metrics.auc(y[valid], oof[form][valid]))
            kept.append(_Fold(train, valid, fitted, left_out))
        held_iv = {name: float(np.mean(v)) for name, v in ivs.items()}
        return held_iv, {form: float(np.mean(v)) for form, v in aucs.items()}, oof, kept

    def _add_interactions(
        self, x: F64, y: I64, schema: InputSchema, binned: list[_Binned], folds: list[_Fold]
    ) -> list[_Binned]:
        """The 2-D characteristics that clearly lower the out-of-fold log-loss (greedy).

        Sets ``interactions_`` (every pair tried, its gain and whether it was added) and,
        when a pair is added, ``oof_logit_`` (the card's out-of-fold log-odds with it).
        """
        self.interactions_ = []
        if self.interactions == 0:
            return []
        numeric = sorted(
            (j for j, b in enumerate(binned) if b.kind == "numeric"),
            key=lambda j: -binned[j].iv,
        )
        candidates = two_d.candidate_pairs(
            [schema.columns[j].name for j in numeric], numeric, self.interaction_inputs
        )
        proposed = two_d.propose(
            x, y, candidates, self.oof_logit_, dict(self.monotone), self.interaction_candidates
        )
        trials = {p.name: [self._fold_pair(x, y, p, f) for f in folds] for p, _, _ in proposed}
        added: list[str] = []
        while len(added) < min(self.interactions, len(trials)):
            best = self._greedy_step(added, trials, folds, y)
            if best is None:
                break
            added.append(best)
        chosen = [self._bin_pair(x, y, p, boxes) for p, boxes, _ in proposed if p.name in added]
        for b in chosen:
            step = next(t for t in self.interactions_ if t["pair"] == b.name and t["added"])
            b.status = (
                f"selected: 2-D characteristic, out-of-fold log-loss gain"
                f" {step['log_loss_gain']:.5f} (z {step['z']:.1f})"
            )
        return chosen

    def _greedy_step(
        self,
        added: list[str],
        trials: Mapping[str, list[tuple[_Binned, I64]]],
        folds: list[_Fold],
        y: I64,
    ) -> str | None:
        """Try each pair not yet added on top of `added`; the best one if its gain is clear.

        Every pair tried is logged in ``interactions_``; ``oof_logit_`` moves to the card
        with the pair added.
        """
        loss = two_d.row_log_loss(y, self.oof_logit_)
        tried: dict[str, tuple[float, float, F64]] = {}
        for name in trials:
            if name not in added:
                logit = self._oof_with([*added, name], trials, folds, y)
                tried[name] = (*two_d.clear_gain(loss, two_d.row_log_loss(y, logit)), logit)
        best = max(tried, key=lambda name: tried[name][0])
        clear = tried[best][1] >= two_d.MIN_GAIN_Z
        for name, (gain, z, _) in tried.items():
            self.interactions_.append({"pair": name, "step": len(added) + 1,
                                       "log_loss_gain": round(gain, 6), "z": round(z, 2),
                                       "added": clear and name == best})  # fmt: skip
        if not clear:
            return None
        self.oof_logit_ = tried[best][2]
        return best

    def _fold_pair(self, x: F64, y: I64, pair: two_d.Pair, fold: _Fold) -> tuple[_Binned, I64]:
        """The pair's cells fitted on the fold's training part, and its left-out rows' cells."""
        fitted = self._bin_pair(x[fold.train], y[fold.train], pair)
        valid = x[fold.valid]
        boxes = np.asarray(fitted.splits, dtype=np.float64)
        return fitted, box_index(valid[:, pair.first], valid[:, pair.second], boxes)

    def _oof_with(
        self,
        names: list[str],
        trials: Mapping[str, list[tuple[_Binned, I64]]],
        folds: list[_Fold],
        y: I64,
    ) -> F64:
        """Out-of-fold log-odds of the chosen form with the 2-D characteristics `names`."""
        oof = np.zeros(len(y))
        for k, fold in enumerate(folds):
            pairs = [trials[name][k] for name in names]
            left_out = {**fold.left_out, **{b.name: index for b, index in pairs}}
            fitted = [dataclasses.replace(b) for b in fold.fitted] + [b for b, _ in pairs]
            oof[fold.valid] = self._fold_logit(
                self.regression_, fitted, left_out, y[fold.train], len(fold.valid)
            )
        return oof

    def _bin_pair(self, x: F64, y: I64, pair: two_d.Pair, boxes: F64 | None = None) -> _Binned:
        """A 2-D characteristic of `pair` on these rows (its cells fitted here unless given)."""
        a, b = x[:, pair.first], x[:, pair.second]
        if boxes is None:
            dirs = (self.monotone.get(pair.names[0], 0), self.monotone.get(pair.names[1], 0))
            boxes = two_d.fit_boxes(a, b, y, dirs)
        index = box_index(a, b, boxes)
        binned = _pair_binned(pair, boxes, index, y)
        binned.splits = boxes.tolist()
        return binned

    def _fold_logit(
        self,
        form: str,
        fitted: list[_Binned],
        left_out: Mapping[str, I64],
        y_train: I64,
        rows: int,
    ) -> F64:
        """Log-odds of the left-out rows from a form fitted on the inner training part."""
        chosen = _select(
            [dataclasses.replace(b) for b in fitted], self._screen(form), self.max_correlation
        )
        logit = np.zeros(rows)
        if form == "bins":
            betas, intercept = self._regress_bins(chosen, y_train)
            for b, beta in zip(chosen, betas, strict=True):
                logit += beta[left_out[b.name]]
        else:
            coef, intercept, kept = self._regress(chosen, y_train)
            for f, beta in zip(kept, coef, strict=True):
                logit += beta * f.woe[left_out[f.name]]
        return np.asarray(logit + intercept, dtype=np.float64)

    def _bin(self, col: F64, y: I64, spec: ColumnSpec) -> _Binned:
        numeric = spec.kind == "numeric"
        values: Any = col if numeric else _decode(col, spec)
        trend = _trend(self.monotone.get(spec.name, 0), self.monotonic_trend if numeric else "auto")
        splits = _optimal_splits(values, y, spec.name, numeric, trend, self)
        if spec.other and not any(OTHER_LABEL in group for group in splits):
            splits = [*splits, [OTHER_LABEL]]  # its own bin, WOE 0, never the missing bin
        index, regular = _apply(splits, col, spec)
        binned = _binned(spec.name, spec.kind, splits, index, y, regular)
        binned.splits = splits
        return binned

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

    def _regress_bins(self, chosen: list[_Binned], y: I64) -> tuple[list[F64], float]:
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        if not chosen:
            return [], float(_logit_mean(y))
        widths = [len(b.bins) for b in chosen]
        offsets = np.cumsum([0, *widths[:-1]])
        rows = np.arange(len(y))
        cols = np.concatenate([b.index + o for b, o in zip(chosen, offsets, strict=True)])
        design = sparse.csr_matrix(
            (np.ones(len(cols)), (np.tile(rows, len(chosen)), cols)),
            shape=(len(y), int(sum(widths))),
        )
        model = LogisticRegression(C=self.c, max_iter=5000)
        model.fit(design, y)
        beta = np.asarray(model.coef_[0], dtype=np.float64)
        out = []
        for b, o, w in zip(chosen, offsets, widths, strict=True):
            out.append(_monotone(beta[o : o + w], b, self.monotone.get(b.name, 0)))
        return out, float(model.intercept_[0])

    def _bin_table(self, chosen: list[_Binned], betas: list[F64], intercept: float) -> PointsTable:
        factor = self.scaling.factor
        variables = tuple(
            self._variable(b, [-factor * float(bb) for bb in beta], _slope(b, beta))
            for b, beta in zip(chosen, betas, strict=True)
        )
        return self._points_table(variables, intercept)

    def _table(self, chosen: list[_Binned], coef: F64, intercept: float) -> PointsTable:
        factor = self.scaling.factor
        variables = tuple(
            self._variable(b, [-factor * float(beta) * float(w) for w in b.woe], float(beta))
            for b, beta in zip(chosen, coef, strict=True)
        )
        return self._points_table(variables, intercept)

    def _variable(self, b: _Binned, points: list[float], slope: float) -> ScorecardVariable:
        """One input's row of the points table; `points` are each bin's unrounded points."""
        bins = tuple(
            ScorecardBin(
                label=bin_.label,
                points=round(raw, self.point_decimals),
                woe=round(float(w), 6),
                count=bin_.count,
                bads=bin_.bads,
                lower=bin_.lower,
                upper=bin_.upper,
                categories=bin_.categories,
                missing=bin_.missing,
                lower_2=bin_.lower_2,
                upper_2=bin_.upper_2,
            )
            for bin_, w, raw in zip(b.bins, b.woe, points, strict=True)
        )
        return ScorecardVariable(b.name, b.kind, round(b.iv, 6), slope, bins, b.columns)

    def _points_table(
        self, variables: tuple[ScorecardVariable, ...], intercept: float
    ) -> PointsTable:
        base = round(self.scaling.offset - self.scaling.factor * intercept, self.point_decimals)
        return PointsTable(self.scaling, intercept, base, variables)

    def score(self, x: F64) -> F64:
        return self.compiled_.score(x)

    def predict_pd(self, x: F64) -> F64:
        return self.scaling.pd(self.compiled_.score(x))


def _monotone(beta: F64, b: _Binned, direction: int) -> F64:
    """Bin log-odds made monotone along a declared direction (count-weighted isotonic fit)."""
    if direction == 0 or b.kind != "numeric" or len(beta) < 3:
        return beta
    from sklearn.isotonic import IsotonicRegression

    regular = beta[:-1]
    weights = np.maximum(np.bincount(b.index, minlength=len(beta))[:-1], 1)
    iso = IsotonicRegression(increasing=direction > 0)
    fitted = iso.fit_transform(np.arange(len(regular)), regular, sample_weight=weights)
    return np.concatenate([fitted, beta[-1:]])


def _slope(b: _Binned, beta: F64) -> float:
    """Least-squares slope of the bins' log-odds on their WOE (negative when they agree)."""
    counts = np.bincount(b.index, minlength=len(beta)).astype(np.float64)
    if counts.sum() == 0 or np.ptp(b.woe) == 0:
        return 0.0
    w_mean = np.average(b.woe, weights=counts)
    b_mean = np.average(beta, weights=counts)
    var = np.average((b.woe - w_mean) ** 2, weights=counts)
    if var == 0:
        return 0.0
    return float(np.average((b.woe - w_mean) * (beta - b_mean), weights=counts) / var)


def _trend(direction: int, default: str) -> str:
    if direction > 0:
        return "ascending"
    if direction < 0:
        return "descending"
    return default


def _decode(col: F64, spec: ColumnSpec) -> npt.NDArray[np.object_]:
    """Category codes back to text; the other code as `OTHER_LABEL`, missing as NaN."""
    categories = spec.categories
    vocab = np.asarray([*list(categories), OTHER_LABEL], dtype=object)
    codes = np.where(np.isnan(col), len(categories), col).astype(np.int64)
    out = vocab[codes]
    out[np.isnan(col)] = np.nan
    return np.asarray(out, dtype=object)


def _optimal_splits(
    values: Any, y: I64, name: str, numeric: bool, trend: str, est: ScorecardPD
) -> list[Any]:
    require("train", "optbinning")
    from optbinning import OptimalBinning

    present = ~_isnan_any(values)
    if present.sum() == 0 or len(np.unique(y[present])) < 2:
        return [] if numeric else [np.unique(values[present]).tolist()]
    min_bin = est.min_bin_size
    if not numeric:
        min_bin = max(min_bin or 0.0, est.min_category_share) or None
    optb = OptimalBinning(
        name=name,
        dtype="numerical" if numeric else "categorical",
        solver="cp",
        monotonic_trend=trend,
        max_n_prebins=est.max_n_prebins,
        min_prebin_size=est.min_prebin_size,
        min_bin_size=min_bin,
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


def _apply(splits: list[Any], col: F64, spec: ColumnSpec) -> tuple[I64, int]:
    """Every row's bin under `splits` (the missing bin last) and the number of regular bins."""
    if spec.kind == "numeric":
        index = np.searchsorted(np.asarray(splits, dtype=np.float64), col, side="right")
        regular = len(splits) + 1
    else:
        index = _group_index(col, spec.categories, splits)
        regular = len(splits)
    return np.asarray(np.where(np.isnan(col), regular, index), dtype=np.int64), regular


def _held_out_iv(index: I64, y: I64, woe: F64) -> float:
    """IV of rows the bins were not fitted on, weighing each bin by its training WOE."""
    n_bins = len(woe)
    counts = np.bincount(index, minlength=n_bins)
    bads = np.bincount(index, weights=y, minlength=n_bins)
    goods = counts - bads
    total_good, total_bad = max(float(goods.sum()), 1.0), max(float(bads.sum()), 1.0)
    return float(np.sum((goods / total_good - bads / total_bad) * woe))


def _group_index(col: F64, categories: Sequence[str], groups: list[Any]) -> I64:
    lookup = np.full(len(categories) + 1, len(groups), dtype=np.int64)
    position = {c: i for i, c in enumerate(categories)}
    position[OTHER_LABEL] = len(categories)
    for g, group in enumerate(groups):
        for category in group:
            if category in position:
                lookup[position[category]] = g
    return np.asarray(lookup[np.where(np.isnan(col), 0, col).astype(np.int64)])


def _binned(
    name: str, kind: ColumnKind, splits: list[Any], index: I64, y: I64, regular: int
) -> _Binned:
    n_bins = regular + 1
    counts, bads, woe, iv = _woe_iv(index, y, n_bins)
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


def _pair_binned(pair: two_d.Pair, boxes: F64, index: I64, y: I64) -> _Binned:
    """A 2-D characteristic: one bin per box of `boxes`, then the missing cell."""
    n_bins = len(boxes) + 1
    counts, bads, woe, iv = _woe_iv(index, y, n_bins)
    labels = [*two_d.box_labels(pair.names, boxes), MISSING_LABEL]
    bins = []
    for i, label in enumerate(labels):
        lo, hi, lo_2, hi_2 = boxes[i] if i < len(boxes) else (math.nan,) * 4
        bins.append(
            ScorecardBin(label, 0.0, float(woe[i]), int(counts[i]), int(bads[i]),
                         _finite(lo), _finite(hi), missing=i == len(boxes),
                         lower_2=_finite(lo_2), upper_2=_finite(hi_2))
        )  # fmt: skip
    return _Binned(pair.name, "numeric", bins, index, woe, iv, columns=pair.names)


def _finite(value: float) -> float | None:
    return None if not math.isfinite(value) else float(value)


def _woe_iv(index: I64, y: I64, n_bins: int) -> tuple[I64, I64, F64, float]:
    """Counts, bads, WOE (smoothed by half a count; 0 for empty bins) and IV of each bin."""
    counts = np.bincount(index, minlength=n_bins)
    bads = np.bincount(index, weights=y, minlength=n_bins).astype(np.int64)
    goods = counts - bads
    total_good, total_bad = max(int(goods.sum()), 1), max(int(bads.sum()), 1)
    good_share = (goods + _SMOOTH) / (total_good + _SMOOTH * n_bins)
    bad_share = (bads + _SMOOTH) / (total_bad + _SMOOTH * n_bins)
    woe = np.log(good_share / bad_share)
    woe[counts == 0] = 0.0
    iv = float(np.sum((goods / total_good - bads / total_bad) * woe))
    return counts, bads, woe, iv


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


def _select(
    binned: list[_Binned], min_iv: float, max_corr: float, held_min: float = 0.0
) -> list[_Binned]:
    candidates = sorted(binned, key=lambda b: -b.iv)
    chosen: list[_Binned] = []
    for b in candidates:
        if b.iv < min_iv:
            b.status = f"dropped: IV {b.iv:.4f} below {min_iv}"
            continue
        floor = max(held_min, HELD_OUT_SHARE * b.iv)
        if b.held_out_iv is not None and b.held_out_iv < floor:
            b.status = (
                f"dropped: held-out IV {b.held_out_iv:.4f} below {floor:.4f} (in-sample"
                f" {b.iv:.4f}): its bins do not carry over to rows they were not fitted on"
            )
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
        **({"columns": list(b.columns)} if b.columns else {}),
        "iv": round(b.iv, 6),
        **({} if b.held_out_iv is None else {"held_out_iv": round(b.held_out_iv, 6)}),
        "bins": len(b.bins) - 1,
        "status": b.status,
        "table": [
            {"bin": x.label, "count": x.count, "bads": x.bads, "woe": round(x.woe, 6)}
            for x in b.bins
        ],
    }
