"""Request and response models of the channel endpoints."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autolease.channel.fees import FeeEntryKind, FeeKind
from autolease.channel.ledger import EntryKind
from autolease.channel.lifecycle import Item, Status

Money = Field(gt=0, max_digits=14, decimal_places=2)


class StaffRole(StrEnum):
    STAFF = "staff"
    SELLER = "seller"


class PartnerKind(StrEnum):
    INSURER_AGENTS = "insurer_agents"
    AUTO_PORTAL = "auto_portal"
    DEALER_GROUP = "dealer_group"
    OTHER = "other"


class PartnerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


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


PARTNER_CODE = r"^[A-Z0-9][A-Z0-9_-]{1,31}$"


class StaffPhoneIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"phone": "13800138000", "role": "seller"}]},
    )

    phone: str = Field(
        pattern=r"^1[3-9]\d{9}$",
        description="Mainland mobile number of the SP's staff member or seller (11 digits)",
        examples=["13800138000"],
    )
    role: StaffRole = Field(description="staff (员工) or seller (销售)", examples=["seller"])


class StaffPhoneRead(BaseModel):
    id: int
    role: StaffRole
    phone: str  # masked
    added_by: str
    added_at: datetime


class PartnerIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "PICC-AGENTS",
                    "name": "某保险公司代理人渠道",
                    "kind": "insurer_agents",
                    "fee_kind": "percent",
                    "fee_rate": "0.015",
                }
            ]
        },
    )

    code: str = Field(
        pattern=PARTNER_CODE,
        description="The partner's code, quoted at intake as lead_source.partner_code",
        examples=["PICC-AGENTS"],
    )
    name: str = Field(
        min_length=1, max_length=100, description="Display name", examples=["某保险公司代理人渠道"]
    )
    kind: PartnerKind = Field(
        description="What sort of lead source it is", examples=["auto_portal"]
    )
    fee_kind: FeeKind = Field(
        description="fixed: fee_fixed yuan per booked contract; percent: fee_rate of the "
        "financed amount",
        examples=["percent"],
    )
    fee_fixed: Decimal | None = Field(
        default=None,
        gt=0,
        max_digits=12,
        decimal_places=2,
        description="Yuan per booked contract (fixed fees only)",
        examples=["800.00"],
    )
    fee_rate: Decimal | None = Field(
        default=None,
        gt=0,
        le=Decimal("0.2"),
        max_digits=7,
        decimal_places=6,
        description="Share of the financed amount, 0.015 = 1.5 % (percent fees only)",
        examples=["0.015"],
    )


class PartnerPatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"status": "inactive"}]}
    )

    name: str | None = Field(
        default=None, min_length=1, max_length=100, description="Display name", examples=["新名称"]
    )
    status: PartnerStatus | None = Field(
        default=None,
        description="inactive: intake refuses its code (its history stays)",
        examples=["inactive"],
    )
    fee_kind: FeeKind | None = Field(default=None, description="New fee rule kind")
    fee_fixed: Decimal | None = Field(
        default=None, gt=0, max_digits=12, decimal_places=2, description="Yuan per contract"
    )
    fee_rate: Decimal | None = Field(
        default=None,
        gt=0,
        le=Decimal("0.2"),
        max_digits=7,
        decimal_places=6,
        description="Share of the financed amount",
    )


class PartnerRead(BaseModel):
    code: str
    name: str
    kind: PartnerKind
    status: PartnerStatus
    fee_kind: FeeKind
    fee_fixed: Decimal | None
    fee_rate: Decimal | None
    created_at: datetime


class PayoutIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"amount": "2500.00", "reference": "2026-11 结算单"}]},
    )

    amount: Decimal = Field(
        gt=0, max_digits=14, decimal_places=2, description="Yuan paid out", examples=["2500.00"]
    )
    reference: str = Field(
        min_length=1, max_length=200, description="Payment reference", examples=["2026-11 结算"]
    )


class FeeEntryRead(BaseModel):
    id: int
    kind: FeeEntryKind
    amount: Decimal
    balance_after: Decimal
    contract_id: str | None
    reference: str
    recorded_by: str
    recorded_at: datetime


class FeeLedger(BaseModel):
    partner_code: str
    balance: Decimal
    entries: list[FeeEntryRead]


class PerformanceRow(BaseModel):
    """One SP's or partner's figures at a month end: raw rates and ratios to peers."""

    code: str
    month: str
    contracts: int
    volume: int
    rates: dict[str, float | None]
    ratios: dict[str, float | None]


class SpMonth(BaseModel):
    """One graded month of an SP: the proposal, its figures and its actions and alerts."""

    month: str
    grade: str
    rule: str
    status: str
    actions: list[str]
    alerts: list[str]
    figures: dict[str, Any]


class SpHistory(BaseModel):
    sp_code: str
    name: str
    status: str
    grade: str
    months: list[SpMonth]


class SpSummary(BaseModel):
    """An SP's current grade and its latest proposal's alerts, for the console's SP list."""

    sp_code: str
    name: str
    status: str
    grade: str
    latest_month: str | None
    proposed_grade: str | None
    proposal_status: str | None
    rule: str | None
    actions: list[str]
    alerts: list[str]
    collusion: dict[str, Any]
