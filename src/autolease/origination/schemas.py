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
from autolease.origination.example import sample_body

Money = Annotated[Amount, Field(ge=0, max_digits=14, decimal_places=2)]
PositiveMoney = Annotated[Amount, Field(gt=0, max_digits=14, decimal_places=2)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
EXAMPLE_APPLICATION: JsonDict = sample_body()


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
    INFO_REQUESTED = "info_requested"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CONTRACTED = "contracted"


class Address(Strict):
    province: str = Field(
        min_length=2, max_length=20, description="Province (省), e.g. 广东", examples=["广东"]
    )
    city: str = Field(
        min_length=1, max_length=40, description="City (市), e.g. 广州市", examples=["广州市"]
    )
    line: str = Field(
        min_length=1, max_length=200, description="Street address below the city (详细地址)"
    )


class EmergencyContact(Strict):
    name: Name = Field(description="The contact's full name (紧急联系人姓名)")
    phone: Mobile
    relation: Literal["spouse", "parent", "child", "sibling", "relative", "friend", "colleague"] = (
        Field(description="How the contact is related to the applicant")
    )


class LeadSource(Strict):
    type: LeadSourceType = Field(
        default=LeadSourceType.SP, description="Where the lead came from (sp: the SP itself)"
    )
    partner_name: str | None = Field(
        default=None,
        max_length=100,
        description="The referring partner's name; a referral names its partner by this or "
        "by partner_code",
    )
    partner_code: str | None = Field(
        default=None,
        pattern=r"^[A-Z0-9][A-Z0-9_-]{1,31}$",
        description="The code of a registered lead-source partner (GET /v1/partners): the "
        "application is attributed to it, and a booked contract earns it its referral fee. "
        "An unknown or inactive code is refused. Implies type partner_referral",
        examples=["PICC-AGENTS"],
    )

    @model_validator(mode="after")
    def _partner_named(self) -> LeadSource:
        if self.partner_code is not None:
            if "type" not in self.model_fields_set:
                self.type = LeadSourceType.PARTNER_REFERRAL
            elif self.type != LeadSourceType.PARTNER_REFERRAL:
                raise rule_error(
                    "referral_only",
                    "partner_code is for a partner referral (type partner_referral)",
                    "只有合作方推荐(partner_referral)可填写合作方代码",
                    field="partner_code",
                )
        named = self.partner_name or self.partner_code
        if self.type == LeadSourceType.PARTNER_REFERRAL and not named:
            raise rule_error(
                "required_for_referral",
                "partner_name or partner_code is required for a partner referral",
                "合作方推荐必须填写合作方名称或代码",
                field="partner_name",
            )
        return self


class IndividualApplicant(Strict):
    type: Literal["individual"] = Field(description="A natural person (个人)")
    name: Name = Field(description="Full name as on the resident ID card (姓名)")
    id_number: IdNumber
    phone: Mobile
    bank_card: BankCard
    address: Address = Field(description="Home address (居住地址)")
    employer: str | None = Field(default=None, max_length=200, description="Employer (工作单位)")
    monthly_income: Money = Field(description="Declared monthly income, CNY (月收入，元)")
    declared_birth_date: date | None = Field(
        default=None, description="Birth date as declared, ISO date; checked against the ID"
    )
    declared_gender: Literal["M", "F"] | None = Field(
        default=None, description="Gender as declared (M/F); checked against the ID"
    )
    emergency_contacts: list[EmergencyContact] = Field(
        default_factory=list, max_length=5, description="Up to 5 emergency contacts"
    )


class LegalRepresentative(Strict):
    name: Name = Field(description="The legal representative's full name (法定代表人)")
    id_number: IdNumber
    phone: Mobile


class CorporateApplicant(Strict):
    type: Literal["corporate"] = Field(description="A company (企业)")
    name: str = Field(min_length=2, max_length=200, description="Registered company name")
    uscc: Uscc
    legal_representative: LegalRepresentative = Field(
        description="The person the identity checks are run on"
    )
    phone: Mobile
    bank_card: BankCard
    address: Address = Field(description="Registered address (注册地址)")
    monthly_income: Money | None = Field(
        default=None, description="Monthly revenue, CNY (月营业收入，元)"
    )
    emergency_contacts: list[EmergencyContact] = Field(
        default_factory=list, max_length=5, description="Up to 5 emergency contacts"
    )


Applicant = Annotated[IndividualApplicant | CorporateApplicant, Field(discriminator="type")]


class Seller(Strict):
    type: Literal["dealer", "individual", "lessee"] = Field(
        description="Who sells the car; lessee = sale-and-leaseback of the applicant's own car"
    )
    name: str | None = Field(default=None, max_length=200, description="The seller's name")


class VehicleIn(Strict):
    first_registration_date: date = Field(
        description="First registration date (初次登记日期), ISO date, from 1980"
    )
    vin: str = Field(
        min_length=1,
        max_length=20,
        json_schema_extra=VIN_DOCUMENTED,
        description=formats.DESCRIPTIONS["vin"],
    )
    plate: Plate | None = Field(default=None, description="Licence plate (号牌), if registered")
    brand: str = Field(min_length=1, max_length=50, description="Make (品牌), e.g. 本田")
    model: str = Field(min_length=1, max_length=80, description="Model (车型), e.g. 雅阁")
    trim: str | None = Field(default=None, max_length=120, description="Trim or version (配置)")
    fuel_type: FuelType | None = Field(
        default=None, description="Fuel or drive type; bev/phev/erev/fcev are new-energy"
    )
    mileage_km: Integer = Field(ge=0, le=2_000_000, description="Odometer reading, km")
    asking_price: PositiveMoney = Field(description="The car's selling price, CNY (车价，元)")
    invoice_price: PositiveMoney | None = Field(
        default=None, description="Price on the purchase invoice, CNY, if any"
    )
    seller: Seller = Field(description="Who sells the car")

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
    product_type: ProductType = Field(
        default=ProductType.ANY, description="Lease product wanted; any lets the matcher choose"
    )
    amount: PositiveMoney = Field(description="Amount to finance, CNY (融资额，元)")
    term_months: Integer = Field(ge=6, le=60, description="Lease term, months (6-60)")
    down_payment: Money = Field(description="Down payment, CNY (首付，元); below the asking price")
    monthly_budget: PositiveMoney | None = Field(
        default=None, description="The most the applicant wants to pay a month, CNY"
    )
    balloon_wanted: Flag = Field(default=False, description="Whether a final balloon is wanted")


class DeviceInfo(Strict):
    fingerprint_id: str | None = Field(
        default=None, max_length=128, description="Id from the device collector (collector.js)"
    )
    ip: IPvAnyAddress | None = Field(default=None, description="The applicant's IP address")
    user_agent: str | None = Field(
        default=None, max_length=500, description="The applicant's browser User-Agent"
    )
    gps_lat: Number | None = Field(default=None, ge=-90, le=90, description="Latitude, degrees")
    gps_lon: Number | None = Field(default=None, ge=-180, le=180, description="Longitude, degrees")
    signals: DeviceSignals = Field(
        default_factory=dict, description="Raw collector signals (name → value), up to 64"
    )


class ConsentGiven(Strict):
    """Two separate consents, each explicit: personal information (required to apply) and
    biometrics (sensitive personal information; required only to send biometric samples)."""

    personal_information: Flag = Field(description="Consent to processing personal information")
    biometrics: Flag = Field(default=False, description="Separate consent to face and voice data")

    @model_validator(mode="after")
    def _personal_information_given(self) -> ConsentGiven:
        if not self.personal_information:
            raise rule_error(
                "consent_required",
                "the applicant must consent to the processing of personal information",
                "申请人须同意处理个人信息",
                field="personal_information",
            )
        return self


class ApplicantConsent(ConsentGiven):
    """The applicant's consents as the SP obtained them, with the version of the text the
    applicant agreed to."""

    text_version: str = Field(
        min_length=1,
        max_length=32,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="The version of the consent text the applicant agreed to (the SP's own)",
    )


class ApplicationCreate(Strict):
    """A lease application (docs/examples/application.json is a complete one)."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_APPLICATION]})

    lead_source: LeadSource = Field(
        default_factory=LeadSource, description="Where the lead came from"
    )
    applicant: Applicant = Field(description="The lessee: a person or a company")
    vehicle: VehicleIn = Field(description="The used car to be leased")
    financing: FinancingRequest = Field(description="What the applicant asks to finance")
    device: DeviceInfo = Field(
        default_factory=DeviceInfo, description="The device the application was made on"
    )
    biometrics: BiometricSamplesIn | None = Field(
        default=None, description="Face, liveness and voice samples, base64 (optional)"
    )
    consent: ApplicantConsent | None = Field(
        default=None,
        description="The applicant's consents, recorded with the application (optional; "
        "when given, biometric samples need `biometrics: true`)",
    )

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

    @model_validator(mode="after")
    def _biometrics_need_their_consent(self) -> ApplicationCreate:
        if self.biometrics is not None and self.consent is not None and not self.consent.biometrics:
            raise rule_error(
                "biometric_consent_required",
                "biometric samples need the applicant's separate consent",
                "采集人脸和声纹须另行取得申请人的单独同意",
                field="consent.biometrics",
            )
        return self


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


class FinalOutcome(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"


class DecidedBy(StrEnum):
    """Who gave the final outcome, as a role: never a staff username."""

    SYSTEM = "system"
    REVIEWER = "reviewer"
    STAFF = "staff"


class ChecklistItemRead(BaseModel):
    kind: str
    text: str | None = None


class InformationRequestRead(BaseModel):
    """What a reviewer asked the SP to provide (the SP answers it with documents)."""

    model_config = ConfigDict(extra="forbid")

    items: list[ChecklistItemRead]
    message: str | None
    requested_at: datetime
    answered_at: datetime | None


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
    final_outcome: FinalOutcome | None = Field(
        default=None,
        description="The outcome in force: the policy's own approve or decline, or the"
        " reviewer's verdict on a referred application (`decision.outcome` keeps the"
        " policy's outcome). None while the application waits for a reviewer.",
    )
    decided_by_role: DecidedBy | None = Field(
        default=None, description="Who gave the final outcome, as a role."
    )
    final_decided_at: datetime | None = None
    approved_offer: dict[str, Any] | None = Field(
        default=None,
        description="The offer a reviewer approved on a changed structure (else None).",
    )
    review_message: str | None = Field(
        default=None, description="The reviewer's message to the SP, if any."
    )
    information_request: InformationRequestRead | None = Field(
        default=None, description="The open or last request for information, if any."
    )


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
    final_outcome: FinalOutcome | None = None
    decided_by_role: DecidedBy | None = None


class ApplicationPage(BaseModel):
    items: list[ApplicationSummary]
    next_cursor: str | None


class WithdrawRequest(Strict):
    note: str | None = Field(default=None, max_length=500)
