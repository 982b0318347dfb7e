"""Configuration of the synthetic lease book (frozen, hashable, JSON-serialisable)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from autolease.synth.calibration import APPS_PER_SP

FRAUD_TYPES: tuple[str, ...] = (
    "gang_ring",
    "identity_theft",
    "straw_buyer",
    "inflated_price",
    "double_financing",
    "odometer_rollback",
    "bad_sp",
)
"""Fraud types; the code of a type in the tables is its index here plus one (0 = none)."""


@dataclass(frozen=True)
class FraudMix:
    """Relative weights of the fraud types (normalised when used)."""

    gang_ring: float = 0.30
    identity_theft: float = 0.15
    straw_buyer: float = 0.15
    inflated_price: float = 0.14
    double_financing: float = 0.10
    odometer_rollback: float = 0.08
    bad_sp: float = 0.08

    def shares(self) -> dict[str, float]:
        """Normalised shares keyed by fraud type.

        Returns
        -------
        dict of str to float
            Shares summing to one.
        """
        weights = {name: float(getattr(self, name)) for name in FRAUD_TYPES}
        total = sum(weights.values())
        if total <= 0 or any(w < 0 for w in weights.values()):
            raise ValueError("fraud mix weights must be non-negative and not all zero")
        return {name: w / total for name, w in weights.items()}


@dataclass(frozen=True)
class SynthConfig:
    """Everything that determines a synthetic book; same config gives identical bytes.

    Parameters
    ----------
    n_applications : int
        Number of applications.
    seed : int
        Root seed of ``numpy.random.SeedSequence``.
    start : date
        First day of the application window.
    months : int
        Length of the application window in months.
    performance_months : int
        Months of payment history after the window; the observation date of the
        payment tables is ``start + months + performance_months``.
    fraud_rate : float
        Share of applications that are fraudulent.
    fraud_mix : FraudMix
        Mix of fraud types.
    corporate_share : float
        Share of corporate lessees.
    reapply_rate : float
        Share of legitimate re-applications (same applicant and car, days later).
    n_sps : int or None
        Number of SPs; default about one per 800 applications, at least 12.
    chunk_size : int
        Applications generated per chunk (bounded memory). Part of the output identity.
    row_group_size : int
        Parquet row-group size (rows).
    """

    n_applications: int = 10_000
    seed: int = 0
    start: date = date(2024, 1, 1)
    months: int = 12
    performance_months: int = 12
    fraud_rate: float = 0.015
    fraud_mix: FraudMix = field(default_factory=FraudMix)
    corporate_share: float = 0.08
    reapply_rate: float = 0.02
    n_sps: int | None = None
    chunk_size: int = 125_000
    row_group_size: int = 262_144

    def __post_init__(self) -> None:
        if self.n_applications < 1:
            raise ValueError("n_applications must be at least 1")
        if not 0 <= self.fraud_rate <= 0.5:
            raise ValueError("fraud_rate must be in [0, 0.5]")
        if not 0 <= self.corporate_share <= 1 or not 0 <= self.reapply_rate <= 0.2:
            raise ValueError("corporate_share must be in [0, 1] and reapply_rate in [0, 0.2]")
        if self.months < 1 or self.performance_months < 0:
            raise ValueError("months must be >= 1 and performance_months >= 0")
        if self.chunk_size < 1_000 or self.row_group_size < 1_000:
            raise ValueError("chunk_size and row_group_size must be at least 1000")
        if self.n_applications > 10_000_000:
            raise ValueError("at most 10,000,000 applications (identifier spaces)")
        self.fraud_mix.shares()

    @property
    def sp_count(self) -> int:
        """Number of SPs actually used."""
        if self.n_sps is not None:
            return max(4, self.n_sps)
        return max(12, round(self.n_applications / APPS_PER_SP))

    @property
    def n_chunks(self) -> int:
        """Number of generation chunks."""
        return math.ceil(self.n_applications / self.chunk_size)

    def end(self) -> date:
        """First day after the application window."""
        return _add_months(self.start, self.months)

    def observation_date(self) -> date:
        """As-of date of contracts, payments and statuses."""
        return _add_months(self.start, self.months + self.performance_months)

    def to_json(self) -> dict[str, Any]:
        """A JSON-friendly dict (dates as ISO strings).

        Returns
        -------
        dict
            The configuration.
        """
        data = asdict(self)
        data["start"] = self.start.isoformat()
        return data


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, min(day.day, 28))
