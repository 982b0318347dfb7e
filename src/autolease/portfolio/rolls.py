"""Roll-rate and flow-rate matrices between delinquency states, month to month (pure).

The roll-rate matrix counts contracts moving from each state at one month-end to each state at
the next (both months observed), and gives each row as shares. Flow rates are the chain
current → M1 → M2 → M3+ → written off: the share of a state that rolls one step worse the next
month, the figures collections watch most.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import numpy.typing as npt
import pandas as pd

from autolease.portfolio.panel import STATE_LABELS, Panel, State

K = len(STATE_LABELS)
FLOW_CHAIN = (State.CURRENT, State.M1, State.M2, State.M3_PLUS, State.WRITTEN_OFF)


def transition_counts(panel: Panel) -> npt.NDArray[np.int64]:
    """``[a, b]``: month-to-month moves from state a to state b over the whole panel."""
    counts = np.zeros(K * K, dtype=np.int64)
    states = panel.states
    for mob in range(panel.max_mob - 1):
        a, b = states[:, mob], states[:, mob + 1]
        both = (a >= 0) & (b >= 0)
        if not both.any():
            break
        counts += np.bincount(a[both].astype(np.int64) * K + b[both], minlength=K * K)
    return counts.reshape(K, K)


def roll_rates(panel: Panel) -> pd.DataFrame:
    """Row-normalised transition shares, labelled by state."""
    counts = transition_counts(panel).astype(np.float64)
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    return pd.DataFrame(shares, index=list(STATE_LABELS), columns=list(STATE_LABELS))


def flow_rates(panel: Panel) -> dict[str, float]:
    """Share of each state of the chain that is one step worse a month later."""
    counts = transition_counts(panel)
    out = {}
    for worse_from, worse_to in pairwise(FLOW_CHAIN):
        total = int(counts[worse_from].sum())
        out[f"{STATE_LABELS[worse_from]}→{STATE_LABELS[worse_to]}"] = (
            float(counts[worse_from, worse_to] / total) if total else 0.0
        )
    return out
