from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from autolease.channel.lifecycle import Status
from autolease.dealer.origins import OriginInvalid, canonical_origin
from autolease.identity.schemas import rule_error
from autolease.kit.strict_fields import Amount, Flag


class SpGrade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


SpStatus = Status  # prospect | active | watch | suspended | terminated (channel.lifecycle)


class SpCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=32, pattern=r"^[A-Z0-9][A-Z0-9_-]*$")
    name: str = Field(min_length=1, max_length=200)
    region: str = Field(min_length=1, max_length=64)
    grade: SpGrade = SpGrade.B
    deposit_balance: Amount = Field(default=Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    onboarding: Flag = False  # True: starts as a prospect until its due diligence is complete


class SpUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    grade: SpGrade | None = None
    status: SpStatus | None = None


class SpRead(BaseModel):
    code: str
    name: str
    region: str
    grade: SpGrade
    status: SpStatus
    deposit_balance: Decimal
    currency: str
    created_at: datetime


def _canonical(values: list[str]) -> list[str]:
    out: list[str] = []
    for i, value in enumerate(values):
        try:
            origin = canonical_origin(value)
        except OriginInvalid as err:
            raise rule_error(
                "origin", str(err), "不是有效的网页来源（scheme://host[:port]）", field=str(i)
            ) from None
        if origin not in out:
            out.append(origin)
    return out


class OriginsIn(BaseModel):
    """The whole allow-list of an SP's web origins (replaces the previous one)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"origins": ["https://h5.sp-example.cn"]}]},
    )

    origins: list[Annotated[str, Field(max_length=255)]] = Field(
        max_length=20,
        description="Origins (scheme://host[:port]) whose pages may call the API; up to 20",
    )

    @field_validator("origins")
    @classmethod
    def _origins(cls, values: list[str]) -> list[str]:
        return _canonical(values)


class OriginsRead(BaseModel):
    sp_code: str
    origins: list[str]
