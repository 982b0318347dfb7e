"""Discrimination and calibration metrics of a PD model.

AUC, ROC, Brier and log-loss are scikit-learn's; what it lacks is here: the KS statistic and
an equal-count calibration table with its counts and bounds (and the ECE over it).

>>> y = np.array([0, 0, 1, 1]); p = np.array([0.1, 0.4, 0.35, 0.8])
>>> auc(y, p), ks(y, p)
(0.75, 0.5)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn import metrics as sk

F64 = npt.NDArray[np.float64]
EPS = 1e-12


@dataclass(frozen=True)
class Evaluation:
    """Headline figures of PDs against outcomes (1 = bad)."""

    n: int
    bad_rate: float
    auc: float
    gini: float
    ks: float
    brier: float
    log_loss: float
    calibration_error: float
    mean_pd: float

    def to_json(self) -> dict[str, Any]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _check(y: Any, p: Any) -> tuple[npt.NDArray[np.int8], F64]:
    y_arr = np.asarray(y).astype(np.int8).ravel()
    p_arr = np.asarray(p, dtype=np.float64).ravel()
    if y_arr.shape != p_arr.shape:
        raise ValueError("outcomes and scores must have the same length")
    if y_arr.size == 0:
        raise ValueError("no rows to evaluate")
    return y_arr, p_arr


def auc(y: Any, p: Any) -> float:
    """Area under the ROC curve (scikit-learn's; ties count one half); NaN with a single class.

    Parameters
    ----------
    y : array-like of {0, 1}
    p : array-like of float
        Higher means riskier.

    Returns
    -------
    float
    """
    y_arr, p_arr = _check(y, p)
    if _one_class(y_arr):
        return float("nan")
    return float(sk.roc_auc_score(y_arr, p_arr))


def roc_curve(y: Any, p: Any) -> tuple[F64, F64]:
    """False- and true-positive rates at every distinct threshold, from (0, 0) to (1, 1).

    Parameters
    ----------
    y : array-like of {0, 1}
    p : array-like of float

    Returns
    -------
    (ndarray, ndarray)
        FPR and TPR.
    """
    y_arr, p_arr = _check(y, p)
    if _one_class(y_arr):
        return np.array([0.0, 1.0]), np.array([0.0, 1.0])
    fpr, tpr, _ = sk.roc_curve(y_arr, p_arr, drop_intermediate=False)
    return fpr.astype(np.float64), tpr.astype(np.float64)


def _one_class(y_arr: npt.NDArray[np.int8]) -> bool:
    return bool(y_arr.min() == y_arr.max())


def ks(y: Any, p: Any) -> float:
    """Kolmogorov-Smirnov statistic: the widest gap between the bad and good score CDFs.

    Parameters
    ----------
    y : array-like of {0, 1}
    p : array-like of float

    Returns
    -------
    float
    """
    fpr, tpr = roc_curve(y, p)
    return float(np.max(np.abs(tpr - fpr)))


def brier(y: Any, p: Any) -> float:
    """Mean squared error of the PDs (scikit-learn's `brier_score_loss`)."""
    y_arr, p_arr = _check(y, p)
    return float(sk.brier_score_loss(y_arr, p_arr, pos_label=1))


def log_loss(y: Any, p: Any) -> float:
    """Mean negative log-likelihood of the PDs, clipped away from 0 and 1 (scikit-learn's)."""
    y_arr, p_arr = _check(y, p)
    clipped = np.clip(p_arr, EPS, 1 - EPS)
    return float(sk.log_loss(y_arr, clipped, labels=[0, 1]))


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    count: int
    mean_pd: float
    bad_rate: float


def calibration_table(y: Any, p: Any, bins: int = 10) -> list[CalibrationBin]:
    """Equal-count bins of PD with the mean PD and the observed bad rate of each.

    Parameters
    ----------
    y : array-like of {0, 1}
    p : array-like of float in [0, 1]
    bins : int

    Returns
    -------
    list of CalibrationBin
    """
    y_arr, p_arr = _check(y, p)
    order = np.argsort(p_arr, kind="mergesort")
    table = []
    for chunk in np.array_split(order, min(bins, len(order))):
        if len(chunk) == 0:
            continue
        table.append(
            CalibrationBin(
                float(p_arr[chunk].min()),
                float(p_arr[chunk].max()),
                len(chunk),
                float(p_arr[chunk].mean()),
                float(y_arr[chunk].mean()),
            )
        )
    return table


def calibration_error(y: Any, p: Any, bins: int = 10) -> float:
    """Expected calibration error: count-weighted mean |mean PD − bad rate| over PD deciles.

    Parameters
    ----------
    y : array-like of {0, 1}
    p : array-like of float in [0, 1]
    bins : int

    Returns
    -------
    float
    """
    table = calibration_table(y, p, bins)
    total = sum(b.count for b in table)
    return float(sum(b.count * abs(b.mean_pd - b.bad_rate) for b in table) / total)


def evaluate(y: Any, p: Any) -> Evaluation:
    """All headline metrics at once.

    Parameters
    ----------
    y : array-like of {0, 1}
    p : array-like of float in [0, 1]
        Probabilities of default.

    Returns
    -------
    Evaluation
    """
    y_arr, p_arr = _check(y, p)
    area = auc(y_arr, p_arr)
    return Evaluation(
        n=len(y_arr),
        bad_rate=float(y_arr.mean()),
        auc=area,
        gini=2 * area - 1,
        ks=ks(y_arr, p_arr),
        brier=brier(y_arr, p_arr),
        log_loss=log_loss(y_arr, p_arr),
        calibration_error=calibration_error(y_arr, p_arr),
        mean_pd=float(p_arr.mean()),
    )
