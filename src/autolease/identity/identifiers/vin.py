"""Vehicle identification numbers (ISO 3779 / GB 16735): check digit and model year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from operator import mul as _mul

from autolease.identity.identifiers.common import (
    IdentifierError,
    compact,
    require_charset,
    require_length,
)

_VIN_CHARSET = frozenset("0123456789ABCDEFGHJKLMNPRSTUVWXYZ")
_VIN_LETTER_VALUES = dict(
    zip(
        "ABCDEFGHJKLMNPRSTUVWXYZ",
        (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9),
        strict=True,
    )
)
_VIN_VALUES = {**{str(digit): digit for digit in range(10)}, **_VIN_LETTER_VALUES}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_DIGITS = str.maketrans({char: str(value) for char, value in _VIN_VALUES.items()})
_VIN_ASCII_OFFSET = ord("0") * sum(_VIN_WEIGHTS)
_VIN_CHECK_MANDATORY = frozenset("L12345")  # China and North America
_MODEL_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
_MODEL_YEAR_EPOCH = 1980
_MODEL_YEAR_CYCLE = 30


@dataclass(frozen=True)
class Vin:
    """A validated 17-character vehicle identification number.

    ``warnings`` holds ``'check_digit'`` and/or ``'model_year'`` for VINs
    from regions where those positions are not mandatory.
    """

    vin: str
    wmi: str
    vds: str
    vis: str
    check_digit_ok: bool
    model_year: int | None
    warnings: tuple[str, ...]


def vin_check_digit(vin: str) -> str:
    """Compute the position-9 check digit of a 17-character VIN.

    Parameters
    ----------
    vin : str
        The VIN; the character at position 9 is ignored and may be anything.

    Returns
    -------
    str
        ``0``-``9`` or ``X``.

    Examples
    --------
    >>> vin_check_digit("1G4AH59H?5G118341")
    '4'
    """
    text = compact(vin)
    require_length(text, 17, "the VIN", "车辆识别代号")
    require_charset(text[:8] + text[9:], _VIN_CHARSET, "the VIN", "车辆识别代号")
    return _vin_check_digit(text)


def _vin_check_digit(vin: str) -> str:
    """`vin_check_digit` of a compact 17-character VIN whose other characters are valid."""
    # Every character's value is one digit: translate to ASCII digits, weigh the bytes, and
    # take off what the ASCII offset of "0" (48) added.
    digits = vin.translate(_VIN_DIGITS).encode("ascii", "replace")  # position 9: any
    total = sum(map(_mul, digits, _VIN_WEIGHTS)) - _VIN_ASCII_OFFSET
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def _model_year_error(reason_en: str, reason_zh: str) -> IdentifierError:
    return IdentifierError(
        "model_year", f"the model-year code {reason_en}", f"车型年份代码{reason_zh}"
    )


def decode_model_year(code: str, registration_date: date) -> int:
    """Decode the model-year character (VIN position 10).

    The code repeats every 30 years, so the cycle is chosen from the
    registration date: the latest year that is at most one year after the
    registration year (a model year may run one year ahead of production).

    Parameters
    ----------
    code : str
        One character; ``I``, ``O``, ``Q``, ``U``, ``Z`` and ``0`` are invalid.
    registration_date : date
        First registration date of the vehicle.

    Returns
    -------
    int
        The model year.

    Raises
    ------
    IdentifierError
        With rule ``model_year``.

    Examples
    --------
    >>> decode_model_year("A", date(2010, 6, 1)), decode_model_year("Y", date(2029, 3, 1))
    (2010, 2030)
    """
    char = code.strip().upper()
    if len(char) != 1 or char not in _MODEL_YEAR_CODES:
        raise _model_year_error("is not a valid year code", "无效")
    base = _MODEL_YEAR_EPOCH + _MODEL_YEAR_CODES.index(char)
    latest = registration_date.year + 1
    year = base + _MODEL_YEAR_CYCLE * ((latest - base) // _MODEL_YEAR_CYCLE)
    if year < _MODEL_YEAR_EPOCH:
        raise _model_year_error("predates the 1980 coding scheme", "早于1980年编码体系")
    return year


def _vin_model_year(vin: str, registration_date: date | None, warnings: list[str]) -> int | None:
    if vin[9] not in _MODEL_YEAR_CODES:
        if vin[0] in _VIN_CHECK_MANDATORY:
            raise _model_year_error("(position 10) is not a valid year code", "（第10位）无效")
        warnings.append("model_year")
        return None
    return None if registration_date is None else decode_model_year(vin[9], registration_date)


def validate_vin(value: str, *, registration_date: date | None = None) -> Vin:
    """Validate a 17-character VIN (ISO 3779 / GB 16735).

    A check-digit mismatch, or an invalid model-year character, is an
    error for Chinese (``L``) and North American (``1``-``5``) VINs and
    only a warning otherwise (e.g. European imports).

    Parameters
    ----------
    value : str
        The VIN; whitespace is removed and letters upper-cased.
    registration_date : date, optional
        When given, ``model_year`` is decoded from position 10.

    Returns
    -------
    Vin

    Raises
    ------
    IdentifierError
        With rule ``length``, ``charset``, ``repeated_character``,
        ``checksum`` or ``model_year``.

    Examples
    --------
    >>> vin = validate_vin("WBAXW1104J0X16755", registration_date=date(2018, 5, 1))
    >>> vin.wmi, vin.check_digit_ok, vin.model_year
    ('WBA', True, 2018)
    """
    vin = compact(value)
    require_length(vin, 17, "the VIN", "车辆识别代号")
    require_charset(
        vin, _VIN_CHARSET, "the VIN (I, O and Q are never used)", "车辆识别代号（不使用I、O、Q）"
    )
    if vin.count(vin[0]) == 17:
        raise IdentifierError(
            "repeated_character",
            "the VIN is a single repeated character",
            "车辆识别代号由同一字符重复组成",
        )
    expected = _vin_check_digit(vin)  # length and characters are checked above
    check_ok = vin[8] == expected
    warnings: list[str] = []
    if not check_ok:
        if vin[0] in _VIN_CHECK_MANDATORY:
            raise IdentifierError(
                "checksum",
                f"check digit (position 9) should be {expected}",
                f"校验位（第9位）应为{expected}",
            )
        warnings.append("check_digit")
    model_year = _vin_model_year(vin, registration_date, warnings)
    return Vin(vin, vin[:3], vin[3:9], vin[9:], check_ok, model_year, tuple(warnings))
