"""The lease-product model and its eligibility rules (pure).

A `LeaseProduct` is one versioned catalogue row: type (直租 / 售后回租 / 经营性租赁), terms,
down-payment range, balloon options, fees, eligibility, LTV caps and pricing by grade, APR
ceiling and early-settlement rule. Building one checks the contract rules of docs/domain.md §1 and
raises `ProductRuleViolation` listing every broken rule.

`product_terms(product)` is the JSON-safe form stored in the database and snapshotted onto
every offer, so a later catalogue edit never changes an offer already made.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, Protocol

from autolease.product.exceptions import ProductRuleViolation
from autolease.product.kinds import (
    NEW_ENERGY_FUELS,
    SELLERS_BY_TYPE,
    Constraint,
    NewEnergyRule,
    ProductType,
    TitleMode,
)
from autolease.product.rules import rule_violations
from autolease.product.schedule import AmortizationMethod, EarlySettlementRule, ScheduleType
from autolease.product.terms import Eligibility, Fee, FraudBand, Pricing

__all__ = [
    "Applicant",
    "Catalogue",
    "CatalogueBox",
    "CatalogueSource",
    "Eligibility",
    "Fee",
    "FraudBand",
    "LeaseProduct",
    "Pricing",
    "is_new_energy",
    "product_gate",
    "product_terms",
    "term_gate",
    "terms_hash",
]


@dataclass(frozen=True)
class LeaseProduct:
    code: str
    name_en: str
    name_zh: str
    product_type: ProductType
    terms_months: tuple[int, ...]
    down_payment_min_ratio: Decimal
    down_payment_max_ratio: Decimal
    balloon_ratios: tuple[Decimal, ...]
    ltv_cap_by_grade: Mapping[str, Decimal]
    pricing: Pricing
    fees: tuple[Fee, ...] = ()
    eligibility: Eligibility = field(default_factory=Eligibility)
    method: AmortizationMethod = AmortizationMethod.LEVEL_PAYMENT
    schedule_type: ScheduleType = ScheduleType.ARREARS
    title_mode: TitleMode = TitleMode.LESSEE_TITLED_WITH_MORTGAGE
    max_balloon_of_residual: Decimal = Decimal("0.8")
    min_financed: Decimal = Decimal(10_000)
    max_financed: Decimal = Decimal(1_000_000)
    early_settlement: EarlySettlementRule = field(default_factory=EarlySettlementRule)
    active: bool = True
    version: int = 1

    def __post_init__(self) -> None:
        errors = rule_violations(self)
        if errors:
            raise ProductRuleViolation(
                f"product {self.code!r} breaks {len(errors)} rule(s)", errors=errors
            )

    @property
    def cash_down_payment(self) -> bool:
        """True when the down payment is cash the lessee brings (not a sale-and-leaseback)."""
        return self.product_type is not ProductType.SALE_LEASEBACK

    @property
    def grades(self) -> frozenset[str]:
        return frozenset(self.ltv_cap_by_grade)

    @cached_property
    def terms(self) -> dict[str, Any]:
        return product_terms(self)

    @cached_property
    def terms_hash(self) -> str:
        return terms_hash(self.terms)


# ---- eligibility -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """What eligibility reads about the lessee, the vehicle and the risk decision."""

    applicant_kind: str
    product_type_wanted: str
    seller_type: str
    fuel_type: str | None
    mileage_km: int
    vehicle_age_years: Decimal
    grade: str


def is_new_energy(fuel_type: str | None) -> bool:
    return (fuel_type or "").lower() in NEW_ENERGY_FUELS


def product_gate(product: LeaseProduct, who: Applicant) -> Constraint | None:
    """The first product-level rule that excludes `who`, or None when the product may apply."""
    checks: tuple[tuple[bool, Constraint], ...] = (
        (
            who.product_type_wanted not in ("any", product.product_type.value),
            Constraint.PRODUCT_TYPE,
        ),
        (who.applicant_kind not in product.eligibility.applicant_kinds, Constraint.APPLICANT_KIND),
        (who.seller_type not in SELLERS_BY_TYPE[product.product_type], Constraint.SELLER),
        (not _new_energy_ok(product.eligibility.new_energy, who.fuel_type), Constraint.NEW_ENERGY),
        (who.mileage_km > product.eligibility.max_mileage_km, Constraint.MILEAGE),
        (who.grade not in product.grades, Constraint.GRADE),
    )
    return next((code for failed, code in checks if failed), None)


def _new_energy_ok(rule: NewEnergyRule, fuel_type: str | None) -> bool:
    if rule is NewEnergyRule.ONLY:
        return is_new_energy(fuel_type)
    if rule is NewEnergyRule.EXCLUDED:
        return not is_new_energy(fuel_type)
    return True


def term_gate(product: LeaseProduct, term_months: int, age_years: Decimal) -> Constraint | None:
    """Vehicle age + term ≤ limit; long terms (e.g. 48) only for young vehicles (§1.3)."""
    e = product.eligibility
    if age_years + Decimal(term_months) / 12 > e.max_age_plus_term_years:
        return Constraint.AGE_PLUS_TERM
    if term_months > e.long_term_above_months and age_years > e.long_term_max_vehicle_age_years:
        return Constraint.LONG_TERM_AGE
    return None


# ---- terms snapshot --------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return str(value)


def _fee_terms(fee: Fee) -> dict[str, Any]:
    return {
        "type": fee.fee_type.value,
        "name_zh": fee.name_zh,
        "payee": fee.payee.value,
        "fixed": _money(fee.fixed),
        "rate": _money(fee.rate),
        "financed": fee.financed,
    }


def _pricing_terms(p: Pricing) -> dict[str, Any]:
    return {
        "rate_by_grade": {g: _money(r) for g, r in sorted(p.rate_by_grade.items())},
        "expected_loss_by_grade": {
            g: _money(r) for g, r in sorted(p.expected_loss_by_grade.items())
        },
        "funding_cost": _money(p.funding_cost),
        "margin_floor": _money(p.margin_floor),
        "apr_ceiling": _money(p.apr_ceiling),
        "fraud_loading": [
            {"min_score": _money(b.min_score), "add_rate": _money(b.add_rate)}
            for b in p.fraud_loading
        ],
    }


def _eligibility_terms(e: Eligibility) -> dict[str, Any]:
    return {
        "applicant_kinds": list(e.applicant_kinds),
        "max_age_plus_term_years": _money(e.max_age_plus_term_years),
        "max_mileage_km": e.max_mileage_km,
        "new_energy": e.new_energy.value,
        "long_term_above_months": e.long_term_above_months,
        "long_term_max_vehicle_age_years": _money(e.long_term_max_vehicle_age_years),
        "max_payment_to_income": _money(e.max_payment_to_income),
    }


def _settlement_terms(rule: EarlySettlementRule) -> dict[str, Any]:
    return {
        "penalty_rate": _money(rule.penalty_rate),
        "penalty_months_interest": rule.penalty_months_interest,
        "waive_after_payments": rule.waive_after_payments,
        "validity_days": rule.validity_days,
    }


def product_terms(p: LeaseProduct) -> dict[str, Any]:
    """The product's terms as plain JSON (Decimals as strings), in the seed/API shape."""
    return {
        "code": p.code,
        "name_en": p.name_en,
        "name_zh": p.name_zh,
        "product_type": p.product_type.value,
        "active": p.active,
        "method": p.method.value,
        "schedule_type": p.schedule_type.value,
        "title_mode": p.title_mode.value,
        "terms_months": list(p.terms_months),
        "down_payment": {
            "min_ratio": _money(p.down_payment_min_ratio),
            "max_ratio": _money(p.down_payment_max_ratio),
        },
        "balloon_ratios": [_money(b) for b in p.balloon_ratios],
        "max_balloon_of_residual": _money(p.max_balloon_of_residual),
        "financed_amount": {"min": _money(p.min_financed), "max": _money(p.max_financed)},
        "fees": [_fee_terms(f) for f in p.fees],
        "eligibility": _eligibility_terms(p.eligibility),
        "ltv_cap_by_grade": {g: _money(c) for g, c in sorted(p.ltv_cap_by_grade.items())},
        "pricing": _pricing_terms(p.pricing),
        "early_settlement": _settlement_terms(p.early_settlement),
    }


