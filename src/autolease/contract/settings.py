"""Contract settings section (``contract: ContractSettings`` in `autolease.config.Settings`)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class ContractSettings(BaseModel):
    """How long an offer can be accepted, and how arrears are counted.

    ``offer_validity_days``: an offer older than this (from its decision) is refused.
    ``payment_tolerance``: a shortfall up to this amount (CNY) counts as paid.
    ``fpd_days``: the first installment unpaid this many days after it fell due is a first
    payment default.
    ``repossession_min_days_past_due``: a repossession needs the contract at least this many
    days past due on the day, and ``notice_period_days`` since a default notice given in the
    same delinquency (docs/contract.md, "Repossession").
    ``title_release_days``: a paid-off contract's title is released within this many days of
    its last payment; later it is overdue.
    """

    offer_validity_days: int = Field(default=30, ge=1, le=365)
    payment_tolerance: Decimal = Field(default=Decimal("1.00"), ge=0, le=100)
    fpd_days: int = Field(default=30, ge=1, le=180)
    repossession_min_days_past_due: int = Field(default=60, ge=1, le=720)
    notice_period_days: int = Field(default=7, ge=0, le=90)
    title_release_days: int = Field(default=10, ge=1, le=90)
