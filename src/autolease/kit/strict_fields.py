"""Request field types that take what the API documents, no more (pure).

Pydantic's lax mode turns ``"12"`` into an integer, ``"yes"`` into ``true`` and full-width
digits ``"１２３"`` into a Decimal. Request models declare numbers with these types instead:

* `Integer`, `Number`, `Flag`: a JSON integer, number (an integer is a number) or boolean;
* `Amount`: a Decimal given as a JSON number or as a string of ASCII digits (the documented
  pattern, ``^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$``), so money keeps its precision as text;
* `FormText`: a multipart form field without control characters (the request guard checks
  JSON bodies, paths and queries; it does not parse multipart bodies).

>>> from pydantic import TypeAdapter
>>> TypeAdapter(Amount).validate_python("120000.50")
Decimal('120000.50')
>>> TypeAdapter(Amount).validate_python("１２３")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for ...
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Strict
from pydantic_core import PydanticCustomError

from autolease.kit.input_policy import control_character, refused_text

_DECIMAL_TEXT = re.compile(r"(?!^[-+.]*$)[+-]?0*\d*\.?\d*", re.ASCII)

Integer = Annotated[int, Strict()]
Number = Annotated[float, Strict()]
Flag = Annotated[bool, Strict()]


def _amount(value: Any) -> Any:
    if isinstance(value, bool) or (isinstance(value, str) and not _DECIMAL_TEXT.fullmatch(value)):
        raise PydanticCustomError(
            "decimal_parsing",
            "expected a number, or a string of ASCII digits with an optional decimal point",
            {"message_zh": "应为数字，或由半角数字和小数点组成的字符串"},
        )
    return value


Amount = Annotated[Decimal, BeforeValidator(_amount)]


def _form_text(value: str) -> str:
    if refused_text(value):
        refused = control_character("")
        raise PydanticCustomError(
            refused.rule, refused.message_en, {"message_zh": refused.message_zh}
        )
    return value


FormText = Annotated[str, AfterValidator(_form_text)]
