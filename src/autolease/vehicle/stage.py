"""Vehicle stage (pure): what the VIN, plate and declared figures say today.

Valuation, residual value and insurer history arrive with the vehicle issue; until then the
loan-to-value here is on the asking price, which is marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from autolease.identity.identifiers import IdentifierError, validate_plate, validate_vin
from autolease.origination.pipeline import DecisionContext, Severity

STAGE = "vehicle"
ELECTRIC_FUELS = {"bev": "D", "phev": "F", "fcev": "F", "erev": "F"}


@dataclass(frozen=True)
class VehicleStage:
    name: str = STAGE

    def run(self, ctx: DecisionContext) -> str:
        facts = ctx.facts
        age_days = (ctx.business_date - facts.first_registration_date).days
        ctx.features["vehicle_age_years"] = round(age_days / 365.25, 2)
        ctx.features["vehicle_age_at_maturity_years"] = round(
            age_days / 365.25 + facts.term_months / 12, 2
        )
        ctx.features["mileage_km"] = facts.mileage_km
        ctx.features["ltv_on_asking_price"] = float(
            (facts.amount / facts.asking_price).quantize(Decimal("0.0001"))
        )
        self._check_vin(ctx)
        self._check_plate(ctx)
        if facts.amount > facts.asking_price:
            ctx.add_reason(
                "AMOUNT_ABOVE_PRICE",
                STAGE,
                Severity.REFER,
                "financed amount exceeds the asking price",
                "融资金额高于车辆报价",
            )
        return "LTV on asking price; valuation not yet available"

    def _check_vin(self, ctx: DecisionContext) -> None:
        facts = ctx.facts
        try:
            vin = validate_vin(facts.vin, registration_date=facts.first_registration_date)
        except IdentifierError as err:
            ctx.add_reason(
                "VIN_CHECK_FAILED", STAGE, Severity.DECLINE, err.message_en, err.message_zh
            )
            return
        ctx.features["vin_wmi"] = vin.wmi
        ctx.features["vin_model_year"] = vin.model_year
        if not vin.check_digit_ok:
            ctx.add_reason(
                "VIN_CHECK_DIGIT_WARNING",
                STAGE,
                Severity.REFER,
                "VIN check digit does not match (not mandatory for this origin)",
                "VIN校验位不符（该产地不强制）",
            )
        reg_year = facts.first_registration_date.year
        if vin.model_year is not None and not reg_year - 2 <= vin.model_year <= reg_year + 1:
            ctx.add_reason(
                "VIN_MODEL_YEAR_MISMATCH",
                STAGE,
                Severity.REFER,
                f"VIN model year {vin.model_year} does not fit first registration in {reg_year}",
                f"VIN车型年款{vin.model_year}与初次登记年份{reg_year}不符",
            )

    def _check_plate(self, ctx: DecisionContext) -> None:
        facts = ctx.facts
        if facts.plate is None:
            return
        try:
            plate = validate_plate(facts.plate)
        except IdentifierError as err:
            ctx.add_reason("PLATE_INVALID", STAGE, Severity.REFER, err.message_en, err.message_zh)
            return
        expected = ELECTRIC_FUELS.get(facts.fuel_type or "")
        if facts.fuel_type and plate.nev_power != expected:
            ctx.add_reason(
                "PLATE_POWERTRAIN_MISMATCH",
                STAGE,
                Severity.REFER,
                "plate type does not match the declared powertrain",
                "号牌类型与申报动力类型不符",
            )
