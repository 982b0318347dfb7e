"""Gradient-boosting PD (LightGBM) with monotone constraints and a held-out calibrator.

`GradientBoostingPD.fit` cross-fits on the training rows (``inner_folds`` stratified
folds, early stopping on each held-out fold): the mean best iteration sets the number of
trees of the final model, and the out-of-fold log-odds — every row scored by a model that did
not see it — fit the calibrator and give the held-out calibration check (``holdout_``). The
final booster is refitted on all rows. It is kept as LightGBM's native text model; the
calibrator as JSON.

A categorical input with more levels than ``max_cat_to_onehot`` is split by LightGBM on
levels sorted by their training gradients, which can learn noise. Each such input is kept
only if it earns its place out of fold: the cross-fit is rerun with the input blanked (all
missing, so no tree can split on it), and when that gives the lower out-of-fold log-loss the
input stays blanked in the final model too (``left_out_`` says which and why).

Categorical inputs arrive as vocabulary indices (`tabular.encode`) and
are declared categorical to LightGBM; NaN is LightGBM's missing value.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.credit import metrics
from autolease.credit.calibration import Calibrator, Method, fit_calibrator
from autolease.credit.encoding import InputSchema

F64 = npt.NDArray[np.float64]
LARGE = 10_000


def _lgb() -> Any:
    import lightgbm

    return lightgbm


@dataclass
class GradientBoostingPD:
    """Estimator: LightGBM binary model + calibrator.

    Parameters
    ----------
    learning_rate, num_leaves, min_data_in_leaf, feature_fraction, bagging_fraction,
    lambda_l2, max_bin, cat_smooth, min_data_per_group, max_cat_to_onehot : LightGBM
        parameters (small, shallow trees suit credit tables). ``num_leaves`` and
        ``min_data_in_leaf`` left as None follow the number of training rows ``n``: 8 leaves
        below 10,000 rows and 16 from there, and at least ``max(20, n / 500)`` rows a leaf.
    max_rounds : int
        Upper bound on the number of trees.
    early_stopping : int
        Rounds without improvement of the held-out log-loss before a fold stops.
    inner_folds : int
        Folds of the cross-fit that sets the tree count and fits the calibrator.
    calibration : {"platt", "isotonic", "identity"}
    monotone : mapping of str to int
        +1 when a higher value must not lower the PD, −1 when it must not raise it.
    seed : int
    num_threads : int
    """

    learning_rate: float = 0.05
    num_leaves: int | None = None
    min_data_in_leaf: int | None = None
    feature_fraction: float = 0.5
    bagging_fraction: float = 0.8
    lambda_l2: float = 5.0
    max_bin: int = 255
    cat_smooth: float = 20.0
    min_data_per_group: int = 20
    max_cat_to_onehot: int = 16
    max_rounds: int = 3000
    early_stopping: int = 150
    inner_folds: int = 5
    calibration: Method = "platt"
    monotone: Mapping[str, int] = field(default_factory=dict)
    seed: int = 0
    num_threads: int = 1
    booster_: Any = field(init=False, repr=False, compare=False)
    calibrator_: Calibrator = field(init=False, repr=False, compare=False)
    n_rounds_: int = field(init=False, repr=False, compare=False)
    holdout_: metrics.Evaluation = field(init=False, repr=False, compare=False)
    holdout_pd_: Any = field(init=False, repr=False, compare=False)
    left_out_: dict[str, str] = field(init=False, repr=False, compare=False)

    def _check_parameters(self) -> None:
        if self.inner_folds < 2:
            raise ValueError("inner_folds must be at least 2")
        if not 0 < self.learning_rate <= 1 or (self.num_leaves or 2) < 2 or self.max_rounds < 1:
            raise ValueError("learning_rate in (0, 1], num_leaves >= 2, max_rounds >= 1")
        if self.calibration not in ("platt", "isotonic", "identity"):
            raise ValueError(f"unknown calibration {self.calibration!r}")

    def leaves(self, n: int) -> tuple[int, int]:
        """``(num_leaves, min_data_in_leaf)`` for `n` training rows."""
        leaves = self.num_leaves or (8 if n < LARGE else 16)
        min_leaf = self.min_data_in_leaf or max(20, round(n / 500))
        return leaves, min_leaf

    def params(self, schema: InputSchema, n: int = 0) -> dict[str, Any]:
        """LightGBM parameters for `schema` and `n` rows (monotone constraints in input order)."""
        leaves, min_leaf = self.leaves(n)
        constraints = [
            int(np.sign(self.monotone.get(c.name, 0))) if c.kind == "numeric" else 0
            for c in schema.columns
        ]
        params: dict[str, Any] = {
            "objective": "binary",
            "learning_rate": self.learning_rate,
            "num_leaves": leaves,
            "min_data_in_leaf": min_leaf,
            "feature_fraction": self.feature_fraction,
            "bagging_fraction": self.bagging_fraction,
            "bagging_freq": 1,
            "lambda_l2": self.lambda_l2,
            "max_bin": self.max_bin,
            "cat_smooth": self.cat_smooth,
            "min_data_per_group": self.min_data_per_group,
            "max_cat_to_onehot": self.max_cat_to_onehot,
            "seed": self.seed,
            "deterministic": True,
            "force_col_wise": True,
            "num_threads": self.num_threads,
            "verbosity": -1,
        }
        if any(constraints):
            params["monotone_constraints"] = constraints
            params["monotone_constraints_method"] = "advanced"
        return params

    def fit(self, x: F64, y: Any, schema: InputSchema) -> GradientBoostingPD:
        """Cross-fit, calibrate on the out-of-fold log-odds, refit on all rows.

        Parameters
        ----------
        x : ndarray of float64, shape (n, p)
            Encoded inputs.
        y : array-like of {0, 1}
        schema : InputSchema

        Returns
        -------
        GradientBoostingPD
            self, with ``booster_``, ``calibrator_``, ``n_rounds_`` and ``holdout_`` set.
        """
        self._check_parameters()
        target = np.asarray(y, dtype=np.float64)
        params = self.params(schema, len(target))
        cats = schema.categorical_positions()
        x, oof, rounds = self._screen_levels(x, target, params, schema)
        self.n_rounds_ = max(1, round(float(np.mean(rounds))))
        self.calibrator_ = fit_calibrator(self.calibration, oof, target)
        self.holdout_pd_ = self.calibrator_.apply(oof)
        self.holdout_ = metrics.evaluate(target, self.holdout_pd_)
        data = self._dataset(x, target, cats)
        self.booster_ = _lgb().train(params, data, num_boost_round=self.n_rounds_)
        return self

    def _screen_levels(
        self, x: F64, y: F64, params: dict[str, Any], schema: InputSchema
    ) -> tuple[F64, F64, list[int]]:
        """Blank each many-level categorical input that does not lower the out-of-fold loss."""
        cats = schema.categorical_positions()
        oof, rounds = self._cross_fit(x, y, params, cats)
        loss = _oof_loss(y, oof)
        self.left_out_ = {}
        for j in cats:
            spec = schema.columns[j]
            levels = len(spec.categories) + (1 if spec.other else 0)
            if levels <= self.max_cat_to_onehot:
                continue
            trial = x.copy()
            trial[:, j] = np.nan
            trial_oof, trial_rounds = self._cross_fit(trial, y, params, cats)
            trial_loss = _oof_loss(y, trial_oof)
            if trial_loss < loss:
                self.left_out_[spec.name] = (
                    f"left out: {levels} levels; out-of-fold log-loss {trial_loss:.5f} without"
                    f" it, {loss:.5f} with it"
                )
                x, oof, rounds, loss = trial, trial_oof, trial_rounds, trial_loss
        return x, oof, rounds

    def _dataset(self, x: F64, y: F64, cats: list[int]) -> Any:
        names = [f"f{j}" for j in range(x.shape[1])]
        return _lgb().Dataset(
            x, label=y, feature_name=names, categorical_feature=cats, free_raw_data=False
        )

    def _cross_fit(
        self, x: F64, y: F64, params: dict[str, Any], cats: list[int]
    ) -> tuple[F64, list[int]]:
        from sklearn.model_selection import StratifiedKFold

        lgb = _lgb()
        folds = StratifiedKFold(self.inner_folds, shuffle=True, random_state=self.seed)
        oof = np.zeros(len(y), dtype=np.float64)
        rounds: list[int] = []
        for train, valid in folds.split(x, y):
            dtrain = self._dataset(x[train], y[train], cats)
            dvalid = lgb.Dataset(x[valid], label=y[valid], reference=dtrain)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", category=UserWarning)
                booster = lgb.train(
                    params,
                    dtrain,
                    num_boost_round=self.max_rounds,
                    valid_sets=[dvalid],
                    callbacks=[lgb.early_stopping(self.early_stopping, verbose=False)],
                )
            best = booster.best_iteration or self.max_rounds
            rounds.append(best)
            oof[valid] = booster.predict(x[valid], num_iteration=best, raw_score=True)
        return oof, rounds

    def log_odds(self, x: F64) -> F64:
        """Raw (uncalibrated) log-odds of default."""
        return np.asarray(
            self.booster_.predict(x, raw_score=True, num_threads=self.num_threads),
            dtype=np.float64,
        )

    def predict_pd(self, x: F64) -> F64:
        return self.calibrator_.apply(self.log_odds(x))


def _oof_loss(y: F64, log_odds: F64) -> float:
    return metrics.log_loss(y, 1.0 / (1.0 + np.exp(-log_odds)))


@dataclass(frozen=True)
class BoosterModel:
    """A trained booster and its calibrator, as loaded for serving."""

    booster: Any
    calibrator: Calibrator
    num_threads: int = 1

    @classmethod
    def from_text(cls, model_text: str, calibrator: Calibrator) -> BoosterModel:
        return cls(_lgb().Booster(model_str=model_text), calibrator)

    def to_text(self) -> str:
        return str(self.booster.model_to_string())

    def log_odds(self, x: F64) -> F64:
        return np.asarray(
            self.booster.predict(x, raw_score=True, num_threads=self.num_threads),
            dtype=np.float64,
        )

    def contributions(self, x: F64) -> F64:
        """Per-input SHAP contributions to the log-odds (LightGBM ``pred_contrib``), (n, p)."""
        return self.explain(x)[1]

    def explain(self, x: F64) -> tuple[F64, F64]:
        """Log-odds and per-input SHAP contributions from one ``pred_contrib`` pass.

        TreeSHAP is exact and efficient: the contributions plus the expected value (LightGBM's
        last output column) sum to the raw log-odds, so a batch that needs reasons walks the
        trees once instead of predicting and explaining separately.

        Parameters
        ----------
        x : ndarray of float64, shape (n, p)

        Returns
        -------
        tuple of ndarray of float64
            Log-odds, shape (n,), and contributions, shape (n, p).
        """
        contrib = np.asarray(
            self.booster.predict(x, pred_contrib=True, num_threads=self.num_threads),
            dtype=np.float64,
        )
        return contrib.sum(axis=1), contrib[:, : x.shape[1]]

    def feature_importance(self) -> list[float]:
        gains = self.booster.feature_importance(importance_type="gain")
        return [float(g) for g in gains]
