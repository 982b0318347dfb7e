"""Any delimited table → a clean frame, a binary target and an input schema (pure).

Risk teams bring their own files: comma, semicolon, tab, pipe or whitespace separated, with
or without a header row, with odd header spellings, text categories and missing-value
markers. `parse_table` takes the file's text (the caller reads it), `binary_target` turns
the target column into 0/1 (1 = bad), `infer_schema` decides numeric versus categorical and
drops identifiers; `credit.encoding` then turns any input into the matrix every model scores.

>>> frame = parse_table("Age;Home;Status\\n30;rent;good\\n41;own;bad\\n25;?;good\\n")
>>> list(frame.columns), frame["Home"].isna().sum()
(['Age', 'Home', 'Status'], np.int64(1))
>>> target = binary_target(frame["Status"], None)
>>> target.y.tolist()
[0, 1, 0]
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from autolease.credit.encoding import MISSING_TOKENS, ColumnSpec, InputSchema, text_value
from autolease.credit.exceptions import CreditDataInvalid

F64 = npt.NDArray[np.float64]
BAD_WORDS = ("bad", "default", "defaulted", "yes", "y", "true", "charged off", "1")
CLEAR_BAD = ("bad", "default", "defaulted", "charged off")
GOOD_WORDS = ("good", "no", "n", "false", "paid", "fully paid", "0")
DELIMITERS = (",", "\t", ";", "|")
_ID_NAME = re.compile(r"(^|[_\s.])(id|index|no|number|key)$|^unnamed|^sk_id", re.IGNORECASE)
_SAMPLE_LINES = 60
MIN_ROWS_FOR_ID = 50
# A level with fewer training rows than max(MIN_LEVEL_ROWS, MIN_LEVEL_SHARE × rows) is rare:
# it joins the column's "rare or unseen" level instead of getting a bad rate of its own.
MIN_LEVEL_ROWS = 30
MIN_LEVEL_SHARE = 0.005
# A column is "mostly unique" when it has more distinct levels than this share of its rows.
MOSTLY_UNIQUE = 0.5


@dataclass(frozen=True)
class Target:
    """A 0/1 target (1 = bad) for the rows kept (rows with a missing target are dropped)."""

    y: npt.NDArray[np.int8]
    keep: npt.NDArray[np.bool_]
    bad_label: str


def parse_table(
    text: str,
    *,
    sep: str | None = None,
    header: bool | None = None,
    target: str | None = None,
    bad_value: str | None = None,
    missing: Collection[str] | None = None,
) -> pd.DataFrame:
    """Parse delimited text into a frame with clean, unique column names.

    Parameters
    ----------
    text : str
        The file's content.
    sep : str or None
        Delimiter; sniffed from the first lines when None (``,`` ``\\t`` ``;`` ``|`` or
        whitespace).
    header : bool or None
        Whether the first row names the columns; detected when None.
    target, bad_value : str or None
        When both are given, `bad_value` is never read as missing in the `target` column
        (``--bad-value -`` is a label there, even though ``-`` marks missing elsewhere).
    missing : collection of str or None
        Cells read as missing (case-insensitive); `MISSING_TOKENS` when None. Empty cells
        are always missing.

    Returns
    -------
    pandas.DataFrame
        Numeric columns as float64, text columns as object with missing values as NaN.

    Examples
    --------
    >>> parse_table("A11 6 1\\nA12 48 2\\n").columns.tolist()
    ['col_0', 'col_1', 'col_2']
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise CreditDataInvalid("the table is empty")
    delimiter = sep if sep is not None else sniff_delimiter(text)
    raw = _read_cells(text, delimiter)
    use_header = detect_header(raw) if header is None else header
    if use_header:
        names = clean_names([str(v) for v in raw.iloc[0].tolist()])
        raw = raw.iloc[1:].reset_index(drop=True)
    else:
        names = [f"col_{i}" for i in range(raw.shape[1])]
    if raw.empty:
        raise CreditDataInvalid("the table has a header but no rows")
    raw.columns = pd.Index(names)
    labels = _target_labels(raw, target, bad_value)
    markers = missing_markers(missing)
    return pd.DataFrame(
        {name: _typed(raw[name], markers.difference(labels.get(name, ()))) for name in names}
    )


def missing_markers(values: Collection[str] | None) -> frozenset[str]:
    """The cells read as missing: `values` (lower-cased) plus the empty cell, or the default.

    >>> sorted(missing_markers(["NA", " ? "]))
    ['', '?', 'na']
    """
    if values is None:
        return MISSING_TOKENS
    return frozenset({"", *(v.strip().lower() for v in values)})