def terms_hash(terms: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of `terms` (sorted keys, no spaces)."""
    canonical = json.dumps(terms, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# ---- the catalogue -----------------------------------------------------------------------------


class CatalogueSource(Protocol):
    def current(self) -> Catalogue: ...


@dataclass(frozen=True)
class Catalogue:
    """An immutable set of products (one version each). It is its own `CatalogueSource`."""

    products: tuple[LeaseProduct, ...] = ()

    def current(self) -> Catalogue:
        return self

    def by_code(self, code: str) -> LeaseProduct | None:
        return next((p for p in self.products if p.code == code), None)

    def active(self) -> tuple[LeaseProduct, ...]:
        return tuple(p for p in self.products if p.active)

    @cached_property
    def fingerprint(self) -> str:
        """sha256 over every product's code, version and terms hash."""
        parts = sorted(f"{p.code}@{p.version}:{p.terms_hash}" for p in self.products)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class CatalogueBox:
    """A replaceable reference to the current catalogue (a `CatalogueSource`).

    The service layer swaps a freshly loaded catalogue in; the stage reads whatever is current.
    Replacing is one reference assignment, so a reader always sees a whole catalogue.
    """

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self._catalogue = catalogue or Catalogue()

    def current(self) -> Catalogue:
        return self._catalogue

    def replace(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
