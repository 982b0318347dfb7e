"""Tests for autolease.kit.money: half-up rounding to the fen and fen conversion."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from autolease.kit.money import CENT, CURRENCY, from_fen, round_money, to_fen

FAST = settings(max_examples=100, deadline=None, database=None)

TWO_DP = st.decimals(
    min_value=Decimal("-1000000000000.00"),
    max_value=Decimal("1000000000000.00"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


class TestConstants:
    def test_currency_is_cny(self) -> None:
        assert CURRENCY == "CNY"

    def test_cent_is_one_hundredth(self) -> None:
        assert Decimal("0.01") == CENT


class TestRoundMoney:
    def test_half_a_fen_rounds_up(self) -> None:
        assert round_money(Decimal("0.005")) == Decimal("0.01")

    def test_just_below_half_a_fen_rounds_down(self) -> None:
        assert round_money(Decimal("0.0049999")) == Decimal("0.00")

    def test_half_rounds_up_even_when_the_fen_is_even(self) -> None:
        # Banker's rounding would give 2.00 here; half-up gives 2.01.
        assert round_money(Decimal("2.005")) == Decimal("2.01")

    def test_negative_half_rounds_away_from_zero(self) -> None:
        assert round_money(Decimal("-0.005")) == Decimal("-0.01")

    def test_result_has_exactly_two_places(self) -> None:
        assert round_money(Decimal("7")).as_tuple().exponent == -2

    def test_docstring_amount(self) -> None:
        assert round_money(Decimal("3133.645")) == Decimal("3133.65")


class TestToFen:
    def test_docstring_example(self) -> None:
        assert to_fen(Decimal("3133.645")) == 313365

    def test_whole_yuan(self) -> None:
        assert to_fen(Decimal("12")) == 1200

    def test_half_a_fen_becomes_one_fen(self) -> None:
        assert to_fen(Decimal("0.005")) == 1

    def test_just_below_half_a_fen_becomes_zero(self) -> None:
        assert to_fen(Decimal("0.004")) == 0

    def test_returns_an_int(self) -> None:
        assert type(to_fen(Decimal("1.23"))) is int

    def test_negative_amount(self) -> None:
        assert to_fen(Decimal("-1.235")) == -124


class TestFromFen:
    def test_docstring_example(self) -> None:
        assert from_fen(313365) == Decimal("3133.65")

    def test_zero(self) -> None:
        assert from_fen(0) == Decimal("0.00")

    def test_single_fen(self) -> None:
        assert from_fen(1) == Decimal("0.01")

    def test_result_has_exactly_two_places(self) -> None:
        assert str(from_fen(120000)) == "1200.00"

    def test_negative_fen(self) -> None:
        assert from_fen(-5) == Decimal("-0.05")


class TestRoundTrip:
    @FAST
    @given(amount=TWO_DP)
    def test_two_place_amount_survives_to_fen_and_back(self, amount: Decimal) -> None:
        assert from_fen(to_fen(amount)) == amount

    @FAST
    @given(fen=st.integers(min_value=-(10**15), max_value=10**15))
    def test_fen_survives_from_fen_and_back(self, fen: int) -> None:
        assert to_fen(from_fen(fen)) == fen

    @FAST
    @given(amount=TWO_DP)
    def test_two_place_amount_is_unchanged_by_rounding(self, amount: Decimal) -> None:
        assert round_money(amount) == amount
