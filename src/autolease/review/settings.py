"""Settings of the review (a section of `autolease.config.Settings`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field


class ReviewSettings(BaseModel):
    """The queue's SLA and when a verdict needs a second reviewer (four-eyes).

    Environment: ``AUTOLEASE_REVIEW__SLA_HOURS``, ``AUTOLEASE_REVIEW__FOUR_EYES_AMOUNT``,
    ``AUTOLEASE_REVIEW__FOUR_EYES_REASONS`` (a JSON list).
    """

    sla_hours: float = Field(default=24.0, gt=0)
    """A referred application should have its verdict within this many hours."""
    four_eyes_amount: Decimal = Field(default=Decimal("300000"), ge=0)
    """A verdict on a financed amount above this needs a second, different reviewer."""
    four_eyes_reasons: tuple[str, ...] = ("policy_exception", "fraud_suspected")
    """Review reason codes whose verdicts always need a second reviewer."""
    page_size: int = Field(default=50, ge=1, le=200)


def review_settings(settings: Any) -> ReviewSettings:
    """The ``review`` section of application settings, or defaults."""
    section = getattr(settings, "review", None)
    return section if isinstance(section, ReviewSettings) else ReviewSettings()
