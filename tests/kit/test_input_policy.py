"""Tests for autolease.kit.input_policy and autolease.kit.strict_fields (pure)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from autolease.kit.input_policy import InputRefused, loads, printable, refused_text
from autolease.kit.strict_fields import Amount, Flag, FormText, Integer, Number


def refusal(body: bytes) -> tuple[str, str]:
    with pytest.raises(InputRefused) as caught:
        loads(body)
    return caught.value.field, caught.value.rule


class TestLoads:
    def test_a_clean_body_decodes_as_json_does(self) -> None:
        body = '{"a": [1, 2.5, "甲\\n\\t", null, true], "b": {"c": "\\ud83d\\ude00"}}'
        assert loads(body.encode()) == {"a": [1, 2.5, "甲\n\t", None, True], "b": {"c": "😀"}}

    @pytest.mark.parametrize(
        ("body", "field", "rule"),
        [
            (b'{"a": NaN}', "a", "json_constant"),
            (b'{"a": {"b": [1, -Infinity]}}', "a.b.1", "json_constant"),
            (b'{"x": Infinity}', "x", "json_constant"),
            (b'{"x": 1e400}', "x", "number_too_large"),
            (b'{"x": -1e400}', "x", "number_too_large"),
            (b'{"n": ' + b"9" * 5000 + b"}", "body", "number_too_large"),
            (b'{"a": 1, "a": 2}', "a", "duplicate_key"),
            (b'{"d": {"s": {"k": 1, "k": 2}}}', "d.s.k", "duplicate_key"),
        ],
    )
    def test_non_json_numbers_and_duplicate_keys_name_the_field(
        self, body: bytes, field: str, rule: str
    ) -> None:
        assert refusal(body) == (field, rule)

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (b'{"a": "x\\u0000y"}', "a"),
            (b'{"a": {"b": ["ok", "\\u001f"]}}', "a.b.1"),
            (b'{"a": "\\b"}', "a"),
            (b'{"a": "\\f"}', "a"),
            (b'{"a": "\\u007f"}', "a"),
            ('{"a": "\u0085"}'.encode(), "a"),  # a C1 control, raw
            (b'{"a": "\\ud800"}', "a"),  # a lone surrogate
            (b'{"a\\u0000": 1}', "a\\u0000"),  # a key, named printably
            (b'"\\u0000"', "body"),
        ],
    )
    def test_control_characters_and_lone_surrogates_are_refused(
        self, body: bytes, field: str
    ) -> None:
        assert refusal(body) == (field, "control_character")

    def test_an_escaped_backslash_before_u0000_is_plain_text(self) -> None:
        assert loads(b'{"a": "\\\\u0000"}') == {"a": "\\u0000"}

    def test_a_body_that_is_not_utf8_is_refused(self) -> None:
        assert refusal('{"a": 1}'.encode("utf-16")) == ("body", "json_encoding")
        assert refusal(b'{"a": "\xff"}') == ("body", "json_encoding")

    def test_a_utf8_byte_order_mark_is_ignored(self) -> None:
        assert loads(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}

    def test_malformed_json_names_body_and_position_in_both_languages(self) -> None:
        with pytest.raises(InputRefused) as caught:
            loads(b'{\n  "a": 1,\n  oops}')
        refused = caught.value
        assert (refused.field, refused.rule) == ("body", "json_invalid")
        assert "line 3 column 3 (char 14)" in refused.message_en
        assert "第3行第3列（第14个字符）" in refused.message_zh


class TestText:
    @pytest.mark.parametrize("text", ["a\x00b", "\t", "\n", "\r", "\x7f", "\x9b", "\ud800"])
    def test_paths_and_queries_refuse_every_control_character(self, text: str) -> None:
        assert refused_text(text)

    def test_ordinary_text_passes(self) -> None:
        assert not refused_text("沪A12345 app_01 ½ €")

    def test_printable_shows_refused_characters_as_escapes(self) -> None:
        assert printable("a\x00b") == "a\\u0000b"


class TestStrictFields:
    @pytest.mark.parametrize(
        ("kind", "value"),
        [
            (Integer, "12"),
            (Integer, 12.0),
            (Integer, True),
            (Number, "1.5"),
            (Number, True),
            (Flag, "yes"),
            (Flag, 1),
            (Amount, "１２３"),
            (Amount, "1e3"),
            (Amount, " 12"),
            (Amount, True),
        ],
    )
    def test_lax_conversions_are_refused(self, kind: Any, value: object) -> None:
        with pytest.raises(ValidationError):
            TypeAdapter(kind).validate_python(value)

    @pytest.mark.parametrize(
        ("kind", "value", "expected"),
        [
            (Integer, 12, 12),
            (Number, 12, 12.0),
            (Flag, False, False),
            (Amount, "120000.50", Decimal("120000.50")),
            (Amount, 99.5, Decimal("99.5")),
            (Amount, 7, Decimal(7)),
        ],
    )
    def test_documented_forms_pass(self, kind: Any, value: object, expected: object) -> None:
        assert TypeAdapter(kind).validate_python(value) == expected

    @pytest.mark.parametrize("value", ["case\x001", "case\t1", "\x85"])
    def test_form_text_refuses_control_characters(self, value: str) -> None:
        with pytest.raises(ValidationError) as caught:
            TypeAdapter(FormText).validate_python(value)
        assert caught.value.errors()[0]["type"] == "control_character"

    def test_form_text_keeps_ordinary_text(self) -> None:
        assert TypeAdapter(FormText).validate_python("案件 2026-01") == "案件 2026-01"
