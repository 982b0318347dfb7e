"""Mainland licence plates: ordinary and new-energy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from autolease.identity.identifiers.common import IdentifierError

PlateKind = Literal["ordinary", "nev_small", "nev_large"]
NevPower = Literal["D", "F"]

_PROVINCE_CHARS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_OFFICE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_PLATE_SEPARATORS_RE = re.compile(r"[\s.·•・‧]")
_ORDINARY_SERIAL_RE = re.compile(r"[A-HJ-NP-Z0-9]{5}")
_NEV_SMALL_SERIAL_RE = re.compile(r"([DF])[A-HJ-NP-Z0-9][0-9]{4}")
_NEV_LARGE_SERIAL_RE = re.compile(r"[0-9]{5}([DF])")


@dataclass(frozen=True)
class Plate:
    """A validated mainland licence plate."""

    plate: str
    province: str
    kind: PlateKind
    nev_power: NevPower | None


def _nev_power(char: str) -> NevPower:
    return "D" if char == "D" else "F"


def _plate_kind(serial: str) -> tuple[PlateKind, NevPower | None]:
    if _ORDINARY_SERIAL_RE.fullmatch(serial):
        return "ordinary", None
    if small := _NEV_SMALL_SERIAL_RE.fullmatch(serial):
        return "nev_small", _nev_power(small[1])
    if large := _NEV_LARGE_SERIAL_RE.fullmatch(serial):
        return "nev_large", _nev_power(large[1])
    raise IdentifierError(
        "format",
        "the plate serial matches neither the ordinary nor a new-energy pattern",
        "号牌序号不符合普通号牌或新能源号牌规则",
    )


def validate_plate(value: str) -> Plate:
    """Validate a mainland licence plate (ordinary or new-energy).

    Parameters
    ----------
    value : str
        The plate; spaces and dots (``.``, ``·``) are removed and letters
        upper-cased.

    Returns
    -------
    Plate
        Normalised plate, province character, kind and NEV power type.

    Raises
    ------
    IdentifierError
        With rule ``length``, ``province``, ``office_code`` or ``format``.

    Examples
    --------
    >>> validate_plate("粤b d12345")
    Plate(plate='粤BD12345', province='粤', kind='nev_small', nev_power='D')
    """
    plate = _PLATE_SEPARATORS_RE.sub("", value).upper()
    if len(plate) not in (7, 8):
        raise IdentifierError(
            "length",
            f"a plate must be 7 (ordinary) or 8 (new-energy) characters long, got {len(plate)}",
            f"号牌应为7位（普通）或8位（新能源），实际为{len(plate)}位",
        )
    if plate[0] not in _PROVINCE_CHARS:
        raise IdentifierError(
            "province",
            "the first character is not a mainland province abbreviation",
            "首字符不是有效的省份简称",
        )
    if plate[1] not in _OFFICE_CHARS:
        raise IdentifierError(
            "office_code",
            "the issuing-office code must be a letter A-Z other than I and O",
            "发牌机关代号应为除I、O以外的字母",
        )
    kind, power = _plate_kind(plate[2:])
    return Plate(plate, plate[0], kind, power)
