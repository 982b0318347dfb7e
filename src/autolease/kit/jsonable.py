"""Make stage output safe for a JSON column (pure).

Stages may put dates, Decimals, numpy scalars, tuples or sets into ``ctx.features``; the
decision row stores them as JSON. Converting here keeps one odd value from failing the whole
intake with a 500.

>>> from datetime import date
>>> from decimal import Decimal
>>> jsonable({"d": date(2026, 1, 2), "m": Decimal("1.50"), "s": {2, 1}, "n": float("nan")})
{'d': '2026-01-02', 'm': '1.50', 's': [1, 2], 'n': None}
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def jsonable(value: Any) -> Any:
    """`value` with every part converted to a JSON type (str, number, bool, None, list, dict)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=repr)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    item = getattr(value, "item", None)
    if callable(item):
        return jsonable(item())
    return str(value)
