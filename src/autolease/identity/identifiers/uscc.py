"""Unified Social Credit Codes (GB 32100-2015)."""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.cn import uscc as stdnum_uscc

from autolease.identity.identifiers.common import (
    IdentifierError,
    compact,
    is_ascii_digits,
    require_charset,
    require_length,
)

_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_CHARS = frozenset(_USCC_CHARSET)


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
    require_length(first17, 17, "the credit code body", "统一社会信用代码本体")
    require_charset(first17, _USCC_CHARS, "the credit code body", "统一社会信用代码本体")
    return str(stdnum_uscc.calc_check_digit(first17))


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
    code = compact(value)
    require_length(code, 18, "the credit code", "统一社会信用代码")
    # Position 18 is judged by the checksum, so a bad last character reports the expected one.
    require_charset(code[:17], _USCC_CHARS, "the credit code", "统一社会信用代码")
    if not is_ascii_digits(code[2:8]):
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
