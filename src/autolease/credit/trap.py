"""A generated credit table with a planted high-cardinality trap, where the right answer is known.

The bad flag follows a logistic model of three numeric inputs and one five-level category.
Two more columns carry no information at all: ``city``, with thousands of levels of a few
rows each (most levels of a test row never seen in training), and ``branch``, with a few
hundred levels of enough rows to look learnable. A model that groups levels by their
training bad rates finds a spurious signal in both; an honest one scores the same with or
without them. ``TRAP_COLUMNS`` names them so a test can drop them.

>>> frame = trap_table(500, seed=1)
>>> sorted(frame.columns)
['bad', 'branch', 'city', 'debt_ratio', 'income', 'months_employed', 'segment']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TRAP_COLUMNS = ("city", "branch")
TARGET = "bad"
_SEGMENT_EFFECT = {"A": -0.8, "B": -0.3, "C": 0.0, "D": 0.4, "E": 0.9}


def trap_table(rows: int, *, seed: int = 0, cities: int | None = None) -> pd.DataFrame:
    """The table: signal columns, the two trap columns and the bad flag (1 = bad).

    Parameters
    ----------
    rows : int
    seed : int
    cities : int or None
        Levels of ``city``; by default a fifth of the rows, so most levels have a handful.

    Returns
    -------
    pandas.DataFrame
    """
    rng = np.random.default_rng(seed)
    income = rng.lognormal(8.5, 0.5, rows)
    debt_ratio = rng.beta(2, 5, rows)
    months = rng.integers(0, 240, rows).astype(np.float64)
    segment = rng.choice(list(_SEGMENT_EFFECT), size=rows, p=[0.15, 0.25, 0.3, 0.2, 0.1])
    logit = (
        -1.6
        - 0.9 * (np.log(income) - 8.5)
        + 3.0 * (debt_ratio - 0.28)
        - 0.006 * (months - 120)
        + np.vectorize(_SEGMENT_EFFECT.get)(segment)
    )
    bad = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    n_cities = cities or max(rows // 5, 1)
    city = np.char.add("c", rng.integers(0, n_cities, rows).astype(str))
    branch = np.char.add("b", rng.integers(0, max(rows // 60, 2), rows).astype(str))
    income[rng.random(rows) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "income": income.round(0),
            "debt_ratio": debt_ratio.round(4),
            "months_employed": months,
            "segment": segment,
            "city": city,
            "branch": branch,
            TARGET: bad,
        }
    )
