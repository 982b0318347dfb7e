"""Model inputs and their encoding: any record or batch → the matrix every model scores (pure).

`InputSchema` lists the inputs in order: numbers, or categories with their training
vocabulary. `encode` (a batch: a frame or a mapping of columns) and `encode_row` (one dict,
the serving path) give the same numbers: values as given (unparseable → NaN), categories as
their vocabulary index; missing or absent → NaN. A column with an ``other`` level (every
column a table's schema infers) gives any other present value — a level too rare to learn
from in training, or one never seen — the code ``len(categories)``: the explicit "rare or
unseen" level the models learn a value for. Without it (declared vocabularies) an unseen
value is missing. `unseen_shares` tells how many rows carry a level training never saw.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from autolease.credit.exceptions import CreditDataInvalid

F64 = npt.NDArray[np.float64]
ColumnKind = Literal["numeric", "categorical"]
# Cells read as missing by default (case-insensitive). Words that can be real categories,
# such as "none", are not on it; users replace the list with ``--na-values``.
MISSING_TOKENS = frozenset({"", "?", "na", "n/a", "nan", "null", "-", "--", "#n/a", ".", "missing"})
# The name of the "rare or unseen" level in bins and reports.
OTHER_LABEL = "(rare or unseen)"


@dataclass(frozen=True)
class ColumnSpec:
    """One model input: numeric, or categorical with its training vocabulary.

    ``categories`` are the levels learnt one by one. With ``other`` set, every other present
    value shares the code ``len(categories)``: the levels in ``rare`` (seen in training, too
    few rows each to learn from) and any level never seen.
    """

    name: str
    kind: ColumnKind
    categories: tuple[str, ...] = ()
    other: bool = False
    rare: tuple[str, ...] = ()

    @property
    def other_code(self) -> int | None:
        """The code of the "rare or unseen" level, or None when the column has none."""
        return len(self.categories) if self.other else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.kind == "categorical":
            data["categories"] = list(self.categories)
            if self.other:
                data["other"] = True
                data["rare"] = list(self.rare)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ColumnSpec:
        kind = data["kind"]
        if kind not in ("numeric", "categorical"):
            raise ValueError(f"column {data.get('name')!r}: unknown kind {kind!r}")
        return cls(
            str(data["name"]),
            kind,
            tuple(str(c) for c in data.get("categories", ())),
            bool(data.get("other", False)),
            tuple(str(c) for c in data.get("rare", ())),
        )


@dataclass(frozen=True)
class InputSchema:
    """The ordered model inputs; position ``j`` is column ``j`` of the encoded matrix."""

    columns: tuple[ColumnSpec, ...]
    _index: dict[str, dict[str, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError("input schema has duplicate column names")
        lookup = {c.name: {v: i for i, v in enumerate(c.categories)} for c in self.columns}
        object.__setattr__(self, "_index", lookup)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def categorical_positions(self) -> list[int]:
        return [j for j, c in enumerate(self.columns) if c.kind == "categorical"]

    def category_index(self, name: str) -> dict[str, int]:
        return self._index[name]

    def column(self, name: str) -> ColumnSpec:
        return self.columns[self.names.index(name)]

    def to_json(self) -> list[dict[str, Any]]:
        return [c.to_json() for c in self.columns]

    @classmethod
    def from_json(cls, data: Sequence[Mapping[str, Any]]) -> InputSchema:
        return cls(tuple(ColumnSpec.from_json(c) for c in data))


def text_value(value: Any) -> str:
    """A category's text: stripped, and integral floats without ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def encode(data: Any, schema: InputSchema) -> F64:
    """The numeric matrix of a batch: one row per record, one column per schema input.

    Parameters
    ----------
    data : mapping of str to array-like, or pandas.DataFrame
        Missing columns score as missing values.
    schema : InputSchema

    Returns
    -------
    ndarray of float64, shape (n, p)
        Numbers as given (unparseable → NaN); categories as their vocabulary index, other
        present values as the column's other code (NaN without one), missing → NaN.
    """
    n = _length(data, schema)
    out = np.full((n, len(schema.columns)), np.nan)
    for j, spec in enumerate(schema.columns):
        if spec.name not in data:
            continue
        values = data[spec.name]
        if spec.kind == "numeric":
            out[:, j] = _numbers(values)
        else:
            out[:, j] = _codes(values, spec)
    return out


