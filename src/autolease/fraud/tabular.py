"""Any labelled table as fraud-model inputs (pure pandas): for public data sets and CSVs.

Numeric columns are inputs as they are; every other column is categorical, with the
categories seen in the training rows (sorted, as text; unseen values are missing).
A text column whose values read as numbers or numeric ranges ("1 to 7", "more than 30",
"under 6 months", "2 vehicles", "none") is *also* an ordered input (dtype ``ordinal``,
same name): the rank of its value in numeric order, so trees can split "30 or more days"
in one cut; at most one value that does not read as a number (e.g. "no change") is left
missing there and kept by the categorical twin. `encode_frame` gives the same matrix
`model.encode` gives for the same records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped,unused-ignore]

from autolease.fraud.exceptions import FraudDataInvalid
from autolease.fraud.features import FeatureSpec
from autolease.fraud.model import F64, category_index

_NUMBER = r"\d+(?:[.,]\d+)?"
_ABOVE = ("more than", "greater than", "over", "above", "at least", "from", ">=", ">", "≥")
_BELOW = ("less than", "fewer than", "under", "below", "up to", "at most", "<=", "<", "≤")
_QUALIFIER = "|".join(re.escape(q) for q in (*_ABOVE, *_BELOW))
_RANGE = re.compile(
    rf"^(?P<q>{_QUALIFIER})?\s*(?P<a>{_NUMBER})\s*(?:(?:to|-|–|~|and)\s*(?P<b>{_NUMBER}))?"
    rf"\s*(?P<unit>[a-z]+)?\s*(?P<plus>\+)?$"
)
_ZERO_WORDS = frozenset({"none", "zero", "nil", "never", "new", "no"})
_TIME_UNITS = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}
_MIN_RANGE_VALUES = 3  # an ordered input needs at least this many distinct numeric values


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _time_unit(word: str | None) -> float | None:
    if word is None:
        return None
    for unit, days in _TIME_UNITS.items():
        if word in (unit, unit + "s"):
            return days
    return None


def parse_range(value: str) -> tuple[float, float | None, int, float | None] | None:
    """``(low, high, side, unit_days)`` of a number or range in text; ``None`` if not one.

    ``side`` is +1 for "more than x", -1 for "less than x", 0 otherwise; ``unit_days`` is the
    length of a time unit named (day/week/month/year) or ``None``.

    >>> parse_range("15 to 30"), parse_range("more than 69000"), parse_range("none")
    ((15.0, 30.0, 0, None), (69000.0, None, 1, None), (0.0, None, 0, None))
    >>> parse_range("under 6 months")[2:], parse_range("Honda")
    ((-1, 30.4375), None)
    """
    text = " ".join(str(value).strip().lower().split())
    if text in _ZERO_WORDS:
        return (0.0, None, 0, None)
    found = _RANGE.match(text)
    if found is None:
        return None
    side = 1 if found["q"] in _ABOVE or found["plus"] else -1 if found["q"] in _BELOW else 0
    high = None if found["b"] is None else _number(found["b"])
    return (_number(found["a"]), high, side, _time_unit(found["unit"]))


def range_order(values: Iterable[str]) -> tuple[str, ...] | None:
    """The values that read as numbers, in numeric order; ``None`` if the column is not ranges.

    Values without a time unit take the column's most common one ("more than 7" among
    "2 years", "3 years"). At most one distinct value may fail to read.

    >>> range_order(["more than 30", "15 to 30", "none", "1 to 7", "8 to 15"])
    ('none', '1 to 7', '8 to 15', '15 to 30', 'more than 30')
    >>> range_order(["2 years", "3 years", "more than 7", "new", "under 6 months"])
    ('new', 'under 6 months', '2 years', '3 years', 'more than 7')
    >>> range_order(["red", "green", "1 to 2"]) is None
    True
    """
    distinct = sorted(set(values))
    parsed = {v: p for v in distinct if (p := parse_range(v)) is not None}
    if len(parsed) < _MIN_RANGE_VALUES or len(distinct) - len(parsed) > 1:
        return None
    units = [p[3] for p in parsed.values() if p[3] is not None]
    default = max(sorted(set(units)), key=units.count) if units else 1.0

    def key(value: str) -> tuple[float, int]:
        low, high, side, unit = parsed[value]
        scale = unit or default
        point = low if high is None else (low + high) / 2
        return (point * scale, side)

    return tuple(sorted(parsed, key=key))


def tabular_specs(frame: pd.DataFrame, exclude: Sequence[str] = ()) -> tuple[FeatureSpec, ...]:
    """Input specs of every column not in `exclude` (range-valued text gives two).

    >>> f = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "x"],
    ...                   "c": ["1 to 2", "none", "more than 2"]})
    >>> for s in tabular_specs(f):
    ...     print(s.name, s.dtype, s.categories)
    a float ()
    b category ('x', 'y')
    c category ('1 to 2', 'more than 2', 'none')
    c ordinal ('none', '1 to 2', 'more than 2')
    """
    specs = []
    for column in frame.columns:
        if column in exclude:
            continue
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            specs.append(FeatureSpec(str(column), "float", "table", ""))
            continue
        categories = tuple(sorted(series.dropna().astype(str).unique().tolist()))
        specs.append(FeatureSpec(str(column), "category", "table", "", categories))
        order = range_order(categories)
        if order is not None:
            specs.append(FeatureSpec(str(column), "ordinal", "table", "rank of value", order))
    return tuple(specs)


def encode_frame(frame: pd.DataFrame, specs: Sequence[FeatureSpec]) -> F64:
    """A float64 matrix in `specs` order (missing columns are all missing)."""
    out = np.full((len(frame), len(specs)), np.nan)
    for j, spec in enumerate(specs):
        if spec.name not in frame.columns:
            continue
        series = frame[spec.name]
        if spec.dtype in ("category", "ordinal"):
            index = category_index(spec)
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


def where_mask(frame: pd.DataFrame, condition: str | None, option: str) -> npt.NDArray[np.bool_]:
    """Rows matching ``COLUMN=V``, ``COLUMN=V1,V2`` or the inclusive range ``COLUMN=LO..HI``.

    A range compares numbers when the column is numeric, text otherwise (ISO dates sort as
    text); either end may be left open (``year=..1994``). None selects every row.

    >>> f = pd.DataFrame({"year": [1993, 1994, 1995, 1996], "kind": ["a", "b", "a", "c"]})
    >>> where_mask(f, "year=1994..1995", "--train-where").tolist()
    [False, True, True, False]
    >>> where_mask(f, "kind=a,c", "--test-where").tolist()
    [True, False, True, True]
    """
    if condition is None:
        return np.ones(len(frame), bool)
    column, sep, value = condition.partition("=")
    column = column.strip()
    if not sep or column not in frame.columns or not value.strip():
        raise FraudDataInvalid(
            f"{option}: expected COLUMN=V, COLUMN=V1,V2 or COLUMN=LO..HI with a column of the file"
        )
    series = frame[column]
    if ".." in value:
        low, _, high = value.partition("..")
        return _in_range(series, low.strip(), high.strip(), option)
    values = [v.strip() for v in value.split(",")]
    return np.asarray(_comparable(series).isin(_typed(series, values, option)), dtype=bool)


def _in_range(series: pd.Series, low: str, high: str, option: str) -> npt.NDArray[np.bool_]:
    ends = [v for v in (low, high) if v]
    if not ends:
        raise FraudDataInvalid(f"{option}: a range needs at least one end, e.g. year=1994..1995")
    column = _comparable(series)
    mask = pd.Series(True, index=series.index)
    if low:
        mask &= (column >= _typed(series, [low], option)[0]).fillna(False)
    if high:
        mask &= (column <= _typed(series, [high], option)[0]).fillna(False)
    return np.asarray(mask & series.notna(), dtype=bool)


def _comparable(series: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(series):
        return series
    return series.astype("string").str.strip()


def _typed(series: pd.Series, values: Sequence[str], option: str) -> list[object]:
    if not pd.api.types.is_numeric_dtype(series):
        return list(values)
    try:
        return [float(v) for v in values]
    except ValueError:
        raise FraudDataInvalid(
            f"{option}: column {series.name!r} is numeric, not {values}"
        ) from None
