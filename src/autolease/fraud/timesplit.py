"""Periods of a table and forward-in-time validation blocks (pure: pandas and numpy).

A fraud model is used on applications later than any it learnt from, so it is chosen and
measured the same way: train on the earlier periods, validate on the next block.

`period_index` orders rows by one or more time columns (numbers, ISO dates, or month names
such as ``Jan``/``January``: ``Year`` then ``Month`` orders claims by month);
`forward_blocks` cuts the last periods into contiguous validation blocks, each validated by
a model of every earlier period only; `recall_at_shares` is the recall of fraud when the
top share of a period is referred, with its binomial standard error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped,unused-ignore]

from autolease.fraud.exceptions import FraudDataInvalid

MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def _ordered(series: pd.Series, name: str) -> npt.NDArray[np.float64]:
    """A sortable number per row for one time column (numbers, month names or dates)."""
    if pd.api.types.is_numeric_dtype(series):
        return np.asarray(series.to_numpy(dtype=np.float64), dtype=np.float64)
    text = series.astype("string").str.strip().str.lower()
    months = text.str[:3].map(MONTHS)
    if months.notna().all():
        return np.asarray(months.to_numpy(dtype=np.float64), dtype=np.float64)
    dates = pd.to_datetime(text, errors="coerce", format="mixed")
    if dates.notna().all():
        seconds = dates.to_numpy(dtype="datetime64[s]").astype(np.int64)
        return np.asarray(seconds, dtype=np.float64)
    raise FraudDataInvalid(
        f"--time-column: {name!r} is neither numeric, month names nor dates in every row"
    )


def period_index(frame: pd.DataFrame, columns: Sequence[str]) -> I64:
    """The period of each row: the rank of its (column1, column2, …) value, 0 = earliest.

    >>> f = pd.DataFrame({"Year": [1995, 1994, 1994, 1995], "Month": ["Jan", "Dec", "Mar", "Jan"]})
    >>> period_index(f, ["Year", "Month"]).tolist()
    [2, 1, 0, 2]
    """
    if not columns:
        raise FraudDataInvalid("--time-column: give at least one column")
    keys = []
    for name in columns:
        if name not in frame.columns:
            raise FraudDataInvalid(f"--time-column: the file has no column {name!r}")
        values = _ordered(frame[name], name)
        if np.isnan(values).any():
            raise FraudDataInvalid(f"--time-column: {name!r} is missing in some rows")
        keys.append(values)
    stacked = np.column_stack(keys)
    _, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return np.asarray(inverse, dtype=np.int64).reshape(-1)


@dataclass(frozen=True)
class Block:
    """One forward split: train on every period before ``first``, validate ``first..last``."""

    first: int
    last: int
    train: B
    valid: B


def forward_blocks(
    period: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    blocks: int = 3,
    share: float = 0.15,
    min_positives: int = 5,
) -> list[Block]:
    """Up to ``blocks`` validation blocks of about ``share`` of the rows each, the latest last.

    Blocks are whole periods; a block lacking ``min_positives`` frauds or non-frauds, or with
    no earlier rows to train on, is skipped. Raises `FraudDataInvalid` when none is left
    (one period only, or too few frauds).

    >>> p = np.repeat(np.arange(10), 10); y = np.tile([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 10)
    >>> [(b.first, b.last, int(b.train.sum())) for b in forward_blocks(p, y, min_positives=1)]
    [(6, 6, 60), (7, 8, 70), (9, 9, 90)]
    """
    p = np.asarray(period, dtype=np.int64)
    target = np.asarray(y, dtype=bool)
    uniq, counts = np.unique(p, return_counts=True)
    middle = (np.cumsum(counts) - counts / 2) / len(p)  # share of rows at each period's middle
    out: list[Block] = []
    for k in range(blocks, 0, -1):
        lo, hi = 1 - share * k, 1 - share * (k - 1)
        inside = uniq[(middle > lo) & (middle <= hi)]
        if len(inside) == 0 or inside[0] == uniq[0]:
            continue
        valid = (p >= inside[0]) & (p <= inside[-1])
        train = p < inside[0]
        ok = min(target[valid].sum(), (~target[valid]).sum(), target[train].sum()) >= min_positives
        if ok:
            out.append(Block(int(inside[0]), int(inside[-1]), train, valid))
    if not out:
        raise FraudDataInvalid(
            "time validation: no later block with enough frauds and earlier rows to train on"
            " (the time columns give one period, or the file has too few frauds)"
        )
    return out


def recall_at_shares(
    score: npt.ArrayLike, y: npt.ArrayLike, shares: Sequence[float] = (0.01, 0.05, 0.10)
) -> dict[str, dict[str, float | int | None]]:
    """Recall of fraud when the top ``share`` of these rows is referred, with its standard
    error (binomial, over the frauds).

    >>> out = recall_at_shares([0.9, 0.8, 0.1, 0.2, 0.3], [1, 0, 1, 0, 0], [0.2, 0.4])
    >>> out["20%"]["recall"], out["40%"]["recall"]
    (0.5, 0.5)
    """
    s = np.asarray(score, dtype=np.float64)
    target = np.asarray(y, dtype=bool)
    frauds = int(target.sum())
    order = np.argsort(-s, kind="mergesort")
    out: dict[str, dict[str, float | int | None]] = {}
    for share in shares:
        top = np.zeros(len(s), bool)
        top[order[: round(share * len(s))]] = True
        recall = float(top[target].mean()) if frauds else None
        se = float(np.sqrt(recall * (1 - recall) / frauds)) if recall is not None else None
        out[f"{share:.0%}"] = {
            "referred": int(top.sum()),
            "recall": None if recall is None else round(recall, 4),
            "se": None if se is None else round(se, 4),
        }
    return out


def threshold_for_share(score: npt.ArrayLike, share: float) -> float:
    """The score threshold (refer at ``score >= t``) whose referred share of these rows is
    closest to `share`; among tied scores a plain quantile can refer far more.

    >>> threshold_for_share([0.1, 0.2, 0.2, 0.2, 0.9], 0.2), threshold_for_share([1, 2, 3, 4], 0.5)
    (0.9, 3.0)
    """
    descending = -np.sort(np.asarray(score, dtype=np.float64))[::-1]  # ascending negatives
    levels = -np.unique(descending)  # distinct scores, highest first
    referred = np.searchsorted(descending, -levels, side="right") / len(descending)
    return float(levels[int(np.argmin(np.abs(referred - share)))])
