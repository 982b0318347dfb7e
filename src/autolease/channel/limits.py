"""Per-SP intake limits (pure): which limits an application breaks.

A breach of the monthly volume or of the amount per contract refers (a channel manager may
let it through); a product the SP may not sell declines. The month is the calendar month in
China's time zone; the application being decided is counted in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Limits:
    monthly_volume: int | None = None
    max_amount: Decimal | None = None
    products: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Usage:
    applications_this_month: int  # before this one


def breaches(limits: Limits, usage: Usage, *, amount: Decimal, product: str) -> Sequence[str]:
    """Reason codes (see `channel.reasons`) for every limit the application breaks."""
    codes: list[str] = []
    if limits.monthly_volume is not None and usage.applications_this_month >= limits.monthly_volume:
        codes.append("SP_LIMIT_MONTHLY_VOLUME")
    if limits.max_amount is not None and amount > limits.max_amount:
        codes.append("SP_LIMIT_AMOUNT")
    if limits.products is not None and product not in limits.products:
        codes.append("SP_LIMIT_PRODUCT")
    return codes
