"""Tests for autolease.vehicle.stage: VIN, brand, plate, history, valuation, residual and LTV.

Most tests run the stage with a fake valuer and an always-clean history provider, so that
each test sees only the findings it is about; `TestWithoutModel` covers the stage as built
with no model registered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from autolease.identity.identifiers import vin_check_digit
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import ApplicationFacts, DecisionContext, Severity
from autolease.origination.schemas import ApplicationCreate
from autolease.vehicle.features import Valuation, ValuationError, ValuationInput
from autolease.vehicle.history import Claim, OdometerReading, VehicleHistory
from autolease.vehicle.stage import NO_VALUATION_NOTE, VehicleStage
from tests.factories import TODAY, make_body

AS_OF = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
BRAND_OF_WMI = {"LFM": "丰田", "WBA": "宝马", "LSV": "大众"}


@dataclass(frozen=True)
class FakeValuer:
    """P50 = new price × 0.85^age; P10/P90 at ∓10 %."""

    new_price: float = 10_000_000.0
    ref: str = "valuation@fake"
    max_age_years: float = 15.0
    fail: bool = False

    def value(self, item: ValuationInput) -> Valuation:
        if self.fail:
            raise ValuationError("broken model")
        p50 = self.new_price * 0.85**item.age_years
        return Valuation(p50 * 0.9, p50, p50 * 1.1, self.ref)

    def value_many(self, items: Sequence[ValuationInput]) -> list[Valuation]:
        return [self.value(i) for i in items]


@dataclass(frozen=True)
class HistoryOf:
    """Every VIN has the given record (an empty one by default: known and clean)."""

    claims: tuple[Claim, ...] = ()
    transfers: tuple[date, ...] = ()
    odometer: tuple[OdometerReading, ...] = ()
    name: str = "test"

    def lookup(self, vin: str, *, as_of: date) -> VehicleHistory | None:
        return VehicleHistory(vin, self.claims, self.transfers, self.odometer, (), "test")


STAGE = VehicleStage(valuer=FakeValuer(), history=HistoryOf())
NOTE = "valued by valuation@fake; LTV on p10"


def make_vin(model_year: int, wmi: str = "LFM") -> str:
    body = f"{wmi}B14A50{YEAR_CODES[(model_year - 1980) % 30]}U756589"
    return body[:8] + vin_check_digit(body) + body[9:]


def vehicle_body(
    *,
    kind: str = "clean",
    registered: date | None = None,
    model_year: int | None = None,
    asking: str | None = None,
    amount: str | None = None,
    down: str | None = None,
    term: int | None = None,
    **vehicle: Any,
) -> dict[str, Any]:
    body = make_body(1, kind)
    v, f = body["vehicle"], body["financing"]
    if registered is not None:
        v["first_registration_date"] = registered.isoformat()
        v["vin"] = make_vin(model_year or registered.year)
    elif model_year is not None:
        v["vin"] = make_vin(model_year)
    if registered is not None or model_year is not None:
        v["brand"] = BRAND_OF_WMI["LFM"]
    v.update(vehicle)
    if asking is not None:
        v["asking_price"] = asking
    for key, value in (("amount", amount), ("down_payment", down), ("term_months", term)):
        if value is not None:
            f[key] = value
    return body


def facts_of(body: dict[str, Any]) -> ApplicationFacts:
    return build_facts(ApplicationCreate.model_validate(body), sp_grade="B")


def run_facts(
    facts: ApplicationFacts, business_date: date = TODAY, stage: VehicleStage = STAGE
) -> DecisionContext:
    ctx = DecisionContext(facts, as_of=AS_OF, business_date=business_date)
    note = stage.run(ctx)
    if stage is STAGE:
        assert note == NOTE
    return ctx


def run_stage(
    body: dict[str, Any], business_date: date = TODAY, stage: VehicleStage = STAGE
) -> DecisionContext:
    return run_facts(facts_of(body), business_date, stage)


def codes(ctx: DecisionContext) -> list[str]:
    return [r.code for r in ctx.reasons]


def severity_of(ctx: DecisionContext, code: str) -> Severity:
    return next(r.severity for r in ctx.reasons if r.code == code)


class TestVehicleStageFeatures:
    def test_stage_name_is_vehicle(self) -> None:
        assert VehicleStage().name == "vehicle"

    def test_clean_sample_has_no_reasons(self) -> None:
        assert codes(run_stage(make_body(1, "clean"))) == []

    def test_vehicle_age_in_years_from_first_registration(self) -> None:
        # 2024-05-20 to 2026-11-29 is 923 days; 923 / 365.25 = 2.527...
        ctx = run_stage(vehicle_body(registered=date(2024, 5, 20)))
        assert ctx.features["vehicle_age_years"] == 2.53

    def test_vehicle_age_of_five_calendar_years(self) -> None:
        ctx = run_stage(vehicle_body(registered=date(2021, 11, 29)))
        assert ctx.features["vehicle_age_years"] == 5.0

    def test_vehicle_age_at_maturity_adds_the_term(self) -> None:
        ctx = run_stage(vehicle_body(registered=date(2024, 5, 20), term=36))
        assert ctx.features["vehicle_age_at_maturity_years"] == 5.53

    def test_mileage_is_copied(self) -> None:
        ctx = run_stage(vehicle_body(mileage_km=123_456))
        assert ctx.features["mileage_km"] == 123_456

    def test_ltv_on_asking_price(self) -> None:
        ctx = run_stage(vehicle_body(asking="100000.00", amount="80000.00", down="20000.00"))
        assert ctx.features["ltv_on_asking_price"] == 0.8

    def test_ltv_is_rounded_to_four_places(self) -> None:
        ctx = run_stage(vehicle_body(asking="90000.00", amount="30000.00", down="20000.00"))
        assert ctx.features["ltv_on_asking_price"] == 0.3333

    def test_ltv_is_a_float(self) -> None:
        ctx = run_stage(make_body(1, "clean"))
        assert isinstance(ctx.features["ltv_on_asking_price"], float)

    def test_vin_wmi_and_model_year(self) -> None:
        ctx = run_stage(vehicle_body(registered=date(2024, 5, 20), model_year=2024))
        assert ctx.features["vin_wmi"] == "LFM"
        assert ctx.features["vin_model_year"] == 2024


class TestVehicleStageAmount:
    def test_amount_above_asking_price_is_referred(self) -> None:
        ctx = run_stage(make_body(1, "over_price"))
        assert codes(ctx) == ["AMOUNT_ABOVE_PRICE"]
        assert severity_of(ctx, "AMOUNT_ABOVE_PRICE") == Severity.REFER
        assert ctx.features["ltv_on_asking_price"] == 1.2

    def test_amount_one_fen_above_price_is_referred(self) -> None:
        ctx = run_stage(vehicle_body(asking="100000.00", amount="100000.01", down="0.00"))
        assert "AMOUNT_ABOVE_PRICE" in codes(ctx)

    def test_amount_equal_to_price_is_not_referred(self) -> None:
        ctx = run_stage(vehicle_body(asking="100000.00", amount="100000.00", down="0.00"))
        assert "AMOUNT_ABOVE_PRICE" not in codes(ctx)


class TestVehicleStageVin:
    def test_imported_vin_with_wrong_check_digit_is_a_warning(self) -> None:
        body = make_body(1, "import_vin")
        body["vehicle"]["brand"] = "宝马"
        ctx = run_stage(body)
        assert codes(ctx) == ["VIN_CHECK_DIGIT_WARNING"]
        assert severity_of(ctx, "VIN_CHECK_DIGIT_WARNING") == Severity.REFER
        assert ctx.features["vin_wmi"] == "WBA"

    def test_imported_vin_with_right_check_digit_is_fine(self) -> None:
        body = vehicle_body(vin=make_vin(2024, wmi="WBA"), brand="BMW")
        assert codes(run_stage(body)) == []

    def test_chinese_vin_with_wrong_check_digit_in_facts_fails(self) -> None:
        vin = make_vin(2024)
        wrong = vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]
        facts = dataclasses.replace(facts_of(make_body(1, "clean")), vin=wrong)
        ctx = run_facts(facts)
        assert severity_of(ctx, "VIN_CHECK_FAILED") == Severity.DECLINE
        assert "vin_wmi" not in ctx.features

    def test_model_year_far_before_registration_is_a_mismatch(self) -> None:
        ctx = run_stage(vehicle_body(registered=date(2024, 5, 20), model_year=2018))
        assert codes(ctx) == ["VIN_MODEL_YEAR_MISMATCH"]
        assert severity_of(ctx, "VIN_MODEL_YEAR_MISMATCH") == Severity.REFER
        assert ctx.features["vin_model_year"] == 2018

    def test_model_year_three_years_before_registration_is_a_mismatch(self) -> None:
        ctx = run_stage(vehicle_body(registered=date(2024, 5, 20), model_year=2021))
        assert "VIN_MODEL_YEAR_MISMATCH" in codes(ctx)

    @pytest.mark.parametrize("model_year", [2022, 2023, 2024, 2025])
    def test_model_year_within_two_before_or_one_after_registration_is_fine(
        self, model_year: int
    ) -> None:
        ctx = run_stage(vehicle_body(registered=date(2024, 5, 20), model_year=model_year))
        assert "VIN_MODEL_YEAR_MISMATCH" not in codes(ctx)

    def test_model_year_two_after_registration_decodes_a_cycle_back(self) -> None:
        ctx = run_stage(vehicle_body(registered=date(2024, 5, 20), model_year=2026))
        assert ctx.features["vin_model_year"] == 1996
        assert "VIN_MODEL_YEAR_MISMATCH" in codes(ctx)


class TestVehicleStagePlate:
    def test_nev_plate_on_a_petrol_car_is_a_mismatch(self) -> None:
        ctx = run_stage(make_body(1, "nev_plate"))
        assert codes(ctx) == ["PLATE_POWERTRAIN_MISMATCH"]
        assert severity_of(ctx, "PLATE_POWERTRAIN_MISMATCH") == Severity.REFER

    def test_nev_d_plate_on_a_bev_is_fine(self) -> None:
        body = make_body(1, "nev_plate")
        body["vehicle"]["fuel_type"] = "bev"
        assert codes(run_stage(body)) == []

    def test_nev_d_plate_on_a_phev_is_a_mismatch(self) -> None:
        body = vehicle_body(plate="沪AD12345", fuel_type="phev")
        assert codes(run_stage(body)) == ["PLATE_POWERTRAIN_MISMATCH"]

    @pytest.mark.parametrize("fuel", ["phev", "erev", "fcev"])
    def test_nev_f_plate_on_a_plug_in_or_fuel_cell_car_is_fine(self, fuel: str) -> None:
        body = vehicle_body(plate="沪AF12345", fuel_type=fuel)
        assert codes(run_stage(body)) == []

    def test_large_nev_plate_on_a_bev_is_fine(self) -> None:
        body = vehicle_body(plate="沪A12345D", fuel_type="bev")
        assert codes(run_stage(body)) == []

    def test_ordinary_plate_on_a_bev_is_a_mismatch(self) -> None:
        body = vehicle_body(plate="沪A12345", fuel_type="bev")
        assert codes(run_stage(body)) == ["PLATE_POWERTRAIN_MISMATCH"]

    @pytest.mark.parametrize("fuel", ["petrol", "diesel", "hev", "other"])
    def test_ordinary_plate_on_a_non_plug_in_car_is_fine(self, fuel: str) -> None:
        body = vehicle_body(plate="沪A12345", fuel_type=fuel)
        assert codes(run_stage(body)) == []

    def test_nev_plate_without_fuel_type_is_not_judged(self) -> None:
        body = make_body(1, "nev_plate")
        del body["vehicle"]["fuel_type"]
        assert codes(run_stage(body)) == []

    def test_no_plate_is_not_judged(self) -> None:
        body = vehicle_body(fuel_type="bev")
        del body["vehicle"]["plate"]
        assert codes(run_stage(body)) == []

    def test_invalid_plate_in_facts_is_referred(self) -> None:
        facts = dataclasses.replace(facts_of(make_body(1, "clean")), plate="XX12345")
        ctx = run_facts(facts)
        assert codes(ctx) == ["PLATE_INVALID"]
        assert severity_of(ctx, "PLATE_INVALID") == Severity.REFER


class TestVehicleStageBrand:
    def test_declared_brand_agreeing_with_the_wmi_in_chinese_or_english(self) -> None:
        for brand in ("丰田", "Toyota", "一汽丰田"):
            ctx = run_stage(vehicle_body(registered=date(2024, 5, 20), brand=brand))
            assert "BRAND_MISMATCH" not in codes(ctx)
            assert ctx.features["vin_brand_agreement"] == "match"
            assert ctx.features["vin_manufacturer"] == "FAW Toyota"

    def test_declared_brand_of_another_maker_is_referred(self) -> None:
        ctx = run_stage(vehicle_body(registered=date(2024, 5, 20), brand="宝马"))
        assert codes(ctx) == ["BRAND_MISMATCH"]
        assert severity_of(ctx, "BRAND_MISMATCH") == Severity.REFER
        assert "FAW Toyota" in ctx.reasons[0].message_en

    def test_unknown_wmi_is_info_and_not_judged(self) -> None:
        ctx = run_stage(vehicle_body(vin=make_vin(2024, wmi="L99"), brand="丰田"))
        assert codes(ctx) == ["WMI_UNKNOWN"]
        assert severity_of(ctx, "WMI_UNKNOWN") == Severity.INFO
        assert ctx.features["vin_brand_agreement"] == "unknown"


class TestVehicleStageValuation:
    def test_features_model_version_and_residual(self) -> None:
        ctx = run_stage(vehicle_body(registered=date(2021, 11, 29), term=36))
        p50 = 10_000_000 * 0.85 ** (1826 / 365.25)  # 2021-11-29 to 2026-11-29 is 1,826 days
        assert ctx.model_versions == {"valuation": "valuation@fake"}
        assert ctx.features["valuation_p50"] == pytest.approx(p50, rel=1e-6)
        assert ctx.features["valuation_p10"] == pytest.approx(p50 * 0.9, rel=1e-6)
        assert ctx.features["residual_term_months"] == 36
        assert ctx.features["residual_p50"] == pytest.approx(p50 * 0.85**3, rel=1e-3)
        assert ctx.features["residual_rate"] == pytest.approx(0.85**3, abs=1e-3)

    def test_ltv_on_p10_by_default(self) -> None:
        ctx = run_stage(vehicle_body(asking="100000.00", amount="80000.00", down="20000.00"))
        p10 = ctx.features["valuation_p10"]
        assert ctx.features["ltv_basis"] == "p10"
        assert ctx.features["ltv"] == pytest.approx(80_000 / p10, abs=1e-4)

    def test_ltv_on_p50_when_policy_says_so(self) -> None:
        stage = VehicleStage(valuer=FakeValuer(), history=HistoryOf(), ltv_basis="p50")
        ctx = run_stage(make_body(1, "clean"), stage=stage)
        assert ctx.features["ltv_basis"] == "p50"
        assert ctx.features["ltv_basis_value"] == pytest.approx(ctx.features["valuation_p50"])

    def test_asking_price_above_value_is_referred(self) -> None:
        stage = VehicleStage(valuer=FakeValuer(new_price=100_000), history=HistoryOf())
        body = vehicle_body(registered=date(2025, 11, 29), asking="100000.00",
                            amount="60000.00", down="40000.00")  # fmt: skip
        ctx = run_stage(body, stage=stage)  # P50 = 85,000; 100,000 / 85,000 = 118 %
        assert "PRICE_ABOVE_VALUE" in codes(ctx)
        assert severity_of(ctx, "PRICE_ABOVE_VALUE") == Severity.REFER
        assert ctx.features["asking_to_value"] == pytest.approx(1.1765, abs=1e-3)

    def test_asking_price_within_tolerance_is_fine(self) -> None:
        stage = VehicleStage(valuer=FakeValuer(new_price=100_000), history=HistoryOf())
        body = vehicle_body(registered=date(2025, 11, 29), asking="97000.00",
                            amount="60000.00", down="37000.00")  # fmt: skip
        assert "PRICE_ABOVE_VALUE" not in codes(run_stage(body, stage=stage))

    def test_invoice_above_value_is_referred(self) -> None:
        stage = VehicleStage(valuer=FakeValuer(new_price=100_000), history=HistoryOf())
        body = vehicle_body(
            registered=date(2025, 11, 29),
            asking="90000.00",
            amount="60000.00",
            down="30000.00",
            invoice_price="120000.00",
        )
        ctx = run_stage(body, stage=stage)
        assert "INVOICE_ABOVE_VALUE" in codes(ctx)

    def test_ltv_above_the_limit_is_referred(self) -> None:
        stage = VehicleStage(valuer=FakeValuer(new_price=100_000), history=HistoryOf(), max_ltv=0.7)
        body = vehicle_body(registered=date(2025, 11, 29), asking="85000.00",
                            amount="68000.00", down="17000.00")  # fmt: skip
        ctx = run_stage(body, stage=stage)  # 68,000 / (85,000 × 0.9) = 0.889
        assert "LTV_ABOVE_LIMIT" in codes(ctx)

    def test_a_failing_model_is_valuation_unavailable(self) -> None:
        stage = VehicleStage(valuer=FakeValuer(fail=True), history=HistoryOf())
        ctx = run_stage(make_body(1, "clean"), stage=stage)
        assert codes(ctx) == ["VALUATION_UNAVAILABLE"]
        assert ctx.features["ltv_basis"] == "asking_price"
        assert ctx.model_versions == {}


class TestWithoutModel:
    def test_no_model_refers_and_ltv_falls_back_to_asking_price(self) -> None:
        body = vehicle_body(asking="100000.00", amount="80000.00", down="20000.00")
        ctx = DecisionContext(facts_of(body), as_of=AS_OF, business_date=TODAY)
        assert VehicleStage().run(ctx) == NO_VALUATION_NOTE
        assert codes(ctx) == ["HISTORY_UNAVAILABLE", "VALUATION_UNAVAILABLE"]
        assert severity_of(ctx, "VALUATION_UNAVAILABLE") == Severity.REFER
        assert severity_of(ctx, "HISTORY_UNAVAILABLE") == Severity.INFO
        assert (ctx.features["ltv"], ctx.features["ltv_basis"]) == (0.8, "asking_price")
        assert ctx.features["history_score"] is None
        assert "valuation_p50" not in ctx.features


class TestVehicleStageHistory:
    def run_with(self, history: HistoryOf, **body: Any) -> DecisionContext:
        return run_stage(vehicle_body(**body), stage=VehicleStage(FakeValuer(), history))

    def test_flood_damage_declines(self) -> None:
        ctx = self.run_with(HistoryOf(claims=(Claim(date(2024, 7, 1), "flood"),)))
        assert codes(ctx) == ["FLOOD_DAMAGE"]
        assert severity_of(ctx, "FLOOD_DAMAGE") == Severity.DECLINE
        assert ctx.features["history_accident_grade"] == 2
        assert ctx.features["history_score"] == 40

    def test_odometer_rollback_is_referred(self) -> None:
        readings = (OdometerReading(date(2025, 1, 1), 90_000),)
        ctx = self.run_with(HistoryOf(odometer=readings), mileage_km=30_000)
        assert "ODOMETER_ROLLBACK" in codes(ctx)
        assert severity_of(ctx, "ODOMETER_ROLLBACK") == Severity.REFER
        assert ctx.features["odometer_rollback"] is True
        assert ctx.features["history_last_odometer_km"] == 90_000

    def test_clean_history_scores_100(self) -> None:
        ctx = self.run_with(HistoryOf())
        assert (codes(ctx), ctx.features["history_score"]) == ([], 100)
        assert ctx.features["history_source"] == "test"

    def test_severe_accident_scales_with_the_asking_price(self) -> None:
        claim = Claim(date(2024, 7, 1), "accident", Decimal("30000"))
        ctx = self.run_with(HistoryOf(claims=(claim,)), asking="100000.00",
                            amount="60000.00", down="40000.00")  # fmt: skip
        assert codes(ctx) == ["ACCIDENT_SEVERE"]
