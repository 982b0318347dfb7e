"""Product vocabulary (pure): product types, title modes, fees, payees and constraints."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum

ALLOWED_TERMS = frozenset({6, 12, 18, 24, 30, 36, 42, 48, 54, 60})
NEW_ENERGY_FUELS = frozenset({"bev", "phev", "erev", "fcev"})
MAX_BALLOON_RATIO = Decimal("0.6")


class ProductType(StrEnum):
    DIRECT_LEASE = "direct_lease"  # 直租
    SALE_LEASEBACK = "sale_leaseback"  # 售后回租
    OPERATING_LEASE = "operating_lease"  # 经营性租赁


class TitleMode(StrEnum):
    LESSEE_TITLED_WITH_MORTGAGE = "lessee_titled_with_mortgage"
    LESSOR_TITLED = "lessor_titled"


class FeeType(StrEnum):
    GPS = "gps"
    SERVICE = "service"
    NOTARY = "notary"
    MORTGAGE_REGISTRATION = "mortgage_registration"
    EVALUATION = "evaluation"


class Payee(StrEnum):
    LESSOR = "lessor"
    SP = "sp"
    GPS_VENDOR = "gps_vendor"
    NOTARY = "notary"
    REGISTRY = "registry"


class NewEnergyRule(StrEnum):
    ANY = "any"
    ONLY = "only"
    EXCLUDED = "excluded"


class Constraint(StrEnum):
    """Why a product, a term or a structure is not offered (see `explain.CONSTRAINT_TEXT`)."""

    CATALOGUE_EMPTY = "catalogue_empty"
    PRODUCT_TYPE = "product_type"
    APPLICANT_KIND = "applicant_kind"
    SELLER = "seller"
    NEW_ENERGY = "new_energy"
    MILEAGE = "mileage"
    GRADE = "grade"
    TERM = "term"
    AGE_PLUS_TERM = "age_plus_term"
    LONG_TERM_AGE = "long_term_age"
    BALLOON_RESIDUAL = "balloon_residual"
    DOWN_PAYMENT = "down_payment"
    LTV = "ltv"
    FINANCED_LIMITS = "financed_limits"
    BUDGET = "budget"
    PAYMENT_TO_INCOME = "payment_to_income"
    APR_CEILING = "apr_ceiling"


# Who may sell the vehicle into each product type (docs/domain.md §1.1-§1.3):
# sale-and-leaseback needs the lessee to be the seller, with the car registered to them; a
# direct or operating lease needs a supplier separate from the lessee.
SELLERS_BY_TYPE: Mapping[ProductType, frozenset[str]] = {
    ProductType.SALE_LEASEBACK: frozenset({"lessee"}),
    ProductType.DIRECT_LEASE: frozenset({"dealer", "individual"}),
    ProductType.OPERATING_LEASE: frozenset({"dealer", "individual"}),
}
