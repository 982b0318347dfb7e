"""Bank card numbers: length and the Luhn check (python-stdnum's)."""

from __future__ import annotations

from stdnum import luhn

from autolease.identity.identifiers.common import IdentifierError, is_ascii_digits


def luhn_check_digit(partial: str) -> str:
    """Digit to append so that ``partial`` + digit passes the Luhn check.

    Examples
    --------
    >>> luhn_check_digit("411111111111111")
    '1'
    """
    if not partial:
        raise IdentifierError("length", "the card number body is empty", "卡号本体为空")
    if not is_ascii_digits(partial):
        raise IdentifierError("charset", "the card number must be digits", "卡号应为数字")
    return str(luhn.calc_check_digit(partial))


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
    if not is_ascii_digits(card):
        raise IdentifierError("charset", "the card number must be digits", "卡号应为数字")
    if not 13 <= len(card) <= 19:
        raise IdentifierError(
            "length",
            f"the card number must be 13-19 digits long, got {len(card)}",
            f"卡号应为13至19位，实际为{len(card)}位",
        )
    if luhn.checksum(card):
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
    return is_ascii_digits(digits) and digits.startswith("62")
