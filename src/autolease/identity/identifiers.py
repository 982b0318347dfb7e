"""Validators for the Chinese identifiers used in origination (docs/domain.md §3).

Pure functions: no database, no web framework, no clock. Dates are passed in.
The only I/O is reading python-stdnum's packaged GB/T 2260 region table.

Every rejection raises :class:`IdentifierError`, which carries a stable
machine ``rule`` code and English and Chinese messages. Messages never echo
the input value, because identifiers are personal data.

>>> validate_resident_id("11010519491231002X").gender
'F'
>>> validate_uscc("91110108551385082Q").entity_type_code
'1'
>>> validate_plate("京A·12345").kind
'ordinary'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import mul as _mul
from typing import Literal

from stdnum import numdb

__all__ = [
    "IdentifierError",
    "Plate",
    "ResidentId",
    "Uscc",
    "Vin",
    "current_region_codes",
    "decode_model_year",
    "is_unionpay",
    "is_virtual_operator",
    "luhn_check_digit",
    "resident_id_check_char",
    "uscc_check_char",
    "validate_bank_card",
    "validate_mobile",
    "validate_plate",
    "validate_resident_id",
    "validate_uscc",
    "validate_vin",
    "vin_check_digit",
]

Gender = Literal["M", "F"]
PlateKind = Literal["ordinary", "nev_small", "nev_large"]
NevPower = Literal["D", "F"]


class IdentifierError(ValueError):
    """An identifier failed validation.

    Parameters
    ----------
    rule : str
        Stable machine code of the failed rule, e.g. ``'length'``,
        ``'charset'``, ``'region_code'``, ``'birth_date'``, ``'checksum'``,
        ``'format'``, ``'model_year'``, ``'legacy_format'``,
        ``'repeated_character'``, ``'province'`` or ``'office_code'``.
    message_en : str
        English explanation. Never contains the input value.
    message_zh : str
        Chinese explanation. Never contains the input value.
    """

    rule: str
    message_en: str
    message_zh: str

    def __init__(self, rule: str, message_en: str, message_zh: str) -> None:
        super().__init__(f"{rule}: {message_en}")
        self.rule = rule
        self.message_en = message_en
        self.message_zh = message_zh

    def __reduce__(self) -> tuple[type[IdentifierError], tuple[str, str, str]]:
        return type(self), (self.rule, self.message_en, self.message_zh)


# --------------------------------------------------------------------------- helpers


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _compact(value: str) -> str:
    """Remove all whitespace and upper-case."""
    return "".join(value.split()).upper()


def _require_length(text: str, length: int, what_en: str, what_zh: str) -> None:
    if len(text) != length:
        raise IdentifierError(
            "length",
            f"{what_en} must be {length} characters long, got {len(text)}",
            f"{what_zh}应为{length}位，实际为{len(text)}位",
        )


def _require_charset(text: str, allowed: frozenset[str], what_en: str, what_zh: str) -> None:
    if not allowed.issuperset(text):
        raise IdentifierError(
            "charset",
            f"{what_en} contains characters that are not allowed",
            f"{what_zh}包含不允许的字符",
        )


# --------------------------------------------------------------------------- region table

_PLACEHOLDER_NAMES = frozenset({"市辖区", "县"})
_NAME_RE = re.compile(r"(?:\[(?P<start>[0-9]*)-(?P<end>[0-9]*)\])?(?P<name>.*)")


def _loc_db() -> numdb.NumDB:
    return numdb.get("cn/loc")


def _parse_names(raw: str) -> list[tuple[str, bool]]:
    """Split a ``cn/loc`` name field into ``(name, is_current)`` pairs.

    Fields look like ``"[-1991]东郊区,[1992-]东丽区"``; an entry is current
    when its validity range has no end year.
    """
    names: list[tuple[str, bool]] = []
    for entry in raw.split(","):
        match = _NAME_RE.fullmatch(entry.strip())
        if match is not None and match["name"]:
            names.append((match["name"], not match["end"]))
    return names


def _preferred_name(raw: str) -> str:
    names = _parse_names(raw)
    current = [name for name, is_current in names if is_current]
    if current:
        return current[-1]
    return names[-1][0] if names else ""


def _is_placeholder(name: str) -> bool:
    return name in _PLACEHOLDER_NAMES or "直辖县级" in name


def _county_field(code6: str) -> tuple[str, str] | None:
    """Return the raw ``(province, county)`` fields for a 6-digit code, if listed."""
    info = _loc_db().info(code6)
    if len(info) != 2:
        return None
    (_, province_props), (_, county_props) = info
    if "province" not in province_props or "county" not in county_props:
        return None
    return province_props["province"], county_props["county"]


@lru_cache(maxsize=8192)
def _region_name(code6: str) -> str | None:
    """Human-readable name for a region code, or ``None`` if the code is unknown."""
    fields = _county_field(code6)
    if fields is None:
        return None
    province_raw, county_raw = fields
    # The xx0000 entry carries the province's current, simplified-Chinese name.
    province = _county_field(code6[:2] + "0000")
    parts = [_preferred_name(province[1] if province is not None else province_raw)]
    if code6[2:4] != "00" and code6[4:] != "00":
        prefecture = _county_field(code6[:4] + "00")
        if prefecture is not None:
            parts.append(_preferred_name(prefecture[1]))
    parts.append(_preferred_name(county_raw))
    kept: list[str] = []
    for part in parts:
        if part and not _is_placeholder(part) and part not in kept:
            kept.append(part)
    return "".join(kept)


def _expand(low: str, high: str) -> list[str]:
    return [f"{number:0{len(low)}d}" for number in range(int(low), int(high) + 1)]


def _iter_counties() -> Iterator[tuple[str, str]]:
    """Yield ``(code6, raw county field)`` for every entry of the region table."""
    for _, low, high, _props, children in _loc_db().prefixes:
        for province in _expand(low, high):
            for _, c_low, c_high, c_props, _children in children:
                for county in _expand(c_low, c_high):
                    yield province + county, c_props.get("county", "")


@lru_cache(maxsize=1)
def current_region_codes() -> tuple[str, ...]:
    """County-level region codes that are in use today.

    Intended for synthetic data generators. Codes ending in ``00``
    (province and prefecture level), historic-only codes and grouping
    placeholders such as ``市辖区`` are excluded.

    Returns
    -------
    tuple of str
        Sorted, unique 6-digit codes.
    """
    codes = {
        code
        for code, raw in _iter_counties()
        if not code.endswith("00")
        and any(is_current and not _is_placeholder(name) for name, is_current in _parse_names(raw))
    }
    return tuple(sorted(codes))


# --------------------------------------------------------------------------- resident ID

_RID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RID_CHECK_CHARS = "10X98765432"
_RID_LAST_CHARS = "0123456789X"
_RID_ASCII_OFFSET = ord("0") * sum(_RID_WEIGHTS)
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
    _require_length(first17, 17, "the ID number body", "身份证号码本体")
    if not _is_ascii_digits(first17):
        raise IdentifierError(
            "charset", "the ID number body must be digits", "身份证号码本体应为数字"
        )
    return _rid_check_char(first17)


def _rid_check_char(first17: str) -> str:
    """`resident_id_check_char` of 17 ASCII digits (checked by the caller)."""
    # Weigh the digits' ASCII codes, then take off what the code of "0" (48) added.
    total = sum(map(_mul, first17.encode("ascii"), _RID_WEIGHTS)) - _RID_ASCII_OFFSET
    return _RID_CHECK_CHARS[total % 11]


def _check_resident_id_shape(number: str) -> None:
    if len(number) == 15 and _is_ascii_digits(number):
        raise IdentifierError(
            "legacy_format",
            "legacy 15-digit ID numbers (GB 11643-1989) are not accepted; use the 18-character one",
            "不接受15位旧版身份证号码，请使用18位身份证号码",
        )
    _require_length(number, 18, "the ID number", "身份证号码")
    if not _is_ascii_digits(number[:17]) or number[17] not in _RID_LAST_CHARS:
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
    number = _compact(value)
    _check_resident_id_shape(number)
    region_name = _region_name(number[:6])
    if region_name is None:
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
    return ResidentId(number, number[:6], region_name, born, gender)


# --------------------------------------------------------------------------- USCC

_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_CHARS = frozenset(_USCC_CHARSET)
_USCC_VALUES = {char: value for value, char in enumerate(_USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class Uscc:
    """A validated Unified Social Credit Code (GB 32100-2015)."""

    code: str
    authority_code: str
    entity_type_code: str
    region_code: str
    org_code: str


def uscc_check_char(first17: str) -> str:
    """Compute the check character of a Unified Social Credit Code.

    Parameters
    ----------
    first17 : str
        The first 17 characters, upper case.

    Returns
    -------
    str
        A character of ``0123456789ABCDEFGHJKLMNPQRTUWXY``.

    Examples
    --------
    >>> uscc_check_char("91350100M000100Y4")
    '3'
    """
    _require_length(first17, 17, "the credit code body", "统一社会信用代码本体")
    _require_charset(first17, _USCC_CHARS, "the credit code body", "统一社会信用代码本体")
    total = sum(map(_mul, map(_USCC_VALUES.__getitem__, first17), _USCC_WEIGHTS))
    return _USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> Uscc:
    """Validate an 18-character Unified Social Credit Code.

    Parameters
    ----------
    value : str
        The code; whitespace is removed and letters upper-cased.

    Returns
    -------
    Uscc
        The normalised code split into its parts.

    Raises
    ------
    IdentifierError
        With rule ``length``, ``charset``, ``format`` (positions 3-8 not
        digits) or ``checksum``.

    Examples
    --------
    >>> validate_uscc("91110000600037341l").region_code
    '110000'
    """
    code = _compact(value)
    _require_length(code, 18, "the credit code", "统一社会信用代码")
    # Position 18 is judged by the checksum, so a bad last character reports the expected one.
    _require_charset(code[:17], _USCC_CHARS, "the credit code", "统一社会信用代码")
    if not _is_ascii_digits(code[2:8]):
        raise IdentifierError(
            "format",
            "the region code (positions 3-8) must be digits",
            "登记管理机关行政区划码（第3-8位）应为数字",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise IdentifierError(
            "checksum",
            f"check character should be {expected}",
            f"校验码应为{expected}",
        )
    return Uscc(code, code[0], code[1], code[2:8], code[8:17])


# --------------------------------------------------------------------------- VIN

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
    text = _compact(vin)
    _require_length(text, 17, "the VIN", "车辆识别代号")
    _require_charset(text[:8] + text[9:], _VIN_CHARSET, "the VIN", "车辆识别代号")
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
    vin = _compact(value)
    _require_length(vin, 17, "the VIN", "车辆识别代号")
    _require_charset(
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


# --------------------------------------------------------------------------- mobile

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_MOBILE_SEPARATORS_RE = re.compile(r"[\s\-]")
_VIRTUAL_OPERATOR_PREFIXES = ("170", "162", "165", "167", "171")


def _strip_country_code(digits: str) -> str:
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    if digits.startswith("86") and len(digits) == 13:
        return digits[2:]
    return digits


def validate_mobile(value: str) -> str:
    """Validate and normalise a mainland mobile number.

    Parameters
    ----------
    value : str
        The number; spaces, dashes and a leading ``+86``, ``0086`` or ``86``
        are removed.

    Returns
    -------
    str
        The 11-digit number.

    Raises
    ------
    IdentifierError
        With rule ``charset``, ``length`` or ``format``.

    Examples
    --------
    >>> validate_mobile("+86 138-1234-5678")
    '13812345678'
    """
    digits = _strip_country_code(_MOBILE_SEPARATORS_RE.sub("", value))
    if digits and not _is_ascii_digits(digits):
        raise IdentifierError("charset", "the mobile number must be digits", "手机号码应为数字")
    _require_length(digits, 11, "the mobile number", "手机号码")
    if _MOBILE_RE.fullmatch(digits) is None:
        raise IdentifierError(
            "format",
            "the mobile number must start with 13-19",
            "手机号码应以13至19开头",
        )
    return digits


def is_virtual_operator(mobile: str) -> bool:
    """Whether a mobile number belongs to a virtual operator (MVNO) range.

    A risk feature, not an error. Invalid numbers return ``False``.

    Examples
    --------
    >>> is_virtual_operator("17012345678"), is_virtual_operator("13812345678")
    (True, False)
    """
    if len(mobile) == 11 and _is_ascii_digits(mobile):
        # Already normalised: valid when it starts with 13-19, as every virtual prefix does.
        return mobile.startswith(_VIRTUAL_OPERATOR_PREFIXES)
    try:
        number = validate_mobile(mobile)
    except IdentifierError:
        return False
    return number.startswith(_VIRTUAL_OPERATOR_PREFIXES)


# --------------------------------------------------------------------------- licence plates

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


# --------------------------------------------------------------------------- bank cards


def _luhn_total(digits: str, *, double_rightmost: bool) -> int:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if (index % 2 == 0) == double_rightmost:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total


def luhn_check_digit(partial: str) -> str:
    """Digit to append so that ``partial`` + digit passes the Luhn check.

    Examples
    --------
    >>> luhn_check_digit("411111111111111")
    '1'
    """
    if not partial:
        raise IdentifierError("length", "the card number body is empty", "卡号本体为空")
    if not _is_ascii_digits(partial):
        raise IdentifierError("charset", "the card number must be digits", "卡号应为数字")
    return str((10 - _luhn_total(partial, double_rightmost=True) % 10) % 10)


def validate_bank_card(value: str) -> str:
    """Validate a bank card number (13-19 digits, Luhn).

    Parameters
    ----------
    value : str
        The card number; whitespace is removed.

    Returns
    -------
    str
        The digits.

    Raises
    ------
    IdentifierError
        With rule ``charset``, ``length`` or ``checksum``.

    Examples
    --------
    >>> validate_bank_card("4111 1111 1111 1111")
    '4111111111111111'
    """
    card = "".join(value.split())
    if not _is_ascii_digits(card):
        raise IdentifierError("charset", "the card number must be digits", "卡号应为数字")
    if not 13 <= len(card) <= 19:
        raise IdentifierError(
            "length",
            f"the card number must be 13-19 digits long, got {len(card)}",
            f"卡号应为13至19位，实际为{len(card)}位",
        )
    if _luhn_total(card, double_rightmost=False) % 10:
        raise IdentifierError(
            "checksum", "the card number fails the Luhn check", "卡号未通过Luhn校验"
        )
    return card


def is_unionpay(card: str) -> bool:
    """Whether a card number is in the UnionPay range (starts with 62).

    Examples
    --------
    >>> is_unionpay("6222 0212 3456 7890"), is_unionpay("4111111111111111")
    (True, False)
    """
    digits = "".join(card.split())
    return _is_ascii_digits(digits) and digits.startswith("62")
