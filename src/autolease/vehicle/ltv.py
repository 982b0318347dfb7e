"""Loan-to-value on a conservative value (pure).

The policy chooses the basis: ``p10`` (conservative: the price nine cars in ten beat) or
``p50`` (the median fair price). With no valuation, LTV falls back to the asking price and
says so in ``basis`` (``asking_price``), so nobody mistakes it for a valued LTV.

>>> from decimal import Decimal
>>> compute_ltv(Decimal("80000"), None, Decimal("100000"), "p10")
Ltv(ratio=0.8, basis='asking_price', basis_value=Decimal('100000.00'))
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from autolease.kit.money import round_money
from autolease.vehicle.features import Valuation

LtvBasis = Literal["p10", "p50"]
RATIO_STEP = Decimal("0.0001")  # LTV-like ratios are kept to four places


@dataclass(frozen=True)
class Ltv:
    ratio: float
    basis: str
    basis_value: Decimal

    @property
    def on_valuation(self) -> bool:
        return self.basis != "asking_price"


def compute_ltv(
    amount: Decimal, valuation: Valuation | None, asking_price: Decimal, basis: LtvBasis
) -> Ltv:
    if valuation is not None:
        value = round_money(Decimal(str(valuation.basis(basis))))
        name: str = basis
    else:
        value, name = round_money(asking_price), "asking_price"
    ratio = float((amount / value).quantize(RATIO_STEP)) if value > 0 else float("inf")
    return Ltv(ratio, name, value)
