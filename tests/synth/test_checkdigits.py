"""Vectorised check digits agree with python-stdnum (resident ID, USCC, Luhn) and with the
scalar VIN check of identity.identifiers (stdnum has no VIN)."""

from __future__ import annotations

import numpy as np
import pytest
from stdnum import luhn
from stdnum.cn import ric, uscc

from autolease.identity.identifiers import validate_bank_card, vin_check_digit
from autolease.synth import checkdigits as cd

RNG = np.random.default_rng(7)


def _strings(matrix: np.ndarray) -> list[str]:
    return [bytes(row).decode() for row in matrix]


def test_resident_id_check_chars_match_stdnum() -> None:
    body = (RNG.integers(0, 10, (500, 17)) + 48).astype(np.uint8)
    checks = cd.resident_id_check_chars(body)
    for text, check in zip(_strings(body), checks, strict=True):
        assert chr(check) == ric.calc_check_digit(text + "0")


def test_uscc_check_chars_match_stdnum() -> None:
    body = cd.chars_from_codes(RNG.integers(0, 31, (500, 17)), cd.USCC_CHARSET)
    checks = cd.uscc_check_chars(body)
    for text, check in zip(_strings(body), checks, strict=True):
        assert chr(check) == uscc.calc_check_digit(text)


def test_vin_check_digits_match_scalar() -> None:
    body = cd.chars_from_codes(RNG.integers(0, 33, (500, 17)), cd.VIN_CHARSET)
    checks = cd.vin_check_digits(body)
    for text, check in zip(_strings(body), checks, strict=True):
        assert chr(check) == vin_check_digit(text)


@pytest.mark.parametrize("length", [12, 15, 17, 18])
def test_luhn_check_digits_match_stdnum(length: int) -> None:
    body = (RNG.integers(0, 10, (300, length)) + 48).astype(np.uint8)
    checks = cd.luhn_check_digits(body)
    for text, check in zip(_strings(body), checks, strict=True):
        assert chr(check) == luhn.calc_check_digit(text)
        validate_bank_card(text + chr(check))


@pytest.mark.parametrize(("width", "salt"), [(6, 1), (8, 2**40), (12, 2**61 + 5)])
def test_shuffle_decimal_is_a_bijection(width: int, salt: int) -> None:
    values = cd.shuffle_decimal(np.arange(200_000, dtype=np.int64), width, salt)
    assert len(np.unique(values)) == len(values)
    assert values.min() >= 0
    assert values.max() < 10**width


def test_full_space_bijection() -> None:
    values = cd.shuffle_decimal(np.arange(10**5, dtype=np.int64), 5, 99)
    assert np.array_equal(np.sort(values), np.arange(10**5))


def test_scramble_rejects_bad_multiplier() -> None:
    with pytest.raises(ValueError, match="coprime"):
        cd.scramble(np.arange(3, dtype=np.int64), 10, 5, 0)
