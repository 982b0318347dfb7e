"""A contract's terms, snapshotted from the accepted offer, and its dated schedule (pure).

The offer stored with the decision carries the product's terms and the structure in Decimal
strings; `terms_from_offer` reads them back and rebuilds the schedule with the product domain's
own generator, so the contract's rents are exactly what the offer showed. Due dates run from
the payout date; an extension moves every installment from a given one on by whole months.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from autolease.contract.arrears import Due
from autolease.contract.calendar import add_months
from autolease.product.kinds import ProductType, TitleMode
from autolease.product.schedule import (
    AmortizationMethod,
    EarlySettlementRule,
    Installment,
    LeaseTerms,
    ScheduleType,
    build_schedule,
)

PAYMENT_TOLERANCE = Decimal("0.01")


class OfferUnusable(ValueError):
    """The stored offer cannot be turned into a contract (missing or inconsistent terms)."""


@dataclass(frozen=True)
class ContractTerms:
    product_code: str
    product_version: int
    terms_hash: str
    product_type: ProductType
    title_mode: TitleMode
    term_months: int
    method: AmortizationMethod
    schedule_type: ScheduleType
    annual_rate: Decimal
    financed: Decimal
    down_payment: Decimal
    balloon: Decimal
    monthly_payment: Decimal
    settlement: EarlySettlementRule

    def lease_terms(self) -> LeaseTerms:
        return LeaseTerms(
            self.financed,
            self.annual_rate,
            self.term_months,
            self.balloon,
            self.method,
            self.schedule_type,
        )

    @property
    def title_action(self) -> str:
        """What secures the lessor's interest: ownership transfer, lessor title or a mortgage."""
        if self.product_type is ProductType.SALE_LEASEBACK:
            return "ownership_transfer"
        if self.title_mode is TitleMode.LESSOR_TITLED:
            return "lessor_registration"
        return "mortgage_registration"


def _decimal(offer: Mapping[str, Any], key: str) -> Decimal:
    try:
        return Decimal(str(offer[key]))
    except (KeyError, InvalidOperation):
        raise OfferUnusable(f"the offer has no valid {key}") from None


def _settlement_rule(product_terms: Mapping[str, Any]) -> EarlySettlementRule:
    raw = product_terms.get("early_settlement") or {}
    return EarlySettlementRule(
        penalty_rate=Decimal(str(raw.get("penalty_rate", "0.03"))),
        penalty_months_interest=int(raw.get("penalty_months_interest", 0)),
        waive_after_payments=raw.get("waive_after_payments"),
        validity_days=int(raw.get("validity_days", 7)),
    )


def terms_from_offer(offer: Mapping[str, Any]) -> ContractTerms:
    """The contract terms of a stored offer; raises `OfferUnusable` when they do not add up."""
    product = offer.get("product") or {}
    product_terms = offer.get("product_terms") or {}
    try:
        terms = ContractTerms(
            product_code=str(product["code"]),
            product_version=int(product["version"]),
            terms_hash=str(product["terms_hash"]),
            product_type=ProductType(product["type"]),
            title_mode=TitleMode(
                product_terms.get("title_mode", TitleMode.LESSEE_TITLED_WITH_MORTGAGE)
            ),
            term_months=int(offer["term_months"]),
            method=AmortizationMethod(offer["method"]),
            schedule_type=ScheduleType(offer["schedule_type"]),
            annual_rate=_decimal(offer, "annual_rate"),
            financed=_decimal(offer, "financed_amount"),
            down_payment=_decimal(offer, "down_payment"),
            balloon=_decimal(offer, "balloon"),
            monthly_payment=_decimal(offer, "monthly_payment"),
            settlement=_settlement_rule(product_terms),
        )
    except (KeyError, ValueError) as exc:
        raise OfferUnusable(f"the offer's terms are incomplete: {exc}") from None
    first = build_schedule(terms.lease_terms())[0].payment
    if abs(first - terms.monthly_payment) > PAYMENT_TOLERANCE:
        raise OfferUnusable("the offer's payment does not match its own terms")
    return terms


def schedule_of(terms: ContractTerms) -> tuple[Installment, ...]:
    return build_schedule(terms.lease_terms())


@dataclass(frozen=True)
class Extension:
    """展期: installments from `from_number` on fall due `months` later."""

    from_number: int
    months: int


def dated_dues(
    schedule: Sequence[Installment], start_on: date, extensions: Sequence[Extension] = ()
) -> tuple[Due, ...]:
    """Each installment's due date: `period` months after the payout, moved by extensions."""
    out = []
    for row in schedule:
        shift = sum(e.months for e in extensions if row.number >= e.from_number)
        out.append(Due(row.number, add_months(start_on, row.period + shift), row.payment))
    return tuple(out)
