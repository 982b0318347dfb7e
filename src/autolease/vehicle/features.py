"""What a valuation takes and returns, and the features derived from it (pure).

A ``Valuer`` turns a ``ValuationInput`` (what is known about a car at application time) into a
``Valuation`` with P10 ≤ P50 ≤ P90 of the fair price. The LightGBM implementation is in
``valuation.py``; the stage and the service depend only on this protocol.

Brand-level features that transfer to brands the model has never seen come from the WMI
table's brand list: ``brand_tier`` (0 budget … 3 luxury) and ``brand_origin``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from autolease.vehicle.wmi import brand, brand_key

CATEGORICAL = (
    "brand",
    "model",
    "fuel",
    "transmission",
    "body",
    "region",
    "seller_type",
    "brand_origin",
)
NUMERIC = (
    "age_years",
    "mileage_km",
    "engine_l",
    "power",
    "condition",
    "transfers",
    "accident_grade",
    "damage",
    "brand_tier",
)
MONOTONE_DECREASING = ("age_years", "mileage_km", "accident_grade", "damage")
"""A car never gains value by getting older, driving further or having worse damage."""

_FUEL = {
    "petrol": "petrol",
    "gasoline": "petrol",
    "gas": "petrol",
    "汽油": "petrol",
    "diesel": "diesel",
    "柴油": "diesel",
    "hybrid": "hev",
    "hev": "hev",
    "油电混合": "hev",
    "phev": "phev",
    "插电混动": "phev",
    "erev": "erev",
    "增程": "erev",
    "electric": "bev",
    "bev": "bev",
    "ev": "bev",
    "纯电动": "bev",
    "fcev": "fcev",
    "lpg": "lpg",
    "cng": "cng",
}


class ValuationError(RuntimeError):
    """The valuer could not value this car (a model problem, never a business finding)."""


@dataclass(frozen=True)
class ValuationInput:
    """What is known about a car; ``None`` is unknown (the model handles missing values)."""

    brand: str | None
    model: str | None
    age_years: float
    mileage_km: float
    fuel: str | None = None
    transmission: str | None = None
    engine_l: float | None = None
    power: float | None = None
    body: str | None = None
    region: str | None = None
    seller_type: str | None = None
    condition: float | None = None
    transfers: float | None = None
    accident_grade: float | None = None
    damage: float | None = None
    extras: Mapping[str, float] = field(default_factory=dict)

    def at_future(self, years: float, km: float) -> ValuationInput:
        """The same car ``years`` older with ``km`` more on the odometer."""
        return replace(self, age_years=self.age_years + years, mileage_km=self.mileage_km + km)


@dataclass(frozen=True)
class Valuation:
    p10: float
    p50: float
    p90: float
    model_ref: str

    def __post_init__(self) -> None:
        if not self.p10 <= self.p50 <= self.p90:
            raise ValueError("a valuation must have P10 <= P50 <= P90")

    def basis(self, name: str) -> float:
        if name not in _BASES:
            raise KeyError(name)
        value: float = getattr(self, name)
        return value


_BASES = frozenset({"p10", "p50", "p90"})


class Valuer(Protocol):
    @property
    def ref(self) -> str:
        """``name@version`` of the model, for the decision's model versions."""
        ...

    @property
    def max_age_years(self) -> float:
        """The oldest age seen in training: beyond it the model is extrapolating."""
        ...

    def value(self, item: ValuationInput) -> Valuation: ...

    def value_many(self, items: Sequence[ValuationInput]) -> list[Valuation]: ...


def round_to(x: float, ndigits: int) -> float:
    """``round(x, ndigits)`` for ``ndigits`` 0-4: the same float, in half the time.

    ``round`` gives the double nearest to k / 10**n, k the integer nearest to the exact
    x·10**n (ties to even). Here y = x·10**n is off the exact product by under 2**-13 while
    |y| < 1e12, so when y is further than 0.4998 from a half-integer, ``round(y)`` is that
    k, and ``k / 10**n`` (k and 10**n exact doubles) is the same correctly rounded double.
    Near a tie, at zero (whose sign ``round`` keeps), for large or non-finite x it is
    ``round`` itself, as it is for anything but a ``float``. The vehicle stage rounds a dozen
    features per application.
    """
    if type(x) is float:  # an int or a numpy float keeps round's own result type
        scale = _SCALES[ndigits]
        y = x * scale
        if -1e12 < y < 1e12:
            k = round(y)
            if k and -0.4998 < y - k < 0.4998:
                return k / scale
    return round(x, ndigits)


_SCALES = (1.0, 10.0, 100.0, 1000.0, 10000.0)


def normalise_fuel(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip().lower()
    return _FUEL.get(text, text or None)


_REGION_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


def normalise_region(value: object) -> str | None:
    """Province names with or without their suffix agree: "北京市" and "北京" → "北京"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip().lower()
    for suffix in _REGION_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text or None


def category(value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    return text or None


def brand_features(declared: str | None) -> tuple[str | None, str | None, float | None]:
    """(normalised brand, origin, tier rank) for a declared brand in any language."""
    key = brand_key(declared)
    if key is None:
        return category(declared), None, None
    b = brand(key)
    assert b is not None
    return key, b.origin, b.tier_rank
