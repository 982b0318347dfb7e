"""Pydantic field types for Chinese identifiers, backed by the pure validators.

A failure becomes a pydantic error whose type is the validator's rule and whose context
carries the Chinese message, so the API can name field, rule and reason in both languages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from pydantic import AfterValidator, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from autolease.identity import formats
from autolease.identity import identifiers as ids

T = TypeVar("T")


def rule_error(
    rule: str, message_en: str, message_zh: str, *, field: str | None = None
) -> PydanticCustomError:
    """A pydantic error with a stable rule code; `field` names a sub-field of the location."""
    context = {"message_zh": message_zh} | ({"field": field} if field else {})
    return PydanticCustomError(rule, message_en, context)


def checked(validate: Callable[[str], T], normalise: Callable[[T], str]) -> Callable[[str], str]:
    """Wrap `validate` so its IdentifierError becomes a pydantic error; return normalised text."""

    def run(value: str) -> str:
        try:
            return normalise(validate(value))
        except ids.IdentifierError as err:
            raise rule_error(err.rule, err.message_en, err.message_zh) from None

    return run


def documented(pattern: str, kind: str) -> FieldInfo:
    """The canonical form in the schema only: the validator, not the pattern, decides, so a
    bad value still gets the validator's field-and-rule error."""
    info: FieldInfo = Field(
        json_schema_extra={"pattern": pattern}, description=formats.DESCRIPTIONS[kind]
    )
    return info


IdNumber = Annotated[
    str,
    AfterValidator(checked(ids.validate_resident_id, lambda r: r.number)),
    documented(formats.RESIDENT_ID, "resident_id"),
]
Uscc = Annotated[
    str,
    AfterValidator(checked(ids.validate_uscc, lambda u: u.code)),
    documented(formats.USCC, "uscc"),
]
Mobile = Annotated[
    str, AfterValidator(checked(ids.validate_mobile, str)), documented(formats.MOBILE, "mobile")
]
BankCard = Annotated[
    str,
    AfterValidator(checked(ids.validate_bank_card, str)),
    documented(formats.BANK_CARD, "bank_card"),
]
Plate = Annotated[
    str,
    AfterValidator(checked(ids.validate_plate, lambda p: p.plate)),
    documented(formats.PLATE, "plate"),
]
