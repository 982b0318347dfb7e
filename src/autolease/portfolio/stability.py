"""Population and characteristic stability (PSI / CSI) between a development sample and later
months (pure).

PSI = Σ (a − e) · ln(a / e) over bins, where e and a are the shares of the development and the
recent sample in each bin. Number columns are cut at the development sample's deciles (fewer
bins when values repeat); text columns use their categories. Empty bins get a floor share so a
new category shows as drift instead of an infinity. Common reading: < 0.10 stable, 0.10-0.25
watch, > 0.25 shifted.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> round(psi(rng.normal(0, 1, 5000), rng.normal(0, 1, 5000)), 3) < 0.01
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

FLOOR = 1e-4
F64 = npt.NDArray[np.float64]


def _shares(counts: F64) -> F64:
    total = counts.sum()
    shares = counts / total if total else counts
    return np.maximum(shares, FLOOR)


def _index(expected: F64, actual: F64) -> float:
    e, a = _shares(expected), _shares(actual)
    return float(np.sum((a - e) * np.log(a / e)))


def psi(expected: npt.ArrayLike, actual: npt.ArrayLike, bins: int = 10) -> float:
    """PSI of a number column; NaN values form their own bin."""
    e = np.asarray(expected, dtype=np.float64)
    a = np.asarray(actual, dtype=np.float64)
    finite = e[np.isfinite(e)]
    if finite.size == 0 or a.size == 0:
        return float("nan")
    edges = np.unique(np.quantile(finite, np.linspace(0, 1, bins + 1)[1:-1]))
    return _index(_binned(e, edges), _binned(a, edges))


def _binned(values: F64, edges: F64) -> F64:
    nan = np.isnan(values)
    counts = np.bincount(
        np.searchsorted(edges, values[~nan], side="right"), minlength=len(edges) + 1
    )
    return np.append(counts, nan.sum()).astype(np.float64)


def category_psi(expected: Sequence[object], actual: Sequence[object]) -> float:
    e = pd.Series(expected, dtype="object").fillna("<missing>").value_counts()
    a = pd.Series(actual, dtype="object").fillna("<missing>").value_counts()
    keys = e.index.union(a.index)
    return _index(
        e.reindex(keys, fill_value=0).to_numpy(np.float64),
        a.reindex(keys, fill_value=0).to_numpy(np.float64),
    )


def stability_by_month(
    frame: pd.DataFrame, columns: Sequence[str], month: str, dev_months: Sequence[str]
) -> pd.DataFrame:
    """PSI of every column for every month after the development months.

    Columns: month, column, index, n. Number columns use `psi`, others `category_psi`.
    """
    dev = frame[frame[month].isin(dev_months)]
    rows = []
    for when, part in frame[~frame[month].isin(dev_months)].groupby(month, sort=True):
        for column in columns:
            numeric = pd.api.types.is_numeric_dtype(frame[column])
            value = (
                psi(dev[column].to_numpy(), part[column].to_numpy())
                if numeric
                else category_psi(dev[column].tolist(), part[column].tolist())
            )
            rows.append({"month": when, "column": column, "index": value, "n": len(part)})
    return pd.DataFrame(rows, columns=["month", "column", "index", "n"])
