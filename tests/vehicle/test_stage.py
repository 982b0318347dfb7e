"""Tests for autolease.vehicle.stage: what the VIN, plate and declared figures say."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest

from autolease.identity.identifiers import vin_check_digit
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import ApplicationFacts, DecisionContext, Severity
from autolease.origination.schemas import ApplicationCreate
from autolease.vehicle.stage import VehicleStage
from tests.factories import TODAY, make_body

AS_OF = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
NOTE = "LTV on asking price; valuation not yet available"


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
    v.update(vehicle)
    if asking is not None:
        v["asking_price"] = asking
    for key, value in (("amount", amount), ("down_payment", down), ("term_months", term)):
        if value is not None:
            f[key] = value
    return body


def facts_of(body: dict[str, Any]) -> ApplicationFacts:
    return build_facts(ApplicationCreate.model_validate(body), sp_grade="B")


def run_facts(facts: ApplicationFacts, business_date: date = TODAY) -> DecisionContext:
    ctx = DecisionContext(facts, as_of=AS_OF, business_date=business_date)
    assert VehicleStage().run(ctx) == NOTE
    return ctx


def run_stage(body: dict[str, Any], business_date: date = TODAY) -> DecisionContext:
    return run_facts(facts_of(body), business_date)


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
        ctx = run_stage(make_body(1, "import_vin"))
        assert codes(ctx) == ["VIN_CHECK_DIGIT_WARNING"]
        assert severity_of(ctx, "VIN_CHECK_DIGIT_WARNING") == Severity.REFER
        assert ctx.features["vin_wmi"] == "WBA"

    def test_imported_vin_with_right_check_digit_is_fine(self) -> None:
        body = vehicle_body(vin=make_vin(2024, wmi="WBA"))
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
