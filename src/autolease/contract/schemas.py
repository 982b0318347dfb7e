"""Request and response models for contracts and their servicing events.

Amounts are CNY as JSON strings or numbers with at most two decimals; dates are ISO
``YYYY-MM-DD``. An `event_id` is the sender's own id: the same id with the same body is
answered from the first recording, with another body it is refused (409).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from autolease.kit.strict_fields import Amount as StrictAmount
from autolease.kit.strict_fields import Integer

EventId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
Amount = Annotated[StrictAmount, Field(gt=0, max_digits=14, decimal_places=2)]
Reference = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:/-]+$")]
Note = Annotated[str, Field(max_length=500)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AcceptOffer(Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"decision_id": "dec_01JEXAMPLE", "offer_rank": 1}]}
    )

    decision_id: str = Field(min_length=1, max_length=40, description="the decision whose offer")
    offer_rank: Integer = Field(ge=1, le=20, description="rank of the accepted offer (1 = best)")
    gps_device_id: Reference | None = Field(default=None, description="the car's GPS tracker id")


class _Event(Strict):
    event_id: EventId = Field(description="The sender's own id of this event (idempotency)")
    occurred_on: date = Field(description="When it happened, ISO date")
    note: Note | None = Field(default=None, description="A free note, up to 500 characters")


class Payout(_Event):
    kind: Literal["payout"] = Field(description="The lessor paid the seller (放款)")
    amount: Amount = Field(description="Amount paid out, CNY")
    reference: Reference = Field(description="The bank transfer's reference")


class Title(_Event):
    kind: Literal["title"] = Field(description="A title action (mortgage or transfer)")
    state: Literal["registered", "released"] = Field(description="The title's new state")
    reference: Reference = Field(description="The registration's reference")


class Repayment(_Event):
    kind: Literal["repayment"] = Field(description="The lessee paid (还款)")
    amount: Amount = Field(description="Amount received, CNY")


class SettlementQuoteRequest(_Event):
    kind: Literal["settlement_quote"] = Field(description="Ask for an early-settlement quote")


class SettlementPayment(_Event):
    kind: Literal["settlement_payment"] = Field(description="The lessee settled early")
    amount: Amount = Field(description="Amount received, CNY")
    quote_event_id: EventId = Field(description="The event_id of the quote being paid")


class Extension(_Event):
    kind: Literal["extension"] = Field(description="Installments pushed back (展期)")
    from_installment: Integer = Field(ge=1, le=120, description="First installment moved")
    months: Integer = Field(ge=1, le=12, description="By how many months")


class WriteOff(_Event):
    kind: Literal["write_off"] = Field(description="The balance is written off (核销)")
    amount: Amount = Field(description="Amount written off, CNY")


class DefaultNotice(_Event):
    kind: Literal["default_notice"] = Field(
        description="A formal notice of default sent to the lessee (催告), while past due"
    )
    reference: Reference = Field(description="The notice's reference (letter, SMS or case id)")


class Repossession(_Event):
    kind: Literal["repossession"] = Field(description="The car was repossessed (收车)")


class Cancellation(_Event):
    kind: Literal["cancellation"] = Field(description="The contract is cancelled before payout")


ServicingEvent = Annotated[
    Payout
    | Title
    | Repayment
    | SettlementQuoteRequest
    | SettlementPayment
    | Extension
    | WriteOff
    | DefaultNotice
    | Repossession
    | Cancellation,
    Field(discriminator="kind"),
]


class EventEnvelope(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event": {
                        "kind": "repayment",
                        "event_id": "bank-20261215-0001",
                        "occurred_on": "2026-12-15",
                        "amount": "2761.11",
                    }
                }
            ]
        }
    )

    event: ServicingEvent = Field(description="One servicing event; `kind` says which")


class EventRead(BaseModel):
    event_id: str
    kind: str
    occurred_on: date
    amount: str | None
    detail: dict[str, Any]
    recorded_at: str


class InstallmentRead(BaseModel):
    number: int
    kind: str
    due_on: date | None
    payment: str
    principal: str
    interest: str
    balance_after: str


class ContractRead(BaseModel):
    id: str
    application_id: str
    decision_id: str
    offer_rank: int
    sp_code: str
    status: str
    product_code: str
    product_type: str
    term_months: int
    annual_rate: str
    financed_amount: str
    down_payment: str
    balloon: str
    monthly_payment: str
    currency: Literal["CNY"] = "CNY"
    title_action: str
    title_state: str
    title_reference: str | None
    title_release_due_on: date | None = Field(
        description="A paid-off contract's last day to release the title, until it is released"
    )
    title_release_overdue: bool = Field(description="That day has passed (as of the read's day)")
    gps_device_id: str | None
    booked_at: str
    start_on: date | None
    closed_on: date | None
    schedule: list[InstallmentRead]
    arrears: dict[str, Any] | None


class ContractPage(BaseModel):
    items: list[ContractRead]
    next_cursor: str | None


class RecordedEvent(BaseModel):
    event: EventRead
    contract: ContractRead
    result: dict[str, Any] = Field(default_factory=dict)
