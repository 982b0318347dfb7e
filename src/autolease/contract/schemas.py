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
    decision_id: str = Field(min_length=1, max_length=40, description="the decision whose offer")
    offer_rank: Integer = Field(ge=1, le=20, description="rank of the accepted offer (1 = best)")
    gps_device_id: Reference | None = Field(default=None, description="the car's GPS tracker id")


class _Event(Strict):
    event_id: EventId
    occurred_on: date
    note: Note | None = None


class Payout(_Event):
    kind: Literal["payout"]
    amount: Amount
    reference: Reference


class Title(_Event):
    kind: Literal["title"]
    state: Literal["registered", "released"]
    reference: Reference


class Repayment(_Event):
    kind: Literal["repayment"]
    amount: Amount


class SettlementQuoteRequest(_Event):
    kind: Literal["settlement_quote"]


class SettlementPayment(_Event):
    kind: Literal["settlement_payment"]
    amount: Amount
    quote_event_id: EventId


class Extension(_Event):
    kind: Literal["extension"]
    from_installment: Integer = Field(ge=1, le=120)
    months: Integer = Field(ge=1, le=12)


class WriteOff(_Event):
    kind: Literal["write_off"]
    amount: Amount


class Repossession(_Event):
    kind: Literal["repossession"]


class Cancellation(_Event):
    kind: Literal["cancellation"]


ServicingEvent = Annotated[
    Payout
    | Title
    | Repayment
    | SettlementQuoteRequest
    | SettlementPayment
    | Extension
    | WriteOff
    | Repossession
    | Cancellation,
    Field(discriminator="kind"),
]


class EventEnvelope(BaseModel):
    event: ServicingEvent


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
