from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from autolease.channel.lifecycle import Status
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
