"""Resident identity numbers (GB 11643-1999): region, birth date, gender, check character."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from stdnum.cn import ric

from autolease.identity.identifiers.common import (
    IdentifierError,
    compact,
    is_ascii_digits,
    require_length,
)
from autolease.identity.identifiers.regions import region_name

Gender = Literal["M", "F"]
_RID_LAST_CHARS = "0123456789X"
_EARLIEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class ResidentId:
    """A validated 18-character resident identity number (GB 11643-1999)."""

    number: str
    region_code: str
    region_name: str
    birth_date: date
    gender: Gender

    def age_on(self, on: date) -> int:
        """Completed years of age on ``on``.

        Parameters
        ----------
        on : date
            The reference date; must not be before the birth date.

        Returns
        -------
        int
            Whole years completed. A 29 February birthday completes a year
            on 1 March in non-leap years.
        """
        if on < self.birth_date:
            raise ValueError("reference date is before the birth date")
        before_birthday = (on.month, on.day) < (self.birth_date.month, self.birth_date.day)
        return on.year - self.birth_date.year - int(before_birthday)


def resident_id_check_char(first17: str) -> str:
    """Compute the ISO 7064 MOD 11-2 check character of a resident ID.

    Parameters
    ----------
    first17 : str
        The first 17 digits.

    Returns
    -------
    str
        One of ``0``-``9`` or ``X``.

    Examples
    --------
    >>> resident_id_check_char("37010119010203997")
    '3'
    """
    require_length(first17, 17, "the ID number body", "身份证号码本体")
    if not is_ascii_digits(first17):
        raise IdentifierError(
            "charset", "the ID number body must be digits", "身份证号码本体应为数字"
        )
    return _rid_check_char(first17)


def _rid_check_char(first17: str) -> str:
    """`resident_id_check_char` of 17 ASCII digits (checked by the caller)."""
    # stdnum's ISO 7064 MOD 11-2 takes the whole number and ignores its last character.
    return str(ric.calc_check_digit(first17 + "0"))


def _check_resident_id_shape(number: str) -> None:
    if len(number) == 15 and is_ascii_digits(number):
        raise IdentifierError(
            "legacy_format",
            "legacy 15-digit ID numbers (GB 11643-1989) are not accepted; use the 18-character one",
            "不接受15位旧版身份证号码，请使用18位身份证号码",
        )
    require_length(number, 18, "the ID number", "身份证号码")
    if not is_ascii_digits(number[:17]) or number[17] not in _RID_LAST_CHARS:
        raise IdentifierError(
            "charset",
            "the ID number must be 17 digits followed by a digit or X",
            "身份证号码应为17位数字加1位数字或X",
        )


def _birth_date_error(reason_en: str, reason_zh: str) -> IdentifierError:
    return IdentifierError("birth_date", f"the birth date {reason_en}", f"出生日期{reason_zh}")


def _parse_birth_date(text: str, today: date | None) -> date:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise _birth_date_error("is not a real calendar date", "不是有效日期") from None
    if born.year < _EARLIEST_BIRTH_YEAR:
        raise _birth_date_error("is before 1900", "早于1900年")
    if today is not None and born > today:
        raise _birth_date_error("is in the future", "晚于当前日期")
    return born


def validate_resident_id(value: str, *, today: date | None = None) -> ResidentId:
    """Validate an 18-character resident identity number.

    Parameters
    ----------
    value : str
        The number; whitespace is removed and a lower-case ``x`` accepted.
    today : date, optional
        When given, a birth date after ``today`` is rejected.

    Returns
    -------
    ResidentId
        The normalised number and the facts encoded in it.

    Raises
    ------
    IdentifierError
        With rule ``legacy_format``, ``length``, ``charset``, ``region_code``,
        ``birth_date`` or ``checksum``.

    Examples
    --------
    >>> rid = validate_resident_id("11010519491231002x")
    >>> rid.number, rid.region_name, rid.birth_date.isoformat(), rid.gender
    ('11010519491231002X', '北京市朝阳区', '1949-12-31', 'F')
    """
    number = compact(value)
    _check_resident_id_shape(number)
    region = region_name(number[:6])
    if region is None:
        raise IdentifierError(
            "region_code",
            "the region code (positions 1-6) is not a known administrative division",
            "地址码（第1-6位）不是有效的行政区划代码",
        )
    born = _parse_birth_date(number[6:14], today)
    expected = _rid_check_char(number[:17])  # the shape check found 17 digits
    if number[17] != expected:
        raise IdentifierError(
            "checksum",
            f"check character should be {expected}",
            f"校验码应为{expected}",
        )
    gender: Gender = "M" if int(number[16]) % 2 else "F"
    return ResidentId(number, number[:6], region, born, gender)
