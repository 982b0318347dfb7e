"""The value types a lease product is made of: fees, pricing by grade, eligibility (pure).

They sit apart from `catalogue.LeaseProduct` so that `rules` can name them without importing
the catalogue, which imports `rules` to check every product it builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from autolease.kit.money import round_money
from autolease.product.kinds import FeeType, NewEnergyRule, Payee


@dataclass(frozen=True)
class Fee:
    """One fee line: ``fixed + rate × amount advanced``, financed into principal or paid upfront."""

    fee_type: FeeType
    payee: Payee
    fixed: Decimal = Decimal(0)
    rate: Decimal = Decimal(0)
    financed: bool = False
    name_zh: str = ""

    def amount(self, advanced: Decimal) -> Decimal:
        return round_money(self.fixed + self.rate * advanced)


@dataclass(frozen=True)
class FraudBand:
    """Add `add_rate` to the price when the fraud score is at least `min_score`."""

    min_score: Decimal
    add_rate: Decimal


@dataclass(frozen=True)
class Pricing:
    rate_by_grade: Mapping[str, Decimal]
    expected_loss_by_grade: Mapping[str, Decimal]
    funding_cost: Decimal
    margin_floor: Decimal
    apr_ceiling: Decimal
    fraud_loading: tuple[FraudBand, ...] = ()


@dataclass(frozen=True)
class Eligibility:
    applicant_kinds: tuple[str, ...] = ("individual", "corporate")
    max_age_plus_term_years: Decimal = Decimal(8)
    max_mileage_km: int = 150_000
    new_energy: NewEnergyRule = NewEnergyRule.ANY
    long_term_above_months: int = 36
    long_term_max_vehicle_age_years: Decimal = Decimal(3)
    max_payment_to_income: Decimal = Decimal("0.5")
