"""Vehicle stage (pure): VIN and brand, plate, history, valuation, residual value and LTV.

The stage is built with its dependencies injected (``build_vehicle_stage`` in ``service.py``
wires them from settings): a ``Valuer`` (or None when no model is registered), a
``HistoryProvider`` and the LTV basis chosen by policy. It reads only the application facts
and writes features and reason codes; nothing here touches the clock, files or the network
(the history provider of the book is an in-memory index built before the pipeline runs; a
remote provider is called through a `kit.guard.ProviderGuard`, whose `ProviderFailed` the
stage turns into HISTORY_CHECK_TIMEOUT or HISTORY_CHECK_UNAVAILABLE).

Reason codes (stage ``vehicle``):

=========================  ========  =====================================================
code                       severity  when
=========================  ========  =====================================================
VIN_CHECK_FAILED           decline   the VIN fails validation (check digit for CN/NA VINs)
VIN_CHECK_DIGIT_WARNING    refer     check digit wrong where it is not mandatory (imports)
VIN_MODEL_YEAR_MISMATCH    refer     VIN model year not within 2 before / 1 after first
                                     registration
BRAND_MISMATCH             refer     declared brand is not one the WMI's maker builds
WMI_UNKNOWN                info      the WMI is not in our table (no brand check possible)
PLATE_INVALID              refer     plate fails validation
PLATE_POWERTRAIN_MISMATCH  refer     NEV plate type does not fit the declared powertrain
AMOUNT_ABOVE_PRICE         refer     financed amount above the asking price
VALUATION_UNAVAILABLE      refer     no valuation model (LTV falls back to asking price);
                                     ``unavailable_severity`` can lower it (demo, dev)
PRICE_ABOVE_VALUE          refer     asking price > P50 × price_tolerance (1.15)
INVOICE_ABOVE_VALUE        refer     invoice price > P50 × price_tolerance (docs/domain.md §6.7)
LTV_ABOVE_LIMIT            refer     LTV on the policy basis above ``max_ltv``
history findings           …         see ``history.py`` (FLOOD_DAMAGE, ODOMETER_ROLLBACK …,
                                     HISTORY_CHECK_TIMEOUT when a guarded provider fails)
=========================  ========  =====================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autolease.identity.identifiers import IdentifierError, validate_plate
from autolease.kit.guard import ProviderFailed
from autolease.origination.pipeline import ApplicationFacts, DecisionContext, Severity
from autolease.vehicle.features import (
    Valuation,
    ValuationError,
    ValuationInput,
    Valuer,
    round_to,
)
from autolease.vehicle.history import (
    EmptyHistoryProvider,
    HistoryAssessment,
    HistoryProvider,
    assess_history,
)
from autolease.vehicle.ltv import RATIO_STEP, LtvBasis, compute_ltv
from autolease.vehicle.residual import value_with_residual
from autolease.vehicle.vin import brand_agreement, decode_vin

STAGE = "vehicle"
ELECTRIC_FUELS = {"bev": "D", "phev": "F", "fcev": "F", "erev": "F"}
NO_VALUATION_NOTE = "LTV on asking price; valuation not yet available"


def _days_to_years(days: int) -> float:
    return days / 365.25


@dataclass(frozen=True)
class VehicleStage:
    valuer: Valuer | None = None
    history: HistoryProvider = field(default_factory=EmptyHistoryProvider)
    ltv_basis: LtvBasis = "p10"
    price_tolerance: float = 1.15
    max_ltv: float | None = None
    unavailable_severity: Severity = Severity.REFER
    name: str = STAGE

    def run(self, ctx: DecisionContext) -> str:
        facts = ctx.facts
        age_years = _days_to_years((ctx.business_date - facts.first_registration_date).days)
        ctx.features["vehicle_age_years"] = round_to(age_years, 2)
        ctx.features["vehicle_age_at_maturity_years"] = round_to(
            age_years + facts.term_months / 12, 2
        )
        ctx.features["mileage_km"] = facts.mileage_km
        ctx.features["ltv_on_asking_price"] = float(
            (facts.amount / facts.asking_price).quantize(RATIO_STEP)
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
        assessment = self._history(ctx, age_years)
        valuation = self._valuation(ctx, age_years, assessment)
        self._ltv(ctx, valuation)
        if valuation is None:
            return NO_VALUATION_NOTE
        return f"valued by {valuation.model_ref}; LTV on {self.ltv_basis}"

    # ------------------------------------------------------------------ identity of the car

    def _check_vin(self, ctx: DecisionContext) -> None:
        facts = ctx.facts
        try:
            vin = decode_vin(facts.vin, registered=facts.first_registration_date)
        except IdentifierError as err:
            ctx.add_reason(
                "VIN_CHECK_FAILED", STAGE, Severity.DECLINE, err.message_en, err.message_zh
            )
            return
        ctx.features["vin_wmi"] = vin.wmi
        ctx.features["vin_model_year"] = vin.model_year
        ctx.features["vin_manufacturer"] = vin.manufacturer
        ctx.features["vin_country"] = vin.country
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
        agreement = brand_agreement(facts.brand, vin)
        ctx.features["vin_brand_agreement"] = agreement
        if not vin.wmi_known:
            ctx.add_reason(
                "WMI_UNKNOWN",
                STAGE,
                Severity.INFO,
                "the VIN's manufacturer code is not in our table; brand not cross-checked",
                "VIN厂商代码不在对照表中，未核对品牌",
            )
        elif agreement == "mismatch":
            makers = "/".join(vin.brand_names())
            ctx.add_reason(
                "BRAND_MISMATCH",
                STAGE,
                Severity.REFER,
                f"declared brand does not match the VIN's manufacturer ({vin.manufacturer}: "
                f"{makers})",
                f"申报品牌与VIN厂商（{vin.manufacturer}：{makers}）不符",
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

    # ------------------------------------------------------------------ history

    def _history(self, ctx: DecisionContext, age_years: float) -> HistoryAssessment:
        facts = ctx.facts
        failure = None
        try:
            record = self.history.lookup(facts.vin, as_of=ctx.business_date)
        except ProviderFailed as failed:  # a guarded provider (see vehicle/service.py)
            record, failure = None, failed.status.value
            ctx.features["history_status"] = failure
        assessment = assess_history(
            record,
            declared_km=facts.mileage_km,
            age_years=age_years,
            as_of=ctx.business_date,
            value_hint=float(facts.asking_price),
            failure=failure,
        )
        ctx.features["history_source"] = self.history.name
        ctx.features["history_score"] = assessment.score
        ctx.features["history_accident_grade"] = assessment.accident_grade
        ctx.features["history_claims"] = assessment.claims
        ctx.features["history_transfers"] = assessment.transfers
        ctx.features["history_last_odometer_km"] = assessment.last_odometer_km
        ctx.features["odometer_rollback"] = assessment.rollback
        for f in assessment.findings:
            ctx.add_reason(f.code, STAGE, f.severity, f.message_en, f.message_zh)
        return assessment

    # ------------------------------------------------------------------ value

    def _valuation(
        self, ctx: DecisionContext, age_years: float, history: HistoryAssessment
    ) -> Valuation | None:
        facts = ctx.facts
        if self.valuer is None:
            self._unavailable(ctx, "no valuation model is registered")
            return None
        item = valuation_input(facts, age_years, history)
        try:
            valuation, residual = value_with_residual(self.valuer, item, facts.term_months)
        except ValuationError:
            self._unavailable(ctx, "the valuation model failed for this car")
            return None
        ctx.model_versions["valuation"] = self.valuer.ref
        features = ctx.features
        features["valuation_p10"] = round_to(valuation.p10, 2)
        features["valuation_p50"] = round_to(valuation.p50, 2)
        features["valuation_p90"] = round_to(valuation.p90, 2)
        features["residual_term_months"] = residual.term_months
        features["residual_p10"] = round_to(residual.p10, 2)
        features["residual_p50"] = round_to(residual.p50, 2)
        features["residual_p90"] = round_to(residual.p90, 2)
        features["residual_rate"] = round_to(residual.rate, 4)
        asking = float(facts.asking_price)
        features["asking_to_value"] = round_to(asking / valuation.p50, 4)
        if asking > valuation.p50 * self.price_tolerance:
            ctx.add_reason(
                "PRICE_ABOVE_VALUE",
                STAGE,
                Severity.REFER,
                f"asking price is {asking / valuation.p50:.0%} of the fair value (P50)",
                f"车辆报价为公允估值（P50）的{asking / valuation.p50:.0%}",
            )
        if facts.invoice_price is not None:
            ratio = float(facts.invoice_price) / valuation.p50
            features["invoice_to_value"] = round_to(ratio, 4)
            if ratio > self.price_tolerance:
                ctx.add_reason(
                    "INVOICE_ABOVE_VALUE",
                    STAGE,
                    Severity.REFER,
                    f"invoice price is {ratio:.0%} of the fair value (P50)",
                    f"发票价格为公允估值（P50）的{ratio:.0%}",
                )
        return valuation

    def _unavailable(self, ctx: DecisionContext, why: str) -> None:
        ctx.add_reason(
            "VALUATION_UNAVAILABLE",
            STAGE,
            self.unavailable_severity,
            f"{why}; LTV is on the asking price",
            "暂无车辆估值，贷款价值比按车辆报价计算",
        )

    def _ltv(self, ctx: DecisionContext, valuation: Valuation | None) -> None:
        facts = ctx.facts
        ltv = compute_ltv(facts.amount, valuation, facts.asking_price, self.ltv_basis)
        ctx.features["ltv"] = ltv.ratio
        ctx.features["ltv_basis"] = ltv.basis
        ctx.features["ltv_basis_value"] = float(ltv.basis_value)
        if self.max_ltv is not None and ltv.ratio > self.max_ltv:
            ctx.add_reason(
                "LTV_ABOVE_LIMIT",
                STAGE,
                Severity.REFER,
                f"LTV {ltv.ratio:.2f} on {ltv.basis} is above {self.max_ltv:.2f}",
                f"贷款价值比{ltv.ratio:.2f}（{ltv.basis}）高于上限{self.max_ltv:.2f}",
            )


def valuation_input(
    facts: ApplicationFacts, age_years: float, history: HistoryAssessment | None = None
) -> ValuationInput:
    """What the application tells the valuation model (model and trim when facts carry them)."""
    transfers = accident_grade = None
    if history is not None and history.available:
        transfers, accident_grade = float(history.transfers), float(history.accident_grade)
    return ValuationInput(
        brand=facts.brand,
        model=facts.model,
        age_years=age_years,
        mileage_km=float(facts.mileage_km),
        fuel=facts.fuel_type,
        region=facts.province,
        seller_type=facts.seller_type,
        transfers=transfers,
        accident_grade=accident_grade,
    )
