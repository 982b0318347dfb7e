"""The one input policy for both stores (pure): strict JSON and no control characters.

PostgreSQL refuses NUL in text and a lone surrogate cannot be encoded at all, while SQLite
stores both; refusing them here, before anything reaches a store, makes the two behave alike.

* **Text** may not hold control characters (Unicode ``Cc``) or lone surrogates. In a JSON
  body, tab, line feed and carriage return are allowed (free text such as a note or an
  address line may have them); in a path or a query parameter nothing is.
* **JSON** is UTF-8 (a leading byte-order mark is ignored), has no ``NaN``/``Infinity``, no
  number too large for a float and no key twice in one object.

`loads` raises `InputRefused` naming the field (dotted, list items by index, ``body`` for
the whole body), the rule and the reason in English and Chinese; values are never echoed.

>>> loads(b'{"a": [1, "x"]}')
{'a': [1, 'x']}
>>> loads(b'{"a": {"b": "x\\\\u0000"}}')
Traceback (most recent call last):
...
autolease.kit.input_policy.InputRefused: a.b: control_character
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

# Control characters and lone surrogates; the body variant spares tab, LF and CR.
_REFUSED_IN_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_REFUSED_IN_BODY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Valid JSON holds no raw C0 control, so a refused character can only come from a backslash
# escape, a raw DEL, or a raw C1 control (UTF-8 C2 80-C2 9F) or surrogate (not valid UTF-8).
# A body with none of these is clean without a walk; with one, the exact walk decides.
_MAY_BE_REFUSED = (b"\\", b"\x7f", b"\xc2")


class InputRefused(ValueError):
    """Input the policy refuses: ``field``, ``rule`` and the reason in English and Chinese."""

    def __init__(self, field: str, rule: str, message_en: str, message_zh: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule
        self.message_en = message_en
        self.message_zh = message_zh


def control_character(field: str) -> InputRefused:
    return InputRefused(
        field,
        "control_character",
        "control characters (such as NUL) and unpaired surrogates are not allowed",
        "不允许包含控制字符（如NUL）或不成对的代理字符",
    )


def refused_text(value: str) -> bool:
    """Whether a path or query value holds a control character or a lone surrogate."""
    return _REFUSED_IN_TEXT.search(value) is not None


def printable(name: str) -> str:
    """A field name safe to put in an error (refused characters shown as ``\\uXXXX``)."""
    return _REFUSED_IN_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", name)


# ----------------------------------------------------------------------------- strict JSON


class _Refused(Exception):
    """Raised inside the decoder's hooks: the slow pass then finds where."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _Refused
    return value


def _no_constant(_: str) -> Any:
    raise _Refused


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refused
    return value


_STRICT = json.JSONDecoder(
    object_pairs_hook=_no_duplicates, parse_constant=_no_constant, parse_float=_finite
)


def loads(body: bytes) -> Any:
    """Decode a JSON body under the policy (one pass over a clean body).

    Raises
    ------
    InputRefused
        Not UTF-8, malformed (with line, column and character offset), a refused number,
        a duplicate key, or a control character (naming the field).
    """
    text = _utf8(body)
    try:
        value = _STRICT.decode(text)
    except json.JSONDecodeError as err:
        raise _malformed(err) from None
    except _Refused:
        raise _locate(text) from None
    except ValueError:  # an integer longer than Python converts
        raise _too_large("body") from None
    if any(marker in body for marker in _MAY_BE_REFUSED):
        field = _first_refused(value, ())
        if field is not None:
            raise control_character(field)
    return value


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise InputRefused(
            "body",
            "json_encoding",
            f"the body is not UTF-8 (invalid byte at offset {err.start})",
            f"请求体不是UTF-8编码（第{err.start}字节无效）",
        ) from None


def _malformed(err: json.JSONDecodeError) -> InputRefused:
    where_en = f"line {err.lineno} column {err.colno} (char {err.pos})"
    where_zh = f"第{err.lineno}行第{err.colno}列（第{err.pos}个字符）"
    return InputRefused(
        "body",
        "json_invalid",
        f"the body is not valid JSON: {err.msg} at {where_en}",
        f"请求体不是有效的JSON：{where_zh}",
    )


def _too_large(field: str) -> InputRefused:
    return InputRefused(
        field, "number_too_large", "the number is too large", "数值超出范围（不是有限的数字）"
    )


# ----------------------------------------------------------------------------- slow pass


class _Mark:
    def __init__(self, rule: str) -> None:
        self.rule = rule


class _Duplicated(dict[str, Any]):
    def __init__(self, pairs: list[tuple[str, Any]], key: str) -> None:
        super().__init__(pairs)
        self.key = key


def _mark_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return _Duplicated(pairs, key)
        seen.add(key)
    return dict(pairs)


def _mark_float(text: str) -> float | _Mark:
    value = float(text)
    return _Mark("number_too_large") if math.isinf(value) else value


_MARKING = json.JSONDecoder(
    object_pairs_hook=_mark_duplicates,
    parse_constant=lambda _: _Mark("json_constant"),
    parse_float=_mark_float,
)


def _locate(text: str) -> InputRefused:
    """Decode again, marking instead of raising, and name the first refused place."""
    for path, rule in _marks(_MARKING.decode(text), ()):
        field = ".".join(path) or "body"
        if rule == "duplicate_key":
            return InputRefused(field, rule, "the key appears twice", "同一对象中键名重复")
        if rule == "json_constant":
            return InputRefused(
                field, rule, "NaN and Infinity are not JSON numbers", "NaN和Infinity不是有效数字"
            )
        return _too_large(field)
    raise AssertionError("a strict-decoder refusal the marking decoder does not find")


def _marks(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, _Mark):
        yield path, value.rule
    elif isinstance(value, _Duplicated):
        yield (*path, printable(value.key)), "duplicate_key"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _marks(item, (*path, printable(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _marks(item, (*path, str(index)))


def _first_refused(value: Any, path: tuple[str, ...]) -> str | None:
    """The dotted path of the first key or text holding a refused character, if any."""
    if isinstance(value, str):
        return (".".join(path) or "body") if _REFUSED_IN_BODY.search(value) else None
    items: Iterator[tuple[str, Any]]
    if isinstance(value, Mapping):
        for key in value:
            if _REFUSED_IN_BODY.search(key):
                return ".".join((*path, printable(key)))
        items = iter(value.items())
    elif isinstance(value, list):
        items = ((str(i), item) for i, item in enumerate(value))
    else:
        return None
    for name, item in items:
        found = _first_refused(item, (*path, name))
        if found is not None:
            return found
    return None
