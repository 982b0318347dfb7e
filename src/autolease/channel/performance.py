"""Per SP and month: volume and delinquency figures from a performance panel (pure, numpy).

A figure at month t counts, for each SP, the contracts of the latest `lookback` origination
months that have reached the figure's month on book by t (so M3+ by MOB 6 at 2025-06 looks at
cohorts 2024-07 … 2024-12 with lookback 6). Counts are taken once per (SP, cohort) and summed
over the window with cumulative sums, so grading every month of a 1M-contract book costs a
few bincounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from autolease.portfolio.panel import Panel, State

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
SPIKE_BASE = 3


@dataclass(frozen=True)
class Metric:
    """A rate: contracts that had `flag` by MOB `mob`, over contracts that reached MOB `mob`."""

    name: str
    mob: int


METRICS = (
    Metric("fpd", 1),  # missed the first payment: M1+ at MOB 1
    Metric("m1_mob3", 3),
    Metric("m3_mob6", 6),
    Metric("m3_mob12", 12),
    Metric("early_payoff", 6),  # closed good by MOB 6 (before any term the book offers)
)


@dataclass(frozen=True)
class Counts:
    """Contracts (volume) and metric hits per SP and origination month: ``[sp, month]``."""

    volume: I64
    hits: dict[str, I64]

    @property
    def months(self) -> int:
        return int(self.volume.shape[1])


def _flags(panel: Panel) -> dict[str, npt.NDArray[np.bool_]]:
    states = panel.states
    late = (states >= State.M1) & (states <= State.M3_PLUS)
    bad = (states == State.M3_PLUS) | (states == State.WRITTEN_OFF)
    ever_late = np.logical_or.accumulate(late | bad, axis=1)
    ever_bad = np.logical_or.accumulate(bad, axis=1)
    out: dict[str, npt.NDArray[np.bool_]] = {}
    for metric in METRICS:
        m = min(metric.mob, panel.max_mob - 1)
        if metric.name == "fpd":
            out["fpd"] = late[:, m]
        elif metric.name.startswith("m1_"):
            out[metric.name] = ever_late[:, m]
        elif metric.name.startswith("m3_"):
            out[metric.name] = ever_bad[:, m]
        else:
            out[metric.name] = states[:, m] == State.CLOSED_GOOD
    return out


def count(panel: Panel, sp: npt.NDArray[np.int32], n_sp: int) -> Counts:
    """Counts per (SP, origination month) of every metric. `sp` is each contract's SP index."""
    months = len(panel.months)
    cell = sp.astype(np.int64) * months + panel.origination.astype(np.int64)
    size = n_sp * months

    def per_cell(weights: npt.NDArray[np.bool_] | None) -> I64:
        counted = np.bincount(cell, weights=weights, minlength=size)
        return counted.astype(np.int64).reshape(n_sp, months)

    volume = per_cell(None)
    flags = _flags(panel)
    return Counts(volume, {k: per_cell(v) for k, v in flags.items()})


@dataclass(frozen=True)
class MonthFigures:
    """Per SP at one month end: volume that month and (hits, exposures) per metric."""

    month: int
    volume: I64
    hits: dict[str, I64]
    exposures: dict[str, I64]
    contracts: I64  # contracts in the window of the shortest metric (size for credibility)
    volume_before: F64 | None = None  # mean monthly volume of the `SPIKE_BASE` months before


def at_month(counts: Counts, month: int, lookback: int = 6) -> MonthFigures:
    """The figures known at the end of origination-month index `month`."""
    volume_csum = np.cumsum(counts.volume, axis=1)
    hits: dict[str, I64] = {}
    exposures: dict[str, I64] = {}
    for metric in METRICS:
        last = month - metric.mob  # the youngest cohort that has reached the MOB
        first = last - lookback + 1
        exposures[metric.name] = _window(volume_csum, first, last)
        hits[metric.name] = _window(np.cumsum(counts.hits[metric.name], axis=1), first, last)
    contracts = _window(volume_csum, month - lookback + 1, month)
    before = None
    if month >= SPIKE_BASE:
        before = _window(volume_csum, month - SPIKE_BASE, month - 1) / SPIKE_BASE
    return MonthFigures(month, counts.volume[:, month], hits, exposures, contracts, before)


def _window(csum: I64, first: int, last: int) -> I64:
    n_sp = csum.shape[0]
    if last < 0:
        return np.zeros(n_sp, dtype=np.int64)
    upper = csum[:, last]
    lower = csum[:, first - 1] if first >= 1 else np.zeros(n_sp, dtype=np.int64)
    window: I64 = upper - lower
    return window
