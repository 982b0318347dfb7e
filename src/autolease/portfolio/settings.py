"""Portfolio monitoring thresholds (``portfolio: PortfolioSettings`` in the settings)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PortfolioSettings(BaseModel):
    """When a figure becomes an alert.

    ``vintage_ratio``: a cohort's cumulative bad rate at a month on book is at least this
    multiple of the earlier cohorts' rate at the same month (same segment), with at least
    ``vintage_min_contracts`` contracts, ``vintage_min_bad`` bad ones, and a difference of
    ``vintage_z`` standard errors.
    ``vintage_mobs``: the months on book compared. ``psi_alert``: a score's or feature's
    PSI against the development sample. ``approval_change_pp`` and ``reason_change_pp``:
    a month's approval rate or reason-code share moved by this many points.
    """

    vintage_ratio: float = Field(default=1.5, gt=1)
    vintage_min_contracts: int = Field(default=200, ge=10)
    vintage_z: float = Field(default=3.0, gt=0)
    vintage_min_bad: int = Field(default=10, ge=1)
    vintage_mobs: tuple[int, ...] = (3, 6, 9, 12)
    psi_alert: float = Field(default=0.25, gt=0)
    approval_change_pp: float = Field(default=10.0, gt=0)
    reason_change_pp: float = Field(default=10.0, gt=0)