def _length(data: Any, schema: InputSchema) -> int:
    for spec in schema.columns:
        if spec.name in data:
            return len(data[spec.name])
    if isinstance(data, pd.DataFrame):
        return len(data)
    raise CreditDataInvalid("none of the model's input columns is present")


def _numbers(values: Any) -> F64:
    array = np.asarray(values)
    if array.dtype.kind in "fiub":
        return array.astype(np.float64)
    parsed = pd.to_numeric(pd.Series(array, dtype=object), errors="coerce")
    return np.asarray(parsed, dtype=np.float64)


def _codes(values: Any, spec: ColumnSpec) -> F64:
    found, present = _lookup(values, spec.categories)
    codes = np.asarray(found, dtype=np.float64)
    other = spec.other_code
    codes[found < 0] = np.nan if other is None else other
    codes[~present] = np.nan
    return codes


def _lookup(values: Any, levels: Sequence[str]) -> tuple[npt.NDArray[np.int64], Any]:
    """Each value's position in `levels` (−1 when absent) and whether it is present at all."""
    array = np.asarray(values, dtype=object)
    index = pd.Index(list(levels), dtype=object)
    found = np.asarray(index.get_indexer(array), dtype=np.int64)
    present = np.ones(len(array), dtype=np.bool_)
    retry = np.flatnonzero(found < 0)
    if retry.size:
        normalised = pd.Series(array[retry], dtype=object).map(_text_or_none)
        found[retry] = index.get_indexer(normalised)
        present[retry] = normalised.notna().to_numpy()
    return found, present


def unseen_shares(data: Any, schema: InputSchema) -> dict[str, float]:
    """Share of the rows whose level of each categorical input training never saw.

    A level counts as seen when training learnt it or grouped it as rare; missing values
    are not unseen. Inputs absent from `data` are left out.

    Parameters
    ----------
    data : mapping of str to array-like, or pandas.DataFrame
    schema : InputSchema

    Returns
    -------
    dict of str to float
        By input name, in schema order.

    Examples
    --------
    >>> schema = InputSchema((ColumnSpec("city", "categorical", ("a",), True, ("b",)),))
    >>> unseen_shares({"city": ["a", "b", "c", None]}, schema)
    {'city': 0.25}
    """
    out: dict[str, float] = {}
    for spec in schema.columns:
        if spec.kind != "categorical" or spec.name not in data:
            continue
        found, present = _lookup(data[spec.name], (*spec.categories, *spec.rare))
        rows = len(found)
        out[spec.name] = float(np.sum((found < 0) & present) / rows) if rows else 0.0
    return out


def _text_or_none(value: Any) -> str | None:
    if _missing(value):
        return None
    return text_value(value)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and value.strip().lower() in MISSING_TOKENS


def encode_row(values: Mapping[str, Any], schema: InputSchema) -> F64:
    """One record (a dict) → a ``(1, p)`` matrix, the same encoding as `encode`.

    Parameters
    ----------
    values : mapping of str to Any
        Missing keys, ``None``, NaN and missing-value markers score as missing.
    schema : InputSchema

    Returns
    -------
    ndarray of float64, shape (1, p)

    Examples
    --------
    >>> schema = InputSchema((ColumnSpec("age", "numeric"), ColumnSpec("home", "categorical",
    ...                       ("own", "rent"))))
    >>> encode_row({"age": 30, "home": "rent"}, schema).tolist()
    [[30.0, 1.0]]
    >>> encode_row({"home": "boat"}, schema).tolist()
    [[nan, nan]]
    """
    row = [math.nan] * len(schema.columns)
    for j, spec in enumerate(schema.columns):
        value = values.get(spec.name)
        if _missing(value):
            continue
        if spec.kind == "numeric":
            row[j] = _to_float(value)
        else:
            unknown = math.nan if spec.other_code is None else float(spec.other_code)
            row[j] = float(schema.category_index(spec.name).get(text_value(value), unknown))
    return np.array([row], dtype=np.float64)


def _to_float(value: Any) -> float:
    if isinstance(value, bool | int | float | Decimal):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return math.nan
