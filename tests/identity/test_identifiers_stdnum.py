"""Differential tests of the identifier checks against python-stdnum on generated numbers.

The check characters come from stdnum, so the two must agree on every number except where the
project's region check knows a code that stdnum refuses: stdnum ties a county code to the years
it was in use and rejects current codes such as 310115 (Pudong) for most birth years.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from stdnum import luhn
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent, ValidationError

from autolease.identity.identifiers import (
    IdentifierError,
    current_region_codes,
    validate_bank_card,
    validate_resident_id,
    validate_uscc,
)
from autolease.identity.identifiers.regions import region_name

N = 4_000


def _resident_ids(rng: random.Random) -> list[str]:
    regions = current_region_codes()
    numbers = []
    for _ in range(N):
        region = rng.choice(regions) if rng.random() < 0.8 else f"{rng.randrange(10**6):06d}"
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(365 * 75))
        body = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
        check = (
            ric.calc_check_digit(body + "0") if rng.random() < 0.7 else rng.choice("0123456789X")
        )
        numbers.append(body + check)
    return numbers


def _ours_accepts(number: str) -> bool:
    try:
        validate_resident_id(number)
    except IdentifierError:
        return False
    return True


def _stdnum_verdict(number: str) -> str:
    try:
        ric.validate(number)
    except (InvalidComponent, KeyError):  # stdnum 2.2 raises KeyError for a code with no county
        return "component"
    except ValidationError:
        return "invalid"
    return "valid"


def test_resident_id_disagrees_with_stdnum_only_on_regions_we_know() -> None:
    rng = random.Random(20261207)
    outcomes = {"agree": 0, "region": 0}
    for number in _resident_ids(rng):
        ours, theirs = _ours_accepts(number), _stdnum_verdict(number)
        if ours == (theirs == "valid"):
            outcomes["agree"] += 1
            continue
        assert ours, f"stdnum accepts a number we refuse: region {number[:6]}"
        assert theirs == "component", "a disagreement other than the region"
        assert region_name(number[:6]) is not None
        outcomes["region"] += 1
    # Both kinds of outcome occur, so the test exercises the difference it describes.
    assert outcomes["agree"] > N // 2
    assert outcomes["region"] > 0


def test_pudong_is_a_current_region_that_stdnum_refuses() -> None:
    number = "31011519900307" + "123"
    number += ric.calc_check_digit(number + "0")
    assert validate_resident_id(number).region_name.endswith("浦东新区")
    assert _stdnum_verdict(number) == "component"


def test_uscc_agrees_with_stdnum_where_it_reads_the_standard_alike() -> None:
    rng = random.Random(11)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(N):
        body = (
            rng.choice("9Y")
            + rng.choice("123")
            + f"{rng.randrange(10**6):06d}"
            + "".join(rng.choice(alphabet) for _ in range(9))
        )
        code = body + (uscc.calc_check_digit(body) if rng.random() < 0.7 else rng.choice(alphabet))
        try:
            validate_uscc(code)
            ours = True
        except IdentifierError:
            ours = False
        if code[:2].isdigit():
            assert ours == uscc.is_valid(code)
        else:  # GB 32100 lets positions 1-2 be letters (e.g. Y); stdnum wants digits there
            assert ours == (uscc.calc_check_digit(body) == code[17])


@pytest.mark.parametrize("length", [13, 16, 19])
def test_bank_card_agrees_with_stdnum_luhn(length: int) -> None:
    rng = random.Random(length)
    for _ in range(N // 4):
        card = "".join(rng.choice("0123456789") for _ in range(length))
        try:
            validate_bank_card(card)
            ours = True
        except IdentifierError:
            ours = False
        assert ours == luhn.is_valid(card)
