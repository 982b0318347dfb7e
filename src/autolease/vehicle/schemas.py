"""Request and response models of the vehicle appraisal endpoints."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from autolease.identity import formats
from autolease.kit.strict_fields import Amount, Integer

PositiveMoney = Annotated[Amount, Field(gt=0, max_digits=14, decimal_places=2)]


class AppraisalIn(BaseModel):
    """A used car to value (P10/P50/P90), with the price and financing to compare, if any."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "vin": "LHGF43ES0PF577814",
                    "brand": "本田",
                    "model": "雅阁",
                    "first_registration_date": "2023-07-19",
                    "mileage_km": 54458,
                    "fuel_type": "petrol",
                    "region": "广东",
                    "asking_price": "99400.00",
                    "amount": "59640.00",
                    "term_months": 36,
                }
            ]
        },
    )

    vin: str = Field(
        min_length=1,
        max_length=20,
        json_schema_extra={"pattern": formats.VIN},
        description=formats.DESCRIPTIONS["vin"],
    )
    brand: str = Field(min_length=1, max_length=50, description="Make (品牌), e.g. 本田")
    model: str | None = Field(default=None, max_length=80, description="Model (车型), e.g. 雅阁")
    first_registration_date: date = Field(description="First registration date, ISO date")
    mileage_km: Integer = Field(ge=0, le=2_000_000, description="Odometer reading, km")
    fuel_type: str | None = Field(
        default=None, max_length=20, description="Fuel or drive type, e.g. petrol, bev"
    )
    transmission: str | None = Field(
        default=None, max_length=20, description="Gearbox, e.g. manual, automatic"
    )
    region: str | None = Field(
        default=None, max_length=40, description="Province the car is sold in, e.g. 广东"
    )
    asking_price: PositiveMoney | None = Field(
        default=None, description="The car's selling price, CNY; gives price-to-value"
    )
    amount: PositiveMoney | None = Field(
        default=None, description="Amount to finance, CNY; gives the loan-to-value"
    )
    term_months: Integer | None = Field(
        default=None, ge=12, le=48, description="Lease term, months; gives the residual value"
    )


class VinDecodeOut(BaseModel):
    vin: str
    wmi: str
    vds: str
    vis: str
    check_digit_ok: bool
    model_year: int | None
    warnings: list[str]
    manufacturer: str | None
    country: str | None
    region: str | None
    brands: list[str]
    brand_names: list[str]


class ValuationOut(BaseModel):
    p10: Decimal
    p50: Decimal
    p90: Decimal
    model: str


class ResidualOut(BaseModel):
    term_months: int
    age_years_at_end: float
    mileage_km_at_end: float
    p10: Decimal
    p50: Decimal
    p90: Decimal
    rate: float
    extrapolated_years: float
    method: str


class HistoryOut(BaseModel):
    available: bool
    score: int | None
    accident_grade: int
    flood: bool
    fire: bool
    total_loss: bool
    severe_accident: bool
    odometer_rollback: bool
    claims: int
    transfers: int
    last_odometer_km: int | None


class LtvOut(BaseModel):
    ratio: float
    basis: str
    basis_value: Decimal


class ReasonOut(BaseModel):
    code: str
    severity: str
    message_en: str
    message_zh: str


class AppraisalOut(BaseModel):
    decode: VinDecodeOut
    brand_agreement: str
    age_years: float
    valuation: ValuationOut | None
    residual: ResidualOut | None
    history: HistoryOut
    ltv: LtvOut | None
    reasons: list[ReasonOut]
