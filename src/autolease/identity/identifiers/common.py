"""The error every identifier check raises, and the small helpers the checks share."""

from __future__ import annotations


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


def is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def compact(value: str) -> str:
    """Remove all whitespace and upper-case."""
    return "".join(value.split()).upper()


def require_length(text: str, length: int, what_en: str, what_zh: str) -> None:
    if len(text) != length:
        raise IdentifierError(
            "length",
            f"{what_en} must be {length} characters long, got {len(text)}",
            f"{what_zh}应为{length}位，实际为{len(text)}位",
        )


def require_charset(text: str, allowed: frozenset[str], what_en: str, what_zh: str) -> None:
    if not allowed.issuperset(text):
        raise IdentifierError(
            "charset",
            f"{what_en} contains characters that are not allowed",
            f"{what_zh}包含不允许的字符",
        )
