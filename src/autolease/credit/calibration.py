"""Probability calibrators stored as JSON parameters (pure numpy when applied).

A calibrator maps a model's raw log-odds of default to a PD. ``identity`` is the logistic
function itself, ``platt`` is ``sigmoid(a * z + b)`` and ``isotonic`` is a monotone step
function over z (interpolated between its knots). Each serialises to a small dict; nothing is
pickled.

>>> cal = Calibrator.platt(a=1.0, b=0.0)
>>> round(float(cal.apply(np.array([0.0]))[0]), 3)
0.5
>>> Calibrator.from_json(cal.to_json()) == cal
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
Method = Literal["identity", "platt", "isotonic"]
_CLIP = 1e-6


def sigmoid(z: Any) -> F64:
    """Logistic function, numerically stable for large |z|.

    Parameters
    ----------
    z : array-like of float

    Returns
    -------
    ndarray of float64
    """
    arr = np.asarray(z, dtype=np.float64)
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * arr)), dtype=np.float64)


def logit(p: Any) -> F64:
    """Inverse of `sigmoid`, with PDs clipped to [1e-6, 1 - 1e-6].

    Parameters
    ----------
    p : array-like of float in [0, 1]

    Returns
    -------
    ndarray of float64
    """
    arr = np.clip(np.asarray(p, dtype=np.float64), _CLIP, 1 - _CLIP)
    return np.asarray(np.log(arr / (1 - arr)), dtype=np.float64)


@dataclass(frozen=True)
class Calibrator:
    """Raw log-odds → PD."""

    method: Method = "identity"
    a: float = 1.0
    b: float = 0.0
    knots_x: tuple[float, ...] = ()
    knots_y: tuple[float, ...] = ()

    @classmethod
    def platt(cls, a: float, b: float) -> Calibrator:
        return cls("platt", a=a, b=b)

    def apply(self, z: Any) -> F64:
        """PDs for raw log-odds `z`.

        Parameters
        ----------
        z : array-like of float

        Returns
        -------
        ndarray of float64
        """
        arr = np.asarray(z, dtype=np.float64)
        if self.method == "platt":
            return sigmoid(self.a * arr + self.b)
        if self.method == "isotonic":
            xs, ys = np.asarray(self.knots_x), np.asarray(self.knots_y)
            return np.asarray(np.clip(np.interp(arr, xs, ys), _CLIP, 1 - _CLIP))
        return sigmoid(arr)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"method": self.method}
        if self.method == "platt":
            data.update(a=self.a, b=self.b)
        if self.method == "isotonic":
            data.update(knots_x=list(self.knots_x), knots_y=list(self.knots_y))
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibrator:
        method = data.get("method")
        if method == "identity":
            return cls()
        if method == "platt":
            return cls.platt(float(data["a"]), float(data["b"]))
        if method == "isotonic":
            xs = tuple(float(v) for v in data["knots_x"])
            ys = tuple(float(v) for v in data["knots_y"])
            if len(xs) != len(ys) or len(xs) < 2 or list(xs) != sorted(xs):
                raise ValueError("isotonic calibrator needs two or more increasing knots")
            return cls("isotonic", knots_x=xs, knots_y=ys)
        raise ValueError(f"unknown calibration method {method!r}")


def fit_platt(z: Any, y: Any, *, iterations: int = 50, ridge: float = 1e-6) -> Calibrator:
    """Fit ``sigmoid(a z + b)`` by Newton's method on the log-likelihood.

    Parameters
    ----------
    z : array-like of float
        Raw log-odds on held-out rows.
    y : array-like of {0, 1}
    iterations : int
    ridge : float
        A tiny L2 penalty that keeps the Hessian invertible on separable data.

    Returns
    -------
    Calibrator
    """
    x = np.column_stack([np.asarray(z, dtype=np.float64), np.ones(len(z))])
    target = np.asarray(y, dtype=np.float64)
    w = np.array([1.0, 0.0])
    for _ in range(iterations):
        p = sigmoid(x @ w)
        grad = x.T @ (p - target) + ridge * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + ridge * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w = w - step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    return Calibrator.platt(float(w[0]), float(w[1]))


def fit_isotonic(z: Any, y: Any, *, max_knots: int = 200) -> Calibrator:
    """Fit a non-decreasing step function of `z` (pool-adjacent-violators).

    Parameters
    ----------
    z : array-like of float
    y : array-like of {0, 1}
    max_knots : int
        Knots kept (evenly by rank) so the stored JSON stays small.

    Returns
    -------
    Calibrator
    """
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip", y_min=_CLIP, y_max=1 - _CLIP)
    iso.fit(np.asarray(z, dtype=np.float64), np.asarray(y, dtype=np.float64))
    xs = np.asarray(iso.X_thresholds_, dtype=np.float64)
    ys = np.asarray(iso.y_thresholds_, dtype=np.float64)
    if len(xs) > max_knots:
        keep = np.unique(np.linspace(0, len(xs) - 1, max_knots).round().astype(int))
        xs, ys = xs[keep], ys[keep]
    if len(xs) < 2:
        return fit_platt(z, y)
    return Calibrator("isotonic", knots_x=tuple(xs.tolist()), knots_y=tuple(ys.tolist()))


def fit_calibrator(method: Method, z: Any, y: Any) -> Calibrator:
    """Fit the calibrator named by `method` on held-out log-odds and outcomes.

    Parameters
    ----------
    method : {"identity", "platt", "isotonic"}
    z : array-like of float
    y : array-like of {0, 1}

    Returns
    -------
    Calibrator
    """
    if method == "platt":
        return fit_platt(z, y)
    if method == "isotonic":
        return fit_isotonic(z, y)
    return Calibrator()