def _target_labels(
    raw: pd.DataFrame, target: str | None, bad_value: str | None
) -> dict[str, tuple[str, ...]]:
    if target is None or bad_value is None:
        return {}
    return {resolve_column(raw, target): (bad_value.strip().lower(),)}


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (>1) of fields.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        One of ``DELIMITERS`` or ``r"\\s+"`` for whitespace-separated text.
    """
    lines = [ln for ln in text.splitlines()[:_SAMPLE_LINES] if ln.strip()]
    best, best_fields = r"\s+", 1
    for delim in DELIMITERS:
        counts = {_field_count(line, delim) for line in lines}
        if len(counts) == 1 and (n := counts.pop()) > best_fields:
            best, best_fields = delim, n
    return best


def _field_count(line: str, delim: str) -> int:
    return len(_split_quoted(line, delim))


def _split_quoted(line: str, delim: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


def _read_cells(text: str, delimiter: str) -> pd.DataFrame:
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CreditDataInvalid(f"the table cannot be parsed: {first}") from exc


def detect_header(raw: pd.DataFrame) -> bool:
    """True when the first row looks like names: no number, and no value repeated below.

    Parameters
    ----------
    raw : pandas.DataFrame
        All cells as text, no header consumed.

    Returns
    -------
    bool
    """
    if len(raw) < 2:
        return False
    first = [str(v).strip() for v in raw.iloc[0].tolist()]
    if any(_is_number(v) for v in first if v):
        return False
    below = raw.iloc[1 : 1 + 500]
    for j, value in enumerate(first):
        column = below.iloc[:, j].astype(str).str.strip()
        if value and (column == value).any():
            return False
    return True


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def clean_names(names: Sequence[str]) -> list[str]:
    """Strip quotes, BOMs and spaces; name blanks ``col_<i>``; make names unique.

    Parameters
    ----------
    names : sequence of str

    Returns
    -------
    list of str

    Examples
    --------
    >>> clean_names([' "Age" ', '', 'age', 'Income\\n'])
    ['Age', 'col_1', 'age', 'Income']
    >>> clean_names(['x', 'x'])
    ['x', 'x_2']
    """
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        clean = " ".join(name.replace("\ufeff", "").strip().strip("\"'`").split())
        clean = clean or f"col_{i}"
        candidate, k = clean, 2
        while candidate in seen:
            candidate, k = f"{clean}_{k}", k + 1
        seen.add(candidate)
        out.append(candidate)
    return out


def _typed(column: pd.Series, markers: frozenset[str]) -> pd.Series:
    text = column.astype(str).str.strip()
    missing = text.str.lower().isin(markers)
    numbers = pd.to_numeric(text.where(~missing), errors="coerce")
    if numbers.notna().sum() == (~missing).sum() and (~missing).any():
        return numbers.astype(np.float64)
    return text.where(~missing, other=np.nan).astype(object)


def resolve_column(frame: pd.DataFrame, ref: str) -> str:
    """Find a column by exact name, by name ignoring case and spaces, or by index.

    Parameters
    ----------
    frame : pandas.DataFrame
    ref : str
        A column name, or a 0-based index (negative counts from the end: ``-1`` is last).

    Returns
    -------
    str
        The column's name in `frame`.
    """
    names = [str(c) for c in frame.columns]
    if ref in names:
        return ref
    folded = {_fold(n): n for n in names}
    if _fold(ref) in folded:
        return folded[_fold(ref)]
    if re.fullmatch(r"-?\d+", ref.strip()):
        index = int(ref)
        if -len(names) <= index < len(names):
            return names[index]
    shown = ", ".join(names[:25]) + (" …" if len(names) > 25 else "")
    raise CreditDataInvalid(f"column {ref!r} not found; columns are: {shown}")


def _fold(name: str) -> str:
    return re.sub(r"[\s_.\-]+", "", name).lower()


def binary_target(column: pd.Series, bad_value: str | None) -> Target:
    """Turn a target column into 0/1 with 1 = bad; rows with no target are dropped.

    Parameters
    ----------
    column : pandas.Series
    bad_value : str or None
        The value meaning "bad"; inferred for 0/1, good/bad, yes/no, true/false when None.

    Returns
    -------
    Target
    """
    keep = column.notna().to_numpy()
    values = column[keep]
    if values.empty:
        raise CreditDataInvalid(f"target {column.name!r} has no values")
    labels = _labels(values)
    bad = bad_value.strip().lower() if bad_value is not None else _infer_bad(labels, column.name)
    if bad_value is not None and not (labels == _label(bad_value)).any():
        seen = sorted(set(labels.tolist()))[:10]
        raise CreditDataInvalid(
            f"no row of target {column.name!r} equals --bad-value {bad_value!r}; values: {seen}"
        )
    y = (labels == _label(bad)).to_numpy().astype(np.int8)
    if y.min() == y.max():
        raise CreditDataInvalid(f"target {column.name!r} has only one class")
    return Target(y, keep, bad)


def _label(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip().lower()
    if _is_number(text) and float(text).is_integer():
        return str(int(float(text)))
    return text


def _labels(values: pd.Series) -> pd.Series:
    return values.map(_label)


def _infer_bad(labels: pd.Series, name: Any) -> str:
    distinct = set(labels.unique().tolist())
    if len(distinct) == 2:
        for bad, good in zip(BAD_WORDS, GOOD_WORDS, strict=False):
            if distinct == {bad, good}:
                return bad
        if distinct == {"0", "1"}:
            return "1"
        clear = distinct & set(CLEAR_BAD)
        if len(clear) == 1:
            return str(clear.pop())
    shown = sorted(distinct)[:10]
    raise CreditDataInvalid(
        f"cannot tell which value of target {name!r} means bad (values: {shown}); pass --bad-value"
    )


def infer_schema(
    frame: pd.DataFrame, *, exclude: Sequence[str] = (), max_categories: int = 200
) -> tuple[InputSchema, dict[str, str]]:
    """Choose the model inputs: numeric or categorical, dropping identifiers and empties.

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by `parse_table` (or any frame of numbers and text).
    exclude : sequence of str
        Columns never used as inputs (the target, explicit drops).
    max_categories : int
        Text columns with more distinct values than this (and than half the rows) are
        treated as free text and dropped.

    Returns
    -------
    (InputSchema, dict of str to str)
        The schema and the dropped columns with the reason for each.
    """
    columns: list[ColumnSpec] = []
    dropped: dict[str, str] = {}
    for name in frame.columns:
        if name in exclude:
            continue
        reason = _drop_reason(str(name), frame[name], max_categories)
        if reason:
            dropped[str(name)] = reason
        elif pd.api.types.is_numeric_dtype(frame[name]):
            columns.append(ColumnSpec(str(name), "numeric"))
        else:
            columns.append(categorical_spec(str(name), frame[name]))
    if not columns:
        raise CreditDataInvalid("no usable input columns (all empty, constant or identifiers)")
    return InputSchema(tuple(columns)), dropped


def min_level_rows(rows: int) -> int:
    """Training rows a level needs to be learnt on its own (fewer: it is rare)."""
    return max(MIN_LEVEL_ROWS, math.ceil(MIN_LEVEL_SHARE * rows))


def categorical_spec(name: str, column: pd.Series) -> ColumnSpec:
    """A categorical input: frequent levels learnt one by one, rare ones grouped as "other".

    Parameters
    ----------
    name : str
    column : pandas.Series
        The training values (missing as NaN).

    Returns
    -------
    ColumnSpec
        With ``other`` set: rare and unseen levels share one explicit level.

    Examples
    --------
    >>> spec = categorical_spec("city", pd.Series(["a"] * 40 + ["b"] * 3))
    >>> spec.categories, spec.rare
    (('a',), ('b',))
    """
    counts = column.dropna().map(text_value).value_counts()
    floor = min_level_rows(len(column))
    frequent = sorted(str(v) for v, n in counts.items() if n >= floor)
    rare = sorted(str(v) for v, n in counts.items() if n < floor)
    return ColumnSpec(name, "categorical", tuple(frequent), True, tuple(rare))


def level_warnings(frame: pd.DataFrame, schema: InputSchema) -> list[str]:
    """Warnings about categorical inputs whose levels are mostly unique or mostly rare.

    Parameters
    ----------
    frame : pandas.DataFrame
        The training frame the schema was inferred from.
    schema : InputSchema

    Returns
    -------
    list of str
    """
    out = []
    floor = min_level_rows(len(frame))
    for spec in schema.columns:
        if spec.kind != "categorical" or not spec.other:
            continue
        values = frame[spec.name].dropna().map(text_value)
        if values.empty:
            continue
        levels = len(spec.categories) + len(spec.rare)
        rare_rows = float(values.isin(set(spec.rare)).mean())
        if levels > MOSTLY_UNIQUE * len(values):
            out.append(
                f"{spec.name}: levels are mostly unique ({levels} levels in {len(values)} rows);"
                f" levels with fewer than {floor} rows ({rare_rows:.0%} of rows) share one"
                " 'rare or unseen' level, and new rows will often carry unseen levels"
            )
        elif rare_rows > MOSTLY_UNIQUE:
            out.append(
                f"{spec.name}: {rare_rows:.0%} of rows carry a level with fewer than {floor}"
                f" rows ({len(spec.rare)} of {levels} levels); they share one 'rare or unseen'"
                " level"
            )
    return out


def _drop_reason(name: str, column: pd.Series, max_categories: int) -> str:
    present = column.dropna()
    if present.empty:
        return "empty"
    distinct = present.nunique()
    if distinct == 1 and len(present) == len(column):
        return "constant"
    unique_rows = distinct == len(column) and len(column) >= MIN_ROWS_FOR_ID
    if pd.api.types.is_numeric_dtype(column):
        integral = bool(np.all(np.mod(present.to_numpy(), 1) == 0))
        ordered = present.is_monotonic_increasing
        if unique_rows and integral and (ordered or _ID_NAME.search(name)):
            return "identifier"
        return ""
    if unique_rows or (distinct > max_categories and distinct > len(column) // 2):
        return "identifier or free text"
    return ""
