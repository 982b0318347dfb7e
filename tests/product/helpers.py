"""Small builders for product tests (plain functions, no fixtures)."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from autolease.product.catalogue import Catalogue, LeaseProduct
from autolease.product.request import (
    CustomerNeeds,
    MatchRequest,
    MatchSettings,
    RiskView,
    VehicleView,
)
from autolease.product.schemas import ProductSpec

BASE_SPEC: dict[str, Any] = {
    "code": "T-DL",
    "name_en": "Test direct lease",
    "name_zh": "测试直租",
    "product_type": "direct_lease",
    "terms_months": [12, 24, 36],
    "down_payment": {"min_ratio": "0.20", "max_ratio": "0.50"},
    "balloon_ratios": ["0"],
    "financed_amount": {"min": "10000", "max": "500000"},
    "fees": [
        {"type": "gps", "payee": "gps_vendor", "fixed": "1000", "financed": True},
        {"type": "service", "payee": "lessor", "rate": "0.01"},
    ],
    "ltv_cap_by_grade": {"A": "0.80", "B": "0.70", "C": "0.60"},
    "pricing": {
        "rate_by_grade": {"A": "0.07", "B": "0.09", "C": "0.11"},
        "expected_loss_by_grade": {"A": "0.005", "B": "0.01", "C": "0.02"},
        "funding_cost": "0.045",
        "margin_floor": "0.015",
        "apr_ceiling": "0.24",
        "fraud_loading": [{"min_score": "0.5", "add_rate": "0.02"}],
    },
}


def spec(**overrides: Any) -> dict[str, Any]:
    """A copy of `BASE_SPEC` with top-level keys replaced."""
    data = copy.deepcopy(BASE_SPEC)
    data.update(overrides)
    return data


def product(**overrides: Any) -> LeaseProduct:
    return ProductSpec.model_validate(spec(**overrides)).to_product()


def catalogue(*products: LeaseProduct) -> Catalogue:
    return Catalogue(products or (product(),))


def needs(**overrides: Any) -> CustomerNeeds:
    values: dict[str, Any] = {
        "down_payment_available": Decimal(40000),
        "term_months": 36,
        "monthly_budget": Decimal(4000),
        "monthly_income": Decimal(15000),
        "amount_requested": Decimal(80000),
    }
    values.update(overrides)
    return CustomerNeeds(**values)


def vehicle(**overrides: Any) -> VehicleView:
    values: dict[str, Any] = {
        "price": Decimal(120000),
        "value_p10": Decimal(110000),
        "value_p50": Decimal(120000),
        "age_years": Decimal(2),
        "mileage_km": 40000,
        "seller_type": "dealer",
        "fuel_type": "petrol",
    }
    values.update(overrides)
    return VehicleView(**values)


def request(
    *,
    grade: str = "B",
    fraud: float | None = None,
    settings: MatchSettings | None = None,
    needs_: CustomerNeeds | None = None,
    vehicle_: VehicleView | None = None,
) -> MatchRequest:
    return MatchRequest(
        needs_ or needs(),
        vehicle_ or vehicle(),
        RiskView(grade, fraud),
        settings or MatchSettings(),
    )
