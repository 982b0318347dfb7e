"""Request and response models for products and quotes.

`ProductSpec` is the one shape of a product's terms: the YAML seed, the admin API body and the
JSON stored on each version row all validate through it, and `to_product` builds the pure
`LeaseProduct` (which checks the contract rules of docs/domain.md §1).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from autolease.kit.strict_fields import Amount, Flag, Integer, Number
from autolease.product.catalogue import Eligibility, Fee, FraudBand, LeaseProduct, Pricing
from autolease.product.kinds import FeeType, NewEnergyRule, Payee, ProductType, TitleMode
from autolease.product.schedule import AmortizationMethod, EarlySettlementRule, ScheduleType

Ratio = Annotated[Amount, Field(ge=0, le=1, max_digits=9, decimal_places=6)]
Money = Annotated[Amount, Field(ge=0, max_digits=14, decimal_places=2)]
PositiveMoney = Annotated[Amount, Field(gt=0, max_digits=14, decimal_places=2)]
Grade = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9+-]{0,3}$")]
Code = Annotated[str, Field(min_length=2, max_length=32, pattern=r"^[A-Z0-9][A-Z0-9_-]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DownPaymentSpec(Strict):
    min_ratio: Ratio
    max_ratio: Ratio


class FinancedSpec(Strict):
    min: PositiveMoney
    max: PositiveMoney


class FeeSpec(Strict):
    type: FeeType
    name_zh: str = Field(default="", max_length=40)
    payee: Payee
    fixed: Money = Decimal(0)
    rate: Ratio = Decimal(0)
    financed: Flag = False


ApplicantKind = Literal["individual", "corporate"]


def _both_kinds() -> list[ApplicantKind]:
    return ["individual", "corporate"]


class EligibilitySpec(Strict):
    applicant_kinds: list[ApplicantKind] = Field(default_factory=_both_kinds, min_length=1)
    max_age_plus_term_years: Amount = Field(default=Decimal(8), ge=1, le=15)
    max_mileage_km: Integer = Field(default=150_000, ge=0, le=2_000_000)
    new_energy: NewEnergyRule = NewEnergyRule.ANY
    long_term_above_months: Integer = Field(default=36, ge=6, le=60)
    long_term_max_vehicle_age_years: Amount = Field(default=Decimal(3), ge=0, le=15)
    max_payment_to_income: Ratio = Decimal("0.5")


class FraudBandSpec(Strict):
    min_score: Ratio
    add_rate: Ratio


class PricingSpec(Strict):
    rate_by_grade: dict[Grade, Ratio] = Field(min_length=1)
    expected_loss_by_grade: dict[Grade, Ratio] = Field(min_length=1)
    funding_cost: Ratio
    margin_floor: Ratio
    apr_ceiling: Ratio
    fraud_loading: list[FraudBandSpec] = Field(default_factory=list, max_length=10)


class EarlySettlementSpec(Strict):
    penalty_rate: Ratio = Decimal("0.03")
    penalty_months_interest: Integer = Field(default=0, ge=0, le=12)
    waive_after_payments: Integer | None = Field(default=None, ge=0, le=120)
    validity_days: Integer = Field(default=7, ge=1, le=60)


class ProductTermsSpec(Strict):
    """Everything about a product except its code (what a new version may change)."""

    name_en: str = Field(min_length=1, max_length=200)
    name_zh: str = Field(min_length=1, max_length=200)
    product_type: ProductType
    active: Flag = True
    method: AmortizationMethod = AmortizationMethod.LEVEL_PAYMENT
    schedule_type: ScheduleType = ScheduleType.ARREARS
    title_mode: TitleMode = TitleMode.LESSEE_TITLED_WITH_MORTGAGE
    terms_months: list[Integer] = Field(min_length=1, max_length=10)
    down_payment: DownPaymentSpec
    balloon_ratios: list[Ratio] = Field(default_factory=lambda: [Decimal(0)], min_length=1)
    max_balloon_of_residual: Ratio = Decimal("0.8")
    financed_amount: FinancedSpec
    fees: list[FeeSpec] = Field(default_factory=list, max_length=20)
    eligibility: EligibilitySpec = Field(default_factory=EligibilitySpec)
    ltv_cap_by_grade: dict[Grade, Ratio] = Field(min_length=1)
    pricing: PricingSpec
    early_settlement: EarlySettlementSpec = Field(default_factory=EarlySettlementSpec)


class ProductSpec(ProductTermsSpec):
    code: Code

    def to_product(self, version: int = 1) -> LeaseProduct:
        """The pure product; raises `ProductRuleViolation` listing every broken contract rule."""
        e, p, s = self.eligibility, self.pricing, self.early_settlement
        return LeaseProduct(
            code=self.code,
            name_en=self.name_en,
            name_zh=self.name_zh,
            product_type=self.product_type,
            terms_months=tuple(self.terms_months),
            down_payment_min_ratio=self.down_payment.min_ratio,
            down_payment_max_ratio=self.down_payment.max_ratio,
            balloon_ratios=tuple(self.balloon_ratios),
            ltv_cap_by_grade=dict(self.ltv_cap_by_grade),
            pricing=Pricing(
                rate_by_grade=dict(p.rate_by_grade),
                expected_loss_by_grade=dict(p.expected_loss_by_grade),
                funding_cost=p.funding_cost,
                margin_floor=p.margin_floor,
                apr_ceiling=p.apr_ceiling,
                fraud_loading=tuple(FraudBand(b.min_score, b.add_rate) for b in p.fraud_loading),
            ),
            fees=tuple(
                Fee(f.type, f.payee, f.fixed, f.rate, f.financed, f.name_zh) for f in self.fees
            ),
            eligibility=Eligibility(
                applicant_kinds=tuple(e.applicant_kinds),
                max_age_plus_term_years=e.max_age_plus_term_years,
                max_mileage_km=e.max_mileage_km,
                new_energy=e.new_energy,
                long_term_above_months=e.long_term_above_months,
                long_term_max_vehicle_age_years=e.long_term_max_vehicle_age_years,
                max_payment_to_income=e.max_payment_to_income,
            ),
            method=self.method,
            schedule_type=self.schedule_type,
            title_mode=self.title_mode,
            max_balloon_of_residual=self.max_balloon_of_residual,
            min_financed=self.financed_amount.min,
            max_financed=self.financed_amount.max,
            early_settlement=EarlySettlementRule(
                s.penalty_rate, s.penalty_months_interest, s.waive_after_payments, s.validity_days
            ),
            active=self.active,
            version=version,
        )


class ProductUpdate(Strict):
    """A partial change: the fields given replace the current version's, as a new version."""

    name_en: str | None = Field(default=None, min_length=1, max_length=200)
    name_zh: str | None = Field(default=None, min_length=1, max_length=200)
    active: Flag | None = None
    method: AmortizationMethod | None = None
    schedule_type: ScheduleType | None = None
    title_mode: TitleMode | None = None
    terms_months: list[Integer] | None = Field(default=None, min_length=1, max_length=10)
    down_payment: DownPaymentSpec | None = None
    balloon_ratios: list[Ratio] | None = Field(default=None, min_length=1)
    max_balloon_of_residual: Ratio | None = None
    financed_amount: FinancedSpec | None = None
    fees: list[FeeSpec] | None = Field(default=None, max_length=20)
    eligibility: EligibilitySpec | None = None
    ltv_cap_by_grade: dict[Grade, Ratio] | None = Field(default=None, min_length=1)
    pricing: PricingSpec | None = None
    early_settlement: EarlySettlementSpec | None = None


