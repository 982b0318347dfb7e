"""Money: `Decimal` in the domain, integer fen in the database. Rounding lives here only.

>>> to_fen(Decimal("3133.645"))
313365
>>> from_fen(313365)
Decimal('3133.65')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CURRENCY = "CNY"
CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal) -> int:
    return int(round_money(amount) * 100)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)
