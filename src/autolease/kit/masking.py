"""Masking of personal data for display and logs, in the style of JR/T 0171-2020.

>>> mask_id_number("11010519491231002X")
'110***********002X'
>>> mask_phone("13812345678")
'138****5678'
>>> mask_bank_card("6222021234567890123")
'622202*********0123'
>>> mask_name("张三丰")
'张**'
>>> mask_company_name("上海某某商贸有限公司")
'上海******公司'
"""

from __future__ import annotations


def _mask(value: str, keep_head: int, keep_tail: int) -> str:
    if len(value) <= keep_head + keep_tail:
        return "*" * len(value)
    hidden = len(value) - keep_head - keep_tail
    return value[:keep_head] + "*" * hidden + (value[-keep_tail:] if keep_tail else "")


def mask_id_number(value: str) -> str:
    return _mask(value, 3, 4)


def mask_phone(value: str) -> str:
    return _mask(value, 3, 4)


def mask_bank_card(value: str) -> str:
    return _mask(value, 6, 4)


def mask_name(value: str) -> str:
    return _mask(value, 1, 0) if len(value) > 1 else "*"


def mask_company_name(value: str) -> str:
    """A corporate lessee's name: its first two and last two characters (place and form)."""
    return _mask(value, 2, 2)