class ProductRead(BaseModel):
    code: str
    version: int
    product_type: str
    name_en: str
    name_zh: str
    active: bool
    terms: dict[str, Any]
    terms_hash: str
    created_at: datetime
    updated_at: datetime


class ProductVersionRead(BaseModel):
    code: str
    version: int
    terms: dict[str, Any]
    terms_hash: str
    created_at: datetime
    created_by: str


# ---- quotes ---------------------------------------------------------------------------------


class QuoteRequest(Strict):
    """Quote structures without a full application."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "vehicle_price": "99400.00",
                    "valuation_p10": "90000.00",
                    "first_registration_date": "2023-07-19",
                    "mileage_km": 54458,
                    "down_payment_available": "39760.00",
                    "term_months": 36,
                    "monthly_income": "10000.00",
                    "credit_grade": "B",
                }
            ]
        }
    )

    vehicle_price: PositiveMoney = Field(description="The car's price, CNY (车价，元)")
    valuation_p10: PositiveMoney | None = Field(
        default=None, description="Conservative value (P10), CNY; the LTV is taken on it"
    )
    valuation_p50: PositiveMoney | None = Field(default=None, description="Median value, CNY")
    residual_values: dict[int, PositiveMoney] = Field(
        default_factory=dict,
        max_length=12,
        description="Residual value by term (months → CNY), for balloons and operating leases",
    )
    first_registration_date: date = Field(description="First registration date, ISO date")
    mileage_km: Integer = Field(ge=0, le=2_000_000, description="Odometer reading, km")
    fuel_type: str | None = Field(
        default=None, max_length=16, description="Fuel or drive type, e.g. petrol, bev"
    )
    seller_type: Literal["dealer", "individual", "lessee"] = Field(
        default="dealer", description="Who sells the car; lessee = sale-and-leaseback"
    )
    applicant_kind: Literal["individual", "corporate"] = Field(
        default="individual", description="A person or a company"
    )
    product_type: Literal["direct_lease", "sale_leaseback", "operating_lease", "any"] = Field(
        default="any", description="Product wanted; any lets the matcher choose"
    )
    down_payment_available: Money = Field(
        default=Decimal(0), description="The most the applicant can put down, CNY"
    )
    amount: PositiveMoney | None = Field(default=None, description="Amount to finance, CNY")
    term_months: Integer | None = Field(
        default=None, ge=6, le=60, description="Lease term wanted, months"
    )
    flexible_term: Flag = Field(default=False, description="Whether other terms may be offered")
    monthly_budget: PositiveMoney | None = Field(
        default=None, description="The most the applicant wants to pay a month, CNY"
    )
    monthly_income: PositiveMoney | None = Field(
        default=None, description="Monthly income, CNY; for the payment-to-income check"
    )
    credit_grade: Grade | None = Field(default=None, description="Credit grade A-D, for pricing")
    fraud_score: Number | None = Field(
        default=None, ge=0, le=1, description="Fraud score 0-1, for the fraud loading"
    )
    top_n: Integer = Field(default=5, ge=1, le=10, description="How many offers to return")
    include_schedule: Flag = Field(
        default=False, description="Whether each offer carries its repayment schedule"
    )


class QuoteResponse(BaseModel):
    offers: list[dict[str, Any]]
    considered: int
    feasible: int
    binding_constraint: str | None
    changes: list[dict[str, Any]]
    excluded_products: dict[str, str]
    notes: list[dict[str, str]]
    message_en: str | None = None
    message_zh: str | None = None
    catalogue: str
