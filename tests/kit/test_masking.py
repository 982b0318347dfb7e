"""Tests for autolease.kit.masking (JR/T 0171-2020 style display masking)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolease.kit.masking import mask_bank_card, mask_id_number, mask_name, mask_phone

FAST = settings(max_examples=80, deadline=None, database=None)

# (function, characters kept at the head, characters kept at the tail)
MASKERS: list[tuple[Callable[[str], str], int, int]] = [
    (mask_id_number, 3, 4),
    (mask_phone, 3, 4),
    (mask_bank_card, 6, 4),
]
MASKER_IDS = ["id_number", "phone", "bank_card"]


class TestMaskIdNumber:
    def test_docstring_example(self) -> None:
        assert mask_id_number("11010519491231002X") == "110***********002X"

    def test_hides_the_birth_date(self) -> None:
        assert "19491231" not in mask_id_number("11010519491231002X")

    def test_value_of_exactly_head_plus_tail_is_fully_hidden(self) -> None:
        assert mask_id_number("1234567") == "*******"

    def test_value_one_longer_than_head_plus_tail_hides_one_character(self) -> None:
        assert mask_id_number("12345678") == "123*5678"

    def test_empty_value_stays_empty(self) -> None:
        assert mask_id_number("") == ""


class TestMaskPhone:
    def test_docstring_example(self) -> None:
        assert mask_phone("13812345678") == "138****5678"

    def test_short_value_is_fully_hidden(self) -> None:
        assert mask_phone("1381") == "****"

    def test_value_one_longer_than_head_plus_tail_hides_one_character(self) -> None:
        assert mask_phone("13812345") == "138*2345"


class TestMaskBankCard:
    def test_docstring_example(self) -> None:
        assert mask_bank_card("6222021234567890123") == "622202*********0123"

    def test_sixteen_digit_card(self) -> None:
        assert mask_bank_card("4111111111111111") == "411111******1111"

    def test_short_value_is_fully_hidden(self) -> None:
        assert mask_bank_card("6222021234") == "**********"

    def test_value_one_longer_than_head_plus_tail_hides_one_character(self) -> None:
        assert mask_bank_card("62220212345") == "622202*2345"


class TestMaskName:
    def test_docstring_example(self) -> None:
        assert mask_name("张三丰") == "张**"

    def test_single_character_name_is_fully_hidden(self) -> None:
        assert mask_name("张") == "*"

    def test_two_character_name_keeps_the_surname(self) -> None:
        assert mask_name("张三") == "张*"

    def test_four_character_name_keeps_only_the_first_character(self) -> None:
        assert mask_name("欧阳娜娜") == "欧***"

    def test_empty_name_becomes_one_star(self) -> None:
        assert mask_name("") == "*"

    @FAST
    @given(name=st.text(min_size=2, max_size=12))
    def test_keeps_length_and_first_character(self, name: str) -> None:
        masked = mask_name(name)
        assert len(masked) == len(name)
        assert masked == name[0] + "*" * (len(name) - 1)


class TestMaskProperties:
    @FAST
    @pytest.mark.parametrize(("mask", "head", "tail"), MASKERS, ids=MASKER_IDS)
    @given(value=st.text(alphabet="0123456789X", min_size=0, max_size=30))
    def test_keeps_length(
        self, mask: Callable[[str], str], head: int, tail: int, value: str
    ) -> None:
        assert len(mask(value)) == len(value)

    @FAST
    @pytest.mark.parametrize(("mask", "head", "tail"), MASKERS, ids=MASKER_IDS)
    @given(value=st.text(alphabet="0123456789X", min_size=12, max_size=30))
    def test_long_value_keeps_head_and_tail_and_hides_the_middle(
        self, mask: Callable[[str], str], head: int, tail: int, value: str
    ) -> None:
        masked = mask(value)
        assert masked[:head] == value[:head]
        assert masked[-tail:] == value[-tail:]
        assert masked[head:-tail] == "*" * (len(value) - head - tail)

    @FAST
    @pytest.mark.parametrize(("mask", "head", "tail"), MASKERS, ids=MASKER_IDS)
    @given(data=st.data())
    def test_value_no_longer_than_head_plus_tail_is_all_stars(
        self, mask: Callable[[str], str], head: int, tail: int, data: st.DataObject
    ) -> None:
        value = data.draw(st.text(alphabet="0123456789", max_size=head + tail))
        assert mask(value) == "*" * len(value)
