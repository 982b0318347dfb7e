"""Contract and configuration rules a lease product must meet (pure; docs/domain.md §1).

`rule_violations(product)` lists every rule a product breaks, each naming the field and the
reason in English and Chinese; `LeaseProduct` refuses to be built when the list is not empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol

from autolease.exceptions import FieldError
from autolease.product.kinds import ALLOWED_TERMS, MAX_BALLOON_RATIO, ProductType, TitleMode
from autolease.product.terms import Eligibility, Pricing


class ProductShape(Protocol):
    """What the rules read of a product (`catalogue.LeaseProduct` has it)."""

    @property
    def product_type(self) -> ProductType: ...
    @property
    def title_mode(self) -> TitleMode: ...
    @property
    def terms_months(self) -> tuple[int, ...]: ...
    @property
    def down_payment_min_ratio(self) -> Decimal: ...
    @property
    def down_payment_max_ratio(self) -> Decimal: ...
    @property
    def balloon_ratios(self) -> tuple[Decimal, ...]: ...
    @property
    def ltv_cap_by_grade(self) -> Mapping[str, Decimal]: ...
    @property
    def pricing(self) -> Pricing: ...
    @property
    def eligibility(self) -> Eligibility: ...
    @property
    def min_financed(self) -> Decimal: ...
    @property
    def max_financed(self) -> Decimal: ...


def _err(field_name: str, rule: str, en: str, zh: str) -> FieldError:
    return FieldError(field_name, rule, en, zh)


def _shape_violations(p: ProductShape) -> list[FieldError]:
    errors: list[FieldError] = []
    if not p.terms_months or any(t not in ALLOWED_TERMS for t in p.terms_months):
        errors.append(
            _err(
                "terms_months",
                "allowed",
                "terms must be 6 to 60 months in steps of 6",
                "期数须为6至60个月且为6的倍数",
            )
        )
    if not 0 <= p.down_payment_min_ratio <= p.down_payment_max_ratio < 1:
        errors.append(
            _err(
                "down_payment",
                "range",
                "need 0 <= min_ratio <= max_ratio < 1",
                "首付比例须满足0≤下限≤上限<1",
            )
        )
    if not p.balloon_ratios or any(not 0 <= b <= MAX_BALLOON_RATIO for b in p.balloon_ratios):
        errors.append(
            _err(
                "balloon_ratios",
                "range",
                "balloon ratios must be 0 to 0.6",
                "尾款比例须在0至0.6之间",
            )
        )
    if not 0 < p.min_financed < p.max_financed:
        errors.append(
            _err("financed_amount", "range", "need 0 < min < max", "融资额须满足0<下限<上限")
        )
    return errors


def _type_violations(p: ProductShape) -> list[FieldError]:
    errors: list[FieldError] = []
    if (
        p.product_type is ProductType.SALE_LEASEBACK
        and p.title_mode is not TitleMode.LESSEE_TITLED_WITH_MORTGAGE
    ):
        errors.append(
            _err(
                "title_mode",
                "sale_leaseback_title",
                "a sale-and-leaseback keeps the car registered to the lessee, mortgaged to the"
                " lessor",
                "售后回租车辆须登记在承租人名下并抵押给出租人",
            )
        )
    if p.product_type is ProductType.OPERATING_LEASE:
        if p.title_mode is not TitleMode.LESSOR_TITLED:
            errors.append(
                _err(
                    "title_mode",
                    "operating_lease_title",
                    "an operating lease keeps the title with the lessor",
                    "经营性租赁车辆所有权归出租人",
                )
            )
        if any(b == 0 for b in p.balloon_ratios):
            errors.append(
                _err(
                    "balloon_ratios",
                    "operating_lease_residual",
                    "an operating lease books a residual on the lessor: every option needs one",
                    "经营性租赁须由出租人承担残值，每个方案都须设残值",
                )
            )
    return errors


def _pricing_violations(p: ProductShape) -> list[FieldError]:
    errors: list[FieldError] = []
    grades = set(p.ltv_cap_by_grade)
    priced = set(p.pricing.rate_by_grade) & set(p.pricing.expected_loss_by_grade)
    if not grades or not grades <= priced:
        errors.append(
            _err(
                "pricing",
                "grades",
                "every grade with an LTV cap needs a rate and an expected loss",
                "每个有LTV上限的等级都须有利率和预期损失",
            )
        )
    if any(not 0 < cap <= 1 for cap in p.ltv_cap_by_grade.values()):
        errors.append(
            _err("ltv_cap_by_grade", "range", "LTV caps must be in (0, 1]", "LTV上限须在(0, 1]之间")
        )
    if not 0 < p.pricing.apr_ceiling < 1:
        errors.append(
            _err(
                "pricing.apr_ceiling",
                "range",
                "APR ceiling must be in (0, 1)",
                "年化利率上限须在(0, 1)之间",
            )
        )
    rates = [*p.pricing.rate_by_grade.values(), p.pricing.funding_cost, p.pricing.margin_floor]
    if any(not 0 <= r < 1 for r in rates):
        errors.append(
            _err("pricing", "rate_range", "rates must be in [0, 1)", "利率须在[0, 1)之间")
        )
    return errors


def _eligibility_violations(p: ProductShape) -> list[FieldError]:
    e = p.eligibility
    errors: list[FieldError] = []
    if not e.applicant_kinds or not set(e.applicant_kinds) <= {"individual", "corporate"}:
        errors.append(
            _err(
                "eligibility.applicant_kinds",
                "allowed",
                "applicant kinds are individual and/or corporate",
                "承租人类型须为个人和/或企业",
            )
        )
    if not 1 <= e.max_age_plus_term_years <= 15:
        errors.append(
            _err(
                "eligibility.max_age_plus_term_years",
                "range",
                "vehicle age + term limit must be 1 to 15 years",
                "车龄+租期上限须为1至15年",
            )
        )
    if not 0 < e.max_payment_to_income <= 1:
        errors.append(
            _err(
                "eligibility.max_payment_to_income",
                "range",
                "payment-to-income cap must be in (0, 1]",
                "月供收入比上限须在(0, 1]之间",
            )
        )
    return errors


def rule_violations(product: ProductShape) -> list[FieldError]:
    """Every contract or configuration rule `product` breaks (empty when it is valid)."""
    return [
        *_shape_violations(product),
        *_type_violations(product),
        *_pricing_violations(product),
        *_eligibility_violations(product),
    ]
