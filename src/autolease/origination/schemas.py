"""Request and response models for applications.

Identifiers are validated by the pure functions in `identity.identifiers`; a failure names the
field and the rule in English and Chinese. Responses carry personal data only in masked form.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    IPvAnyAddress,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from autolease.fraud.schemas import DeviceSignals
from autolease.identity import formats
from autolease.identity import identifiers as ids
from autolease.identity.biometrics.schemas import BiometricSamplesIn
from autolease.identity.schemas import BankCard, IdNumber, Mobile, Plate, Uscc, rule_error
from autolease.kit.ids import id_pattern
from autolease.kit.strict_fields import Amount, Flag, Integer, Number

Money = Annotated[Amount, Field(ge=0, max_digits=14, decimal_places=2)]
PositiveMoney = Annotated[Amount, Field(gt=0, max_digits=14, decimal_places=2)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LeadSourceType(StrEnum):
    SP = "sp"
    PARTNER_REFERRAL = "partner_referral"
    DIRECT = "direct"


class ProductType(StrEnum):
    DIRECT_LEASE = "direct_lease"
    SALE_LEASEBACK = "sale_leaseback"
    OPERATING_LEASE = "operating_lease"
    ANY = "any"


class FuelType(StrEnum):
    PETROL = "petrol"
    DIESEL = "diesel"
    HEV = "hev"
    PHEV = "phev"
    BEV = "bev"
    EREV = "erev"
    FCEV = "fcev"
    OTHER = "other"


ApplicationId = Annotated[str, Field(json_schema_extra={"pattern": id_pattern("app")})]
DecisionId = Annotated[str, Field(json_schema_extra={"pattern": id_pattern("dec")})]
VIN_DOCUMENTED: JsonDict = {"pattern": formats.VIN}


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REFERRED = "referred"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CONTRACTED = "contracted"


class Address(Strict):
    province: str = Field(min_length=2, max_length=20)
    city: str = Field(min_length=1, max_length=40)
    line: str = Field(min_length=1, max_length=200)


class EmergencyContact(Strict):
    name: Name
    phone: Mobile
    relation: Literal["spouse", "parent", "child", "sibling", "relative", "friend", "colleague"]


class LeadSource(Strict):
    type: LeadSourceType = LeadSourceType.SP
    partner_name: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _partner_named(self) -> LeadSource:
        if self.type == LeadSourceType.PARTNER_REFERRAL and not self.partner_name:
            raise rule_error(
                "required_for_referral",
                "partner_name is required for a partner referral",
                "合作方推荐必须填写合作方名称",
                field="partner_name",
            )
        return self


class IndividualApplicant(Strict):
    type: Literal["individual"]
    name: Name
    id_number: IdNumber
    phone: Mobile
    bank_card: BankCard
    address: Address
    employer: str | None = Field(default=None, max_length=200)
    monthly_income: Money
    declared_birth_date: date | None = None
    declared_gender: Literal["M", "F"] | None = None
    emergency_contacts: list[EmergencyContact] = Field(default_factory=list, max_length=5)


class LegalRepresentative(Strict):
    name: Name
    id_number: IdNumber
    phone: Mobile


class CorporateApplicant(Strict):
    type: Literal["corporate"]
    name: str = Field(min_length=2, max_length=200)
    uscc: Uscc
    legal_representative: LegalRepresentative
    phone: Mobile
    bank_card: BankCard
    address: Address
    monthly_income: Money | None = None
    emergency_contacts: list[EmergencyContact] = Field(default_factory=list, max_length=5)


Applicant = Annotated[IndividualApplicant | CorporateApplicant, Field(discriminator="type")]


class Seller(Strict):
    type: Literal["dealer", "individual", "lessee"]
    name: str | None = Field(default=None, max_length=200)


class VehicleIn(Strict):
    first_registration_date: date
    vin: str = Field(
        min_length=1,
        max_length=20,
        json_schema_extra=VIN_DOCUMENTED,
        description=formats.DESCRIPTIONS["vin"],
    )
    plate: Plate | None = None
    brand: str = Field(min_length=1, max_length=50)
    model: str = Field(min_length=1, max_length=80)
    trim: str | None = Field(default=None, max_length=120)
    fuel_type: FuelType | None = None
    mileage_km: Integer = Field(ge=0, le=2_000_000)
    asking_price: PositiveMoney
    invoice_price: PositiveMoney | None = None
    seller: Seller

    @field_validator("first_registration_date")
    @classmethod
    def _registered_after_1980(cls, value: date) -> date:
        if value.year < 1980:
            raise rule_error("too_early", "first registration is before 1980", "初次登记早于1980年")
        return value

    @field_validator("vin")
    @classmethod
    def _vin_is_valid(cls, value: str, info: ValidationInfo) -> str:
        registered = info.data.get("first_registration_date")
        try:
            return ids.validate_vin(value, registration_date=registered).vin
        except ids.IdentifierError as err:
            raise rule_error(err.rule, err.message_en, err.message_zh) from None


class FinancingRequest(Strict):
    product_type: ProductType = ProductType.ANY
    amount: PositiveMoney
    term_months: Integer = Field(ge=6, le=60)
    down_payment: Money
    monthly_budget: PositiveMoney | None = None
    balloon_wanted: Flag = False


class DeviceInfo(Strict):
    fingerprint_id: str | None = Field(default=None, max_length=128)
    ip: IPvAnyAddress | None = None
    user_agent: str | None = Field(default=None, max_length=500)
    gps_lat: Number | None = Field(default=None, ge=-90, le=90)
    gps_lon: Number | None = Field(default=None, ge=-180, le=180)
    signals: DeviceSignals = Field(default_factory=dict)


class ApplicationCreate(Strict):
    lead_source: LeadSource = Field(default_factory=LeadSource)
    applicant: Applicant
    vehicle: VehicleIn
    financing: FinancingRequest
    device: DeviceInfo = Field(default_factory=DeviceInfo)
    biometrics: BiometricSamplesIn | None = None

    @field_validator("financing")
    @classmethod
    def _down_payment_below_price(
        cls, value: FinancingRequest, info: ValidationInfo
    ) -> FinancingRequest:
        vehicle = info.data.get("vehicle")
        if vehicle is not None and value.down_payment >= vehicle.asking_price:
            raise rule_error(
                "below_asking_price",
                "down payment must be below the asking price",
                "首付款必须低于车辆报价",
                field="down_payment",
            )
        return value


# ---- responses -------------------------------------------------------------------------------


class ReasonRead(BaseModel):
    code: str
    stage: str
    severity: str
    message_en: str
    message_zh: str


class PolicyRead(BaseModel):
    key: str
    version: str
    content_hash: str


class DecisionRead(BaseModel):
    id: DecisionId
    outcome: Literal["approve", "refer", "decline"]
    reasons: list[ReasonRead]
    offers: list[dict[str, Any]]
    policy: PolicyRead
    model_versions: dict[str, str]
    decided_at: datetime


class DecisionDetailRead(DecisionRead):
    """For staff: the features and the stage-by-stage trace behind the decision."""

    features: dict[str, Any]
    trace: list[dict[str, Any]]


class ApplicantRead(BaseModel):
    kind: str
    name: str
    id_number: str | None
    uscc: str | None
    phone: str
    bank_card: str
    province: str
    city: str
    age: int | None
    gender: str | None


class VehicleRead(BaseModel):
    vin: str
    plate: str | None
    brand: str
    model: str
    first_registration_date: date
    mileage_km: int
    asking_price: Decimal


class FinancingRead(BaseModel):
    product_type: str
    amount: Decimal
    term_months: int
    down_payment: Decimal
    monthly_budget: Decimal | None


class SpActor(StrEnum):
    """Who moved an application, as its SP is told: a role, never a staff username."""

    SP = "sp"
    REVIEWER = "reviewer"
    STAFF = "staff"
    SYSTEM = "system"


class StatusEventRead(BaseModel):
    """A status change as the SP sees it. There is no note: staff notes are internal."""

    model_config = ConfigDict(extra="forbid")

    from_status: str | None
    to_status: str
    actor: SpActor
    occurred_at: datetime


class StaffStatusEventRead(BaseModel):
    """A status change as staff see it: who (``user:<name>``, ``apikey:<prefix>``) and why."""

    from_status: str | None
    to_status: str
    actor: str
    occurred_at: datetime
    note: str | None


class ApplicationCore(BaseModel):
    id: ApplicationId
    sp_code: str
    status: ApplicationStatus
    lead_source: str
    submitted_at: datetime
    applicant: ApplicantRead
    vehicle: VehicleRead
    financing: FinancingRead
    decision: DecisionRead | None


class ApplicationRead(ApplicationCore):
    """An application as its SP sees it (every SP-facing endpoint): no staff note and no
    staff username can be put in it."""

    status_history: list[StatusEventRead]


class ApplicationStaffRead(ApplicationCore):
    """An application as staff see it: the status history with actors and notes."""

    status_history: list[StaffStatusEventRead]


class ApplicationSummary(BaseModel):
    id: ApplicationId
    sp_code: str
    status: ApplicationStatus
    submitted_at: datetime
    applicant_name: str
    vin: str
    amount: Decimal
    outcome: str | None


class ApplicationPage(BaseModel):
    items: list[ApplicationSummary]
    next_cursor: str | None


class WithdrawRequest(Strict):
    note: str | None = Field(default=None, max_length=500)
