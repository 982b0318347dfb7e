"""Identity stage (pure): what the identifiers themselves say about the applicant.

External checks (carrier three-factor, bank-card four-factor, bureau, court lists, face and
voice) join this stage with their own issues; today it derives age, gender and region from the
resident ID and checks them against the application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from autolease.identity.biometrics.assessment import FEATURE_KEY, BiometricPolicy, assess_biometrics
from autolease.identity.identifiers import (
    IdentifierError,
    is_unionpay,
    is_virtual_operator,
    validate_resident_id,
    validate_uscc,
)
from autolease.origination.pipeline import DecisionContext, PersonFacts, Severity

STAGE = "identity"
ALLOWED_USCC_PREFIXES = ("91", "92")


@dataclass(frozen=True)
class IdentityStage:
    min_age: int = 18
    max_age_at_maturity: int = 65
    biometrics: BiometricPolicy | None = None
    name: str = STAGE

    def run(self, ctx: DecisionContext) -> str:
        facts = ctx.facts
        self._check_person(ctx, facts.person, role="applicant")
        if facts.applicant_kind == "corporate":
            self._check_company(ctx, facts.uscc or "")
        ctx.features["phone_virtual_operator"] = is_virtual_operator(facts.person.phone)
        ctx.features["bank_card_unionpay"] = is_unionpay(facts.bank_card)
        if ctx.features["phone_virtual_operator"]:
            ctx.add_reason(
                "PHONE_VIRTUAL_OPERATOR",
                STAGE,
                Severity.INFO,
                "mobile number is on a virtual-operator prefix",
                "手机号为虚拟运营商号段",
            )
        if FEATURE_KEY in ctx.features:
            return assess_biometrics(ctx, self.biometrics)
        return ""

    def _check_person(self, ctx: DecisionContext, person: PersonFacts, *, role: str) -> None:
        if person.id_number is None:
            return
        try:
            rid = validate_resident_id(person.id_number, today=ctx.business_date)
        except IdentifierError as err:
            ctx.add_reason("ID_INVALID", STAGE, Severity.DECLINE, err.message_en, err.message_zh)
            return
        age = rid.age_on(ctx.business_date)
        age_at_maturity = rid.age_on(_add_months(ctx.business_date, ctx.facts.term_months))
        ctx.features[f"{role}_age"] = age
        ctx.features[f"{role}_age_at_maturity"] = age_at_maturity
        ctx.features[f"{role}_gender"] = rid.gender
        ctx.features[f"{role}_id_province"] = rid.region_code[:2]
        self._check_ages(ctx, age, age_at_maturity)
        _check_declared(ctx, person, rid.birth_date, rid.gender)

    def _check_ages(self, ctx: DecisionContext, age: int, age_at_maturity: int) -> None:
        if age < self.min_age:
            ctx.add_reason(
                "ID_UNDERAGE",
                STAGE,
                Severity.DECLINE,
                f"applicant is {age}, under {self.min_age}",
                f"申请人年龄{age}岁，未满{self.min_age}岁",
            )
        if age_at_maturity > self.max_age_at_maturity:
            ctx.add_reason(
                "AGE_AT_MATURITY",
                STAGE,
                Severity.DECLINE,
                f"applicant would be {age_at_maturity} at maturity,"
                f" over {self.max_age_at_maturity}",
                f"到期时年龄{age_at_maturity}岁，超过{self.max_age_at_maturity}岁",
            )

    def _check_company(self, ctx: DecisionContext, uscc: str) -> None:
        try:
            code = validate_uscc(uscc)
        except IdentifierError as err:
            ctx.add_reason("USCC_INVALID", STAGE, Severity.DECLINE, err.message_en, err.message_zh)
            return
        prefix = code.authority_code + code.entity_type_code
        ctx.features["company_entity_type"] = prefix
        if prefix not in ALLOWED_USCC_PREFIXES:
            ctx.add_reason(
                "USCC_ENTITY_NOT_ALLOWED",
                STAGE,
                Severity.REFER,
                f"entity type {prefix} is not an enterprise or sole trader",
                f"主体类型{prefix}不是企业或个体工商户",
            )


def _check_declared(ctx: DecisionContext, person: PersonFacts, birth: date, gender: str) -> None:
    birth_differs = person.declared_birth_date not in (None, birth)
    gender_differs = person.declared_gender not in (None, gender)
    if birth_differs or gender_differs:
        ctx.add_reason(
            "ID_DECLARED_MISMATCH",
            STAGE,
            Severity.DECLINE,
            "declared birth date or gender disagrees with the resident ID",
            "申报的出生日期或性别与身份证号不一致",
        )


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = start.day if start.day <= 28 else min(start.day, _days_in_month(year, month))
    return date(year, month, day)


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - date(year, month, 1)).days
