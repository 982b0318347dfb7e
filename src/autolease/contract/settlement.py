"""Early settlement of a running contract (pure).

The quote is the product domain's `early_settlement_quote` taken at the rents that have fallen
due (as if paid), plus whatever of them is still overdue: a contract in arrears settles its
arrears and its outstanding principal, accrued rent and penalty together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from autolease.contract.arrears import Due, Payment, arrears_state
from autolease.contract.terms import ContractTerms
from autolease.product.schedule import Installment, RowKind, SettlementQuote, early_settlement_quote


class SettlementNotPossible(ValueError):
    """Every rent has fallen due: the lessee pays what is due, there is nothing to settle early."""


@dataclass(frozen=True)
class ContractSettlement:
    quote: SettlementQuote
    overdue: Decimal

    @property
    def total(self) -> Decimal:
        return self.quote.total + self.overdue

    def as_dict(self) -> dict[str, object]:
        q = self.quote
        return {
            "rents_fallen_due": q.payments_made,
            "outstanding_principal": str(q.outstanding_principal),
            "accrued_interest": str(q.accrued_interest),
            "penalty": str(q.penalty),
            "penalty_waived": q.penalty_waived,
            "overdue": str(self.overdue),
            "total": str(self.total),
            "valid_until": q.valid_until.isoformat(),
        }


def settlement_quote(
    terms: ContractTerms,
    schedule: Sequence[Installment],
    dues: Sequence[Due],
    payments: Sequence[Payment],
    *,
    start_on: date,
    as_of: date,
) -> ContractSettlement:
    rent_dues = [d for d, row in zip(dues, schedule, strict=True) if row.kind is RowKind.RENT]
    fallen = [d for d in rent_dues if d.due_on <= as_of]
    if len(fallen) >= terms.term_months:
        raise SettlementNotPossible("every rent has fallen due; pay what is due instead")
    since = fallen[-1].due_on if fallen else start_on
    quote = early_settlement_quote(
        terms.lease_terms(),
        payments_made=len(fallen),
        days_since_last_due=min(max((as_of - since).days, 0), 30),
        rule=terms.settlement,
        as_of=as_of,
    )
    overdue = arrears_state(dues, payments, as_of).overdue_amount
    return ContractSettlement(quote, overdue)
