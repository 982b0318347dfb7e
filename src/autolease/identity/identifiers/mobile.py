"""Mainland mobile numbers and the virtual-operator ranges."""

from __future__ import annotations

import re

from autolease.identity.identifiers.common import IdentifierError, is_ascii_digits, require_length

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
    if digits and not is_ascii_digits(digits):
        raise IdentifierError("charset", "the mobile number must be digits", "手机号码应为数字")
    require_length(digits, 11, "the mobile number", "手机号码")
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
    if len(mobile) == 11 and is_ascii_digits(mobile):
        # Already normalised: valid when it starts with 13-19, as every virtual prefix does.
        return mobile.startswith(_VIRTUAL_OPERATOR_PREFIXES)
    try:
        number = validate_mobile(mobile)
    except IdentifierError:
        return False
    return number.startswith(_VIRTUAL_OPERATOR_PREFIXES)
