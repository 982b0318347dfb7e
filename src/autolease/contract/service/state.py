"""A stored contract read back as pure values: terms, schedule, dues, payments, arrears."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from autolease.contract.arrears import ArrearsState, Due, Payment, arrears_state
from autolease.contract.models import Contract, ContractEvent
from autolease.contract.settings import ContractSettings
from autolease.contract.terms import ContractTerms, Extension, dated_dues, terms_from_offer
from autolease.kit.money import from_fen
from autolease.product.schedule import Installment, RowKind

PAYING_KINDS = frozenset({"repayment"})


def installment_of(raw: dict[str, object]) -> Installment:
    return Installment(
        number=int(str(raw["number"])),
        period=int(str(raw["period"])),
        payment=Decimal(str(raw["payment"])),
        principal=Decimal(str(raw["principal"])),
        interest=Decimal(str(raw["interest"])),
        balance_after=Decimal(str(raw["balance_after"])),
        kind=RowKind(str(raw["kind"])),
    )


@dataclass(frozen=True)
class ContractState:
    terms: ContractTerms
    schedule: tuple[Installment, ...]
    dues: tuple[Due, ...]
    payments: tuple[Payment, ...]

    def arrears(self, as_of: date, settings: ContractSettings) -> ArrearsState:
        return arrears_state(
            self.dues,
            self.payments,
            as_of,
            tolerance=settings.payment_tolerance,
            fpd_days=settings.fpd_days,
        )


def state_of(contract: Contract, events: Sequence[ContractEvent]) -> ContractState:
    terms = terms_from_offer(contract.terms["offer"])
    schedule = tuple(installment_of(row) for row in contract.schedule)
    extensions = [
        Extension(int(e.detail["from_installment"]), int(e.detail["months"]))
        for e in events
        if e.kind == "extension"
    ]
    dues = dated_dues(schedule, contract.start_on, extensions) if contract.start_on else ()
    payments = tuple(
        Payment(e.occurred_on, from_fen(e.amount_fen))
        for e in events
        if e.kind in PAYING_KINDS and e.amount_fen is not None
    )
    return ContractState(terms, schedule, dues, payments)
