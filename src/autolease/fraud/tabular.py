"""Any labelled table as fraud-model inputs (pure pandas): for public data sets and CSVs.

Numeric columns are inputs as they are; every other column is categorical, with the
categories seen in the training rows (sorted, as text; unseen values are missing).
`encode_frame` gives the same matrix `model.encode` gives for the same records.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped,unused-ignore]

from autolease.fraud.features import FeatureSpec
from autolease.fraud.model import F64


def tabular_specs(frame: pd.DataFrame, exclude: Sequence[str] = ()) -> tuple[FeatureSpec, ...]:
    """Input specs of every column not in `exclude`.

    >>> f = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    >>> [(s.name, s.dtype, s.categories) for s in tabular_specs(f)]
    [('a', 'float', ()), ('b', 'category', ('x', 'y'))]
    """
    specs = []
    for column in frame.columns:
        if column in exclude:
            continue
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            specs.append(FeatureSpec(str(column), "float", "table", ""))
        else:
            categories = tuple(sorted(series.dropna().astype(str).unique().tolist()))
            specs.append(FeatureSpec(str(column), "category", "table", "", categories))
    return tuple(specs)


def encode_frame(frame: pd.DataFrame, specs: Sequence[FeatureSpec]) -> F64:
    """A float64 matrix in `specs` order (missing columns are all missing)."""
    out = np.full((len(frame), len(specs)), np.nan)
    for j, spec in enumerate(specs):
        if spec.name not in frame.columns:
            continue
        series = frame[spec.name]
        if spec.dtype == "category":
            index = {c: float(i) for i, c in enumerate(spec.categories)}
            text = series.astype(object).where(series.notna(), None)
            out[:, j] = [index.get(str(v), np.nan) if v is not None else np.nan for v in text]
        else:
            out[:, j] = pd.to_numeric(series, errors="coerce").astype(float).to_numpy()
    return out


def binary_target(series: pd.Series, positive: str | None = None) -> npt.NDArray[np.int8]:
    """0/1 labels: `positive` marks fraud; by default 1/true/yes/fraud (case-insensitive)."""
    text = series.astype(str).str.strip().str.lower()
    if positive is not None:
        return np.asarray(text == positive.strip().lower(), dtype=np.int8)
    return np.asarray(text.isin({"1", "1.0", "true", "yes", "y", "fraud"}), dtype=np.int8)
