"""Request and response models of the channel endpoints."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autolease.channel.ledger import EntryKind
from autolease.channel.lifecycle import Item, Status

Money = Field(gt=0, max_digits=14, decimal_places=2)


class DueDiligenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str | None = Field(default=None, min_length=1, max_length=200)
    verified: bool
    note: str | None = Field(default=None, max_length=500)


class DueDiligenceRead(BaseModel):
    item: Item
    value: str | None
    verified: bool
    note: str | None
    recorded_by: str
    recorded_at: datetime


class DueDiligenceReport(BaseModel):
    sp_code: str
    status: Status
    items: list[DueDiligenceRead]
    missing: list[Item]


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status
    reason: str = Field(min_length=3, max_length=500)


class DepositEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: EntryKind
    amount: Decimal = Money
    reference: str = Field(min_length=1, max_length=200)
    contract_id: str | None = Field(default=None, min_length=1, max_length=40)


class DepositEntryRead(BaseModel):
    id: int
    kind: EntryKind
    amount: Decimal
    balance_after: Decimal
    contract_id: str | None
    reference: str
    recorded_by: str
    recorded_at: datetime


class DepositLedger(BaseModel):
    sp_code: str
    balance: Decimal
    entries: list[DepositEntryRead]


class LimitsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    monthly_volume: int | None = Field(default=None, ge=0, le=1_000_000)
    max_amount: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=2)
    products: list[str] | None = Field(default=None, max_length=20)


class LimitsRead(BaseModel):
    sp_code: str
    monthly_volume: int | None
    max_amount: Decimal | None
    products: list[str] | None


class GradeProposalRead(BaseModel):
    id: int
    sp_code: str
    month: str
    grade: str
    previous_grade: str
    rule: str
    figures: dict[str, Any]
    actions: list[str]
    policy_version: str
    status: str
    decided_by: str | None
    decided_at: datetime | None


class GradeDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirm: bool
    note: str | None = Field(default=None, max_length=500)


class GradeRun(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")
