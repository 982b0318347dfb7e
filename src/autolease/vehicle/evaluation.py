"""What a valuation evaluation must show beside the headline metrics (pure).

A price table from another source can lose a column silently (a header the mapping does not
recognise) or carry categories the model never saw; both degrade the figures without an error.
`input_report` names them, `brand_errors` splits the error by brand (median absolute percentage
error and the median log bias of P50, positive = over-valued).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]

F64 = npt.NDArray[np.float64]


def used_sources(info: dict[str, Any]) -> set[str]:
    """The table columns the mapping read (``info`` from `columns.canonical_frame`)."""
    used = {str(spec).rsplit("*", 1)[0] for spec in info.get("mapping", {}).values()}
    return used | {str(c) for c in info.get("extra", [])}


def input_report(
    table_columns: Iterable[str],
    info: dict[str, Any],
    frame: Any,
    features: Sequence[str],
    vocab: dict[str, Any],
) -> dict[str, Any]:
    """Unmapped table columns, model inputs absent for every row, and unseen-level shares.

    Parameters
    ----------
    table_columns : iterable of str
        The raw table's columns.
    info : dict
        From `columns.canonical_frame` (the resolved mapping).
    frame : pandas.DataFrame
        The canonical frame with derived columns (`valuation.add_derived`).
    features : sequence of str
        The model's inputs.
    vocab : dict
        The model's training vocabulary per categorical input.

    Returns
    -------
    dict
        ``unmapped_columns`` (list), ``inputs_missing_in_every_row`` (list) and
        ``unseen_category_share`` (column → share of rows with a level never seen in training).
    """
    used = used_sources(info)
    unmapped = [str(c) for c in table_columns if str(c) not in used]
    absent = [f for f in features if f not in frame or frame[f].isna().all()]
    unseen = {
        name: _unseen_share(frame[name], levels) for name, levels in vocab.items() if name in frame
    }
    return {
        "unmapped_columns": unmapped,
        "inputs_missing_in_every_row": absent,
        "unseen_category_share": unseen,
    }


def _unseen_share(column: Any, levels: dict[str, int]) -> float:
    present = column.notna()
    unseen = present & ~column.astype(str).isin(list(levels))
    return round(float(unseen.mean()), 5) if len(column) else 0.0


def brand_errors(brands: Any, actual: F64, p50: F64, *, min_rows: int = 1) -> dict[str, Any]:
    """Per brand: rows, median absolute percentage error and median log bias of P50.

    >>> out = brand_errors(pd.Series(["a", "a", "b"]), np.array([100.0, 200.0, 100.0]),
    ...                    np.array([110.0, 180.0, 100.0]))
    >>> out["a"]["median_ape"], out["b"]["median_log_bias"]
    (0.1, 0.0)
    """
    frame = pd.DataFrame(
        {
            "brand": pd.Series(brands).fillna("(none)").astype(str).to_numpy(),
            "ape": np.abs(p50 - actual) / actual,
            "log_bias": np.log(p50) - np.log(actual),
        }
    )
    out: dict[str, Any] = {}
    for brand, group in frame.groupby("brand", sort=True):
        if len(group) >= min_rows:
            out[str(brand)] = {
                "n": len(group),
                "median_ape": round(float(group["ape"].median()), 5),
                "median_log_bias": round(float(group["log_bias"].median()), 5),
            }
    return out


DRIFT_MIN_SHIFT = 0.05  # log: a 5 % level move is a move worth a warning, whatever the sample
TAIL = 0.10  # the band's design: 10 % of prices below P10, 10 % above P90


def drift_check(actual: F64, p10: F64, p50: F64, p90: F64) -> dict[str, Any]:
    """Has the market moved since training? The new table's misses against the model's band.

    A model's own misses centre on zero with about 10 % of prices outside each side of
    [P10, P90]. On a newer table, a median log miss beyond ±`DRIFT_MIN_SHIFT` (and three
    standard errors), or a tail share beyond 10 % by more than 5 points (and three binomial
    standard errors), means the prices have moved: ``warning`` names it.

    >>> a = np.full(400, 100.0)
    >>> drift_check(a, a * 0.8, a, a * 1.25)["warning"] is None
    True
    >>> drift_check(a, a * 0.7, a * 1.2, a * 1.4)["warning"][:40]
    'the market has moved: prices sit 0.182 i'
    """
    n = len(actual)
    miss = np.log(actual) - np.log(p50)
    shift = float(np.median(miss)) if n else 0.0
    se = float(1.2533 * np.std(miss) / np.sqrt(n)) if n > 1 else float("inf")
    below, above = float((actual < p10).mean()), float((actual > p90).mean())
    tail_margin = max(0.05, 3 * float(np.sqrt(TAIL * (1 - TAIL) / max(n, 1))))
    moved = abs(shift) > max(DRIFT_MIN_SHIFT, 3 * se)
    tails = [name for name, share in (("below P10", below), ("above P90", above))
             if share > TAIL + tail_margin]  # fmt: skip
    warning = None
    if moved or tails:
        side = "below" if shift < 0 else "above"
        warning = (
            f"the market has moved: prices sit {abs(shift):.3f} in log {side} the model's P50"
            f" at the median; {below:.0%} below P10 and {above:.0%} above P90 (10 % each by"
            " design). Retrain on recent prices before relying on this model's values."
        )
    return {
        "n": n,
        "median_log_shift": round(shift, 4),
        "median_log_shift_se": round(se, 4) if np.isfinite(se) else None,
        "below_p10": round(below, 4),
        "above_p90": round(above, 4),
        "tails_off": tails,
        "warning": warning,
    }
