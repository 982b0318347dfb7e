"""Residual value at the end of a term, and LTV on the policy basis."""

from __future__ import annotations

import math
import random
import struct
from decimal import Decimal

import pytest

from autolease.vehicle.features import Valuation, ValuationInput, round_to
from autolease.vehicle.ltv import compute_ltv
from autolease.vehicle.residual import (
    curve_factor,
    km_per_year,
    residual_value,
    value_with_residual,
)
from autolease.vehicle.valuation import LgbmValuer

CAR = ValuationInput(brand="大众", model="朗逸", age_years=2.0, mileage_km=24_000, fuel="petrol")


class TestCurve:
    def test_domain_rule_of_thumb(self) -> None:
        assert curve_factor(0, 3) == pytest.approx(0.85**3)
        assert curve_factor(3, 7) == pytest.approx(0.90**4)
        assert curve_factor(7, 9) == pytest.approx(0.95**2)
        assert curve_factor(2.5, 3.5) == pytest.approx(0.85**0.5 * 0.90**0.5)
        assert curve_factor(5, 5) == 1.0

    @pytest.mark.parametrize(
        ("km", "age", "expected"),
        [(24_000, 2.0, 12_000), (1_000, 3.0, 5_000), (200_000, 2.0, 40_000), (5_000, 0.5, 15_000)],
    )
    def test_pace_is_the_cars_own_within_bounds(self, km: int, age: float, expected: float) -> None:
        assert km_per_year(km, age) == expected


class TestResidual:
    @pytest.mark.parametrize("term", [12, 24, 36, 48])
    def test_residual_is_below_today_and_ordered(self, valuer: LgbmValuer, term: int) -> None:
        today = valuer.value(CAR)
        r = residual_value(valuer, CAR, term, today=today)
        assert r.p10 < r.p50 < r.p90
        assert r.p50 <= today.p50
        assert r.rate == pytest.approx(r.p50 / today.p50)
        assert r.age_years_at_end == pytest.approx(2 + term / 12)
        assert r.mileage_km_at_end == pytest.approx(24_000 + 12_000 * term / 12)

    def test_longer_terms_are_worth_less_with_wider_bands(self, valuer: LgbmValuer) -> None:
        short, long = (residual_value(valuer, CAR, t) for t in (12, 48))
        assert long.p50 < short.p50
        assert long.p90 / long.p10 > short.p90 / short.p10

    def test_beyond_the_oldest_training_age_the_curve_takes_over(self, valuer: LgbmValuer) -> None:
        old = ValuationInput("大众", "朗逸", valuer.max_age_years - 0.5, 150_000, fuel="petrol")
        r = residual_value(valuer, old, 36)
        assert r.extrapolated_years == pytest.approx(2.5)
        at_edge = valuer.value(old.at_future(0.5, 18_000)).p50
        assert r.p50 < at_edge

    @pytest.mark.parametrize("age", [2.0, 14.5])
    def test_one_call_gives_what_two_calls_give(self, valuer: LgbmValuer, age: float) -> None:
        car = ValuationInput("大众", "朗逸", min(age, valuer.max_age_years - 0.5), 24_000, "petrol")
        calls: list[int] = []
        original = valuer.value_many

        def counted(items: list[ValuationInput]) -> list[Valuation]:
            calls.append(len(items))
            return original(items)

        valuer.value_many = counted  # type: ignore[method-assign]
        try:
            today, residual = value_with_residual(valuer, car, 36)
        finally:
            del valuer.value_many
        assert calls == [2]
        assert today == valuer.value(car)
        assert residual == residual_value(valuer, car, 36, today=valuer.value(car))

    def test_term_must_be_positive(self, valuer: LgbmValuer) -> None:
        with pytest.raises(ValueError, match="positive"):
            residual_value(valuer, CAR, 0)


class TestLtv:
    VALUE = Valuation(80_000.0, 90_000.0, 100_000.0, "valuation@1")

    def test_on_p10(self) -> None:
        ltv = compute_ltv(Decimal("72000"), self.VALUE, Decimal("95000"), "p10")
        assert (ltv.ratio, ltv.basis, ltv.basis_value) == (0.9, "p10", Decimal("80000.00"))
        assert ltv.on_valuation

    def test_on_p50(self) -> None:
        ltv = compute_ltv(Decimal("72000"), self.VALUE, Decimal("95000"), "p50")
        assert (ltv.ratio, ltv.basis) == (0.8, "p50")

    def test_without_valuation_falls_back_to_asking_price_marked_as_such(self) -> None:
        ltv = compute_ltv(Decimal("72000"), None, Decimal("96000"), "p10")
        assert (ltv.ratio, ltv.basis, ltv.on_valuation) == (0.75, "asking_price", False)


def _same_float(a: float, b: float) -> bool:
    """Equal, of one type, and with one sign (``round`` keeps the sign of a zero)."""
    equal = a == b or (a != a and b != b)
    return type(a) is type(b) and equal and math.copysign(1, a) == math.copysign(1, b)


def test_round_to_is_round() -> None:
    rng = random.Random(7)
    values = [0.0, -0.0, 0.005, 0.015, 1.005, 2.675, -2.675, 1e12, -1e13, 5e-5, 1e-300]
    values += [math.inf, -math.inf, math.nan, 3, 12]
    values += [rng.uniform(-1e6, 1e6) for _ in range(20_000)]
    values += [rng.random() * 10 ** rng.randint(-6, 11) for _ in range(20_000)]
    # decimal ties: where a fast path that is not exact would go wrong
    values += [
        (rng.randint(-(10**7), 10**7) + 0.5) / 10 ** rng.randint(0, 4) for _ in range(20_000)
    ]
    values += [struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0] for _ in range(5_000)]
    for value in values:
        for ndigits in range(5):
            assert _same_float(round_to(value, ndigits), round(value, ndigits)), (value, ndigits)
