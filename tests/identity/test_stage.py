"""Tests for autolease.identity.stage: what the identifiers say about the applicant."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest

from autolease.identity.identifiers import resident_id_check_char, uscc_check_char
from autolease.identity.stage import IdentityStage, _add_months
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import DecisionContext, Severity
from autolease.origination.schemas import ApplicationCreate
from tests.factories import TODAY, make_body

AS_OF = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
REGION = "310110"  # 上海市杨浦区


def resident_id(birth: date, *, male: bool = True, region: str = REGION) -> str:
    first17 = f"{region}{birth:%Y%m%d}01{3 if male else 2}"
    return first17 + resident_id_check_char(first17)


def uscc(prefix: str, region: str = REGION, org: str = "MA1B2C3D4") -> str:
    first17 = f"{prefix}{region}{org}"
    return first17 + uscc_check_char(first17)


def individual_body(
    birth: date = date(1980, 6, 15), *, male: bool = True, term: int = 36, **applicant: Any
) -> dict[str, Any]:
    body = make_body(1, "clean")
    body["applicant"]["id_number"] = resident_id(birth, male=male)
    body["applicant"].update(applicant)
    body["financing"]["term_months"] = term
    return body


def run_stage(
    body: dict[str, Any], business_date: date = TODAY, stage: IdentityStage | None = None
) -> DecisionContext:
    facts = build_facts(ApplicationCreate.model_validate(body), sp_grade="B")
    ctx = DecisionContext(facts, as_of=AS_OF, business_date=business_date)
    note = (stage or IdentityStage()).run(ctx)
    assert note == ""
    return ctx


def codes(ctx: DecisionContext) -> list[str]:
    return [r.code for r in ctx.reasons]


def reason(ctx: DecisionContext, code: str) -> Any:
    return next(r for r in ctx.reasons if r.code == code)


class TestIdentityStageFeatures:
    def test_clean_application_has_no_reasons(self) -> None:
        assert codes(run_stage(individual_body())) == []

    def test_age_is_completed_years_on_the_business_date(self) -> None:
        ctx = run_stage(individual_body(date(1980, 6, 15)))
        assert ctx.features["applicant_age"] == 46

    def test_age_does_not_count_a_birthday_still_to_come(self) -> None:
        ctx = run_stage(individual_body(date(1980, 11, 30)))
        assert ctx.features["applicant_age"] == 45

    def test_age_counts_a_birthday_on_the_business_date(self) -> None:
        ctx = run_stage(individual_body(date(1980, 11, 29)))
        assert ctx.features["applicant_age"] == 46

    def test_age_at_maturity_adds_the_term(self) -> None:
        # Maturity is 2029-11-29 for a 36-month term.
        ctx = run_stage(individual_body(date(1980, 6, 15), term=36))
        assert ctx.features["applicant_age_at_maturity"] == 49

    def test_age_at_maturity_counts_a_birthday_falling_within_the_term(self) -> None:
        ctx = run_stage(individual_body(date(1980, 12, 15), term=12))
        assert (ctx.features["applicant_age"], ctx.features["applicant_age_at_maturity"]) == (
            45,
            46,
        )

    def test_gender_and_province_come_from_the_id(self) -> None:
        ctx = run_stage(individual_body(male=False))
        assert ctx.features["applicant_gender"] == "F"
        assert ctx.features["applicant_id_province"] == "31"

    def test_male_id_gives_m(self) -> None:
        assert run_stage(individual_body(male=True)).features["applicant_gender"] == "M"

    def test_unionpay_card_feature(self) -> None:
        ctx = run_stage(individual_body())
        assert ctx.features["bank_card_unionpay"] is True

    def test_non_unionpay_card_feature(self) -> None:
        ctx = run_stage(individual_body(bank_card="4111111111111111"))
        assert ctx.features["bank_card_unionpay"] is False

    def test_business_date_not_wall_clock_drives_the_age(self) -> None:
        ctx = run_stage(individual_body(date(1980, 6, 15)), business_date=date(2030, 6, 15))
        assert ctx.features["applicant_age"] == 50


class TestIdentityStageAges:
    def test_under_18_is_declined(self) -> None:
        ctx = run_stage(individual_body(date(2010, 1, 1)))
        underage = reason(ctx, "ID_UNDERAGE")
        assert underage.severity == Severity.DECLINE
        assert underage.stage == "identity"
        assert ctx.features["applicant_age"] == 16

    def test_one_day_before_18th_birthday_is_underage(self) -> None:
        ctx = run_stage(individual_body(date(2008, 11, 30)))
        assert "ID_UNDERAGE" in codes(ctx)

    def test_18th_birthday_on_the_business_date_is_not_underage(self) -> None:
        ctx = run_stage(individual_body(date(2008, 11, 29)))
        assert "ID_UNDERAGE" not in codes(ctx)

    def test_underage_message_names_the_age(self) -> None:
        underage = reason(run_stage(individual_body(date(2010, 1, 1))), "ID_UNDERAGE")
        assert underage.message_en == "applicant is 16, under 18"
        assert underage.message_zh == "申请人年龄16岁，未满18岁"

    def test_over_65_at_maturity_is_declined(self) -> None:
        ctx = run_stage(individual_body(date(1963, 11, 29), term=36))
        at_maturity = reason(ctx, "AGE_AT_MATURITY")
        assert at_maturity.severity == Severity.DECLINE
        assert ctx.features["applicant_age_at_maturity"] == 66

    def test_exactly_65_at_maturity_is_allowed(self) -> None:
        ctx = run_stage(individual_body(date(1963, 11, 30), term=36))
        assert ctx.features["applicant_age_at_maturity"] == 65
        assert "AGE_AT_MATURITY" not in codes(ctx)

    def test_age_at_maturity_depends_on_the_term(self) -> None:
        short = run_stage(individual_body(date(1962, 12, 15), term=12))
        long = run_stage(individual_body(date(1962, 12, 15), term=36))
        assert "AGE_AT_MATURITY" not in codes(short)
        assert "AGE_AT_MATURITY" in codes(long)

    def test_old_sample_is_flagged(self) -> None:
        ctx = run_stage(make_body(1, "old"))
        assert codes(ctx) == ["AGE_AT_MATURITY"]

    def test_limits_are_configurable(self) -> None:
        stage = IdentityStage(min_age=21, max_age_at_maturity=60)
        ctx = run_stage(individual_body(date(2006, 1, 1)), stage=stage)
        assert codes(ctx) == ["ID_UNDERAGE"]

    def test_birth_date_after_the_business_date_is_an_invalid_id(self) -> None:
        ctx = run_stage(individual_body(date(2025, 1, 1)), business_date=date(2024, 12, 31))
        invalid = reason(ctx, "ID_INVALID")
        assert invalid.severity == Severity.DECLINE
        assert "applicant_age" not in ctx.features


class TestIdentityStageDeclared:
    def test_matching_declaration_gives_no_mismatch(self) -> None:
        body = individual_body(
            date(1980, 6, 15), male=False, declared_birth_date="1980-06-15", declared_gender="F"
        )
        assert "ID_DECLARED_MISMATCH" not in codes(run_stage(body))

    def test_different_birth_date_is_a_mismatch(self) -> None:
        body = individual_body(date(1980, 6, 15), declared_birth_date="1980-06-16")
        mismatch = reason(run_stage(body), "ID_DECLARED_MISMATCH")
        assert mismatch.severity == Severity.DECLINE

    def test_different_gender_is_a_mismatch(self) -> None:
        body = individual_body(male=True, declared_gender="F")
        assert codes(run_stage(body)) == ["ID_DECLARED_MISMATCH"]

    def test_only_a_matching_gender_declared_gives_no_mismatch(self) -> None:
        body = individual_body(male=True, declared_gender="M")
        assert codes(run_stage(body)) == []

    def test_birth_and_gender_both_wrong_give_one_reason(self) -> None:
        body = individual_body(
            date(1980, 6, 15), male=True, declared_birth_date="1981-06-15", declared_gender="F"
        )
        assert codes(run_stage(body)) == ["ID_DECLARED_MISMATCH"]


class TestIdentityStagePhone:
    def test_virtual_operator_phone_adds_an_info_reason(self) -> None:
        ctx = run_stage(individual_body(phone="17012345678"))
        virtual = reason(ctx, "PHONE_VIRTUAL_OPERATOR")
        assert virtual.severity == Severity.INFO
        assert ctx.features["phone_virtual_operator"] is True

    def test_ordinary_phone_adds_nothing(self) -> None:
        ctx = run_stage(individual_body(phone="13812345678"))
        assert "PHONE_VIRTUAL_OPERATOR" not in codes(ctx)
        assert ctx.features["phone_virtual_operator"] is False

    def test_corporate_uses_the_representative_phone(self) -> None:
        body = make_body(1, "corporate")
        body["applicant"]["legal_representative"]["phone"] = "17112345678"
        body["applicant"]["phone"] = "13812345678"
        assert "PHONE_VIRTUAL_OPERATOR" in codes(run_stage(body))


class TestIdentityStageCompany:
    def test_enterprise_uscc_is_allowed(self) -> None:
        body = make_body(1, "corporate")
        body["applicant"]["uscc"] = uscc("91")
        ctx = run_stage(body)
        assert ctx.features["company_entity_type"] == "91"
        assert "USCC_ENTITY_NOT_ALLOWED" not in codes(ctx)

    def test_sole_trader_uscc_is_allowed(self) -> None:
        body = make_body(1, "corporate")
        body["applicant"]["uscc"] = uscc("92")
        assert "USCC_ENTITY_NOT_ALLOWED" not in codes(run_stage(body))

    @pytest.mark.parametrize("prefix", ["11", "12", "51", "93", "Y1"])
    def test_other_entity_types_are_referred(self, prefix: str) -> None:
        body = make_body(1, "corporate")
        body["applicant"]["uscc"] = uscc(prefix)
        ctx = run_stage(body)
        not_allowed = reason(ctx, "USCC_ENTITY_NOT_ALLOWED")
        assert not_allowed.severity == Severity.REFER
        assert ctx.features["company_entity_type"] == prefix

    def test_corporate_person_checks_apply_to_the_representative(self) -> None:
        body = make_body(1, "corporate")
        body["applicant"]["legal_representative"]["id_number"] = resident_id(date(2010, 1, 1))
        assert "ID_UNDERAGE" in codes(run_stage(body))

    def test_invalid_uscc_in_facts_is_declined(self) -> None:
        body = make_body(1, "corporate")
        facts = build_facts(ApplicationCreate.model_validate(body), sp_grade="B")
        valid = uscc("91")
        facts = dataclasses.replace(facts, uscc=valid[:17] + ("0" if valid[17] != "0" else "1"))
        ctx = DecisionContext(facts, as_of=AS_OF, business_date=TODAY)
        IdentityStage().run(ctx)
        assert reason(ctx, "USCC_INVALID").severity == Severity.DECLINE

    def test_individual_gets_no_company_feature(self) -> None:
        assert "company_entity_type" not in run_stage(individual_body()).features


class TestAddMonths:
    def test_within_the_year(self) -> None:
        assert _add_months(date(2026, 3, 15), 2) == date(2026, 5, 15)

    def test_across_year_end(self) -> None:
        assert _add_months(date(2026, 11, 29), 36) == date(2029, 11, 29)

    def test_into_december(self) -> None:
        assert _add_months(date(2026, 1, 10), 11) == date(2026, 12, 10)

    def test_clamps_to_the_end_of_a_short_month(self) -> None:
        assert _add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)

    def test_clamps_to_29_february_in_a_leap_year(self) -> None:
        assert _add_months(date(2027, 1, 31), 13) == date(2028, 2, 29)
