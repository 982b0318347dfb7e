"""Request and response models of the review API (staff) and of the SP's answer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from autolease.kit.strict_fields import Integer
from autolease.review.vocabulary import AgeBand, AmountBand, CaseState, Verdict

Note = Annotated[str, Field(min_length=1, max_length=2000)]
SpMessage = Annotated[str, Field(min_length=1, max_length=500)]
DocumentId = Annotated[Integer, Field(ge=1, le=2**53)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ChecklistItem(Strict):
    """One thing the SP must provide: a document kind, or ``other`` with a free text."""

    kind: Literal[
        "id_card_front",
        "id_card_back",
        "vehicle_licence",
        "registration_certificate",
        "bank_card",
        "income_proof",
        "other",
    ] = Field(description="A document kind, or `other` for a need said in `text`.")
    text: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="What is needed, in words (required for `other`).",
    )

    @model_validator(mode="after")
    def _other_needs_text(self) -> ChecklistItem:
        if self.kind == "other" and not self.text:
            raise ValueError("an 'other' item needs a text saying what is needed")
        return self


class VerdictRequest(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "verdict": "request_information",
                "reason_code": "income_proof_needed",
                "internal_note": "月收入与职业不符，需核实",
                "sp_message": "请补充近6个月银行流水",
                "checklist": [{"kind": "income_proof"}, {"kind": "other", "text": "工作证明"}],
            }
        }
    )

    verdict: Verdict = Field(
        description="approve, decline, request_information, or approve_changed (approve one"
        " of the decision's feasible offers, named by `offer_rank`)."
    )
    reason_code: str = Field(
        min_length=1,
        max_length=40,
        description="A review reason code of the verdict (GET /v1/review/vocabulary).",
    )
    internal_note: Note = Field(description="For staff only: the SP never sees it.")
    sp_message: SpMessage | None = Field(
        default=None, description="An optional message the SP sees with the outcome."
    )
    offer_rank: Integer | None = Field(
        default=None,
        ge=1,
        le=100,
        description="approve_changed only: the `rank` of the feasible offer approved.",
    )
    checklist: list[ChecklistItem] | None = Field(
        default=None,
        min_length=1,
        max_length=20,
        description="request_information only: what the SP must provide.",
    )


class ConfirmRequest(Strict):
    model_config = ConfigDict(
        json_schema_extra={"example": {"confirm": True, "note": "核对无误，同意"}}
    )

    confirm: bool = Field(
        description="true: the pending verdict takes effect; false: it goes back to its reviewer."
    )
    note: Note = Field(description="The second reviewer's internal note.")


class ReleaseRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"example": {"note": "休假，交回队列"}})

    note: str | None = Field(
        default=None, max_length=500, description="Why the case is released (audited)."
    )


class RevealRequest(Strict):
    model_config = ConfigDict(
        json_schema_extra={"example": {"field": "phone", "reason": "电话核实本人"}}
    )

    field: Literal["name", "id_number", "phone", "bank_card", "address"] = Field(
        description="The one applicant field to show in clear."
    )
    reason: str = Field(min_length=5, max_length=500, description="Why it is needed (audited).")


class InformationAnswer(Strict):
    """The SP's answer to an information request: a message and the uploaded documents."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"message": "已上传收入证明", "document_ids": [101, 102]}}
    )

    message: str = Field(
        min_length=1, max_length=2000, description="The SP's answer to the reviewer."
    )
    document_ids: list[DocumentId] = Field(
        default_factory=list,
        max_length=20,
        description="Ids of documents the SP uploaded for this application"
        " (POST /v1/applications/{application_id}/documents).",
    )


class HumanReviewCreate(Strict):
    """The applicant's request for a person to review a decline or a referral."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"reason": "申请人月收入已提高，请人工复核"}}
    )

    reason: str = Field(
        min_length=1,
        max_length=1000,
        description="Why the applicant asks for a human review, in their words (staff read it).",
    )


# ---- responses -------------------------------------------------------------------------------


class QueueItem(BaseModel):
    application_id: str
    sp_code: str
    applicant_name: str
    amount: Decimal
    state: CaseState
    referred_at: datetime
    age_hours: float
    sla_due_at: datetime
    age_band: AgeBand
    primary_reason: str | None
    reasons: list[str]
    stages: list[str]
    claimed_by: str | None
    claimed_at: datetime | None


class QueuePage(BaseModel):
    items: list[QueueItem]
    next_cursor: str | None
    sla_hours: float


class VerdictRead(BaseModel):
    id: int
    verdict: str
    reason_code: str
    internal_note: str
    sp_message: str | None
    offer: dict[str, Any] | None
    policy_outcome: str
    reviewer: str
    reviewed_at: datetime
    status: str
    four_eyes_why: str | None
    confirmed_by: str | None
    confirmed_at: datetime | None
    confirm_note: str | None


class InfoRequestRead(BaseModel):
    """An information request as staff see it."""

    id: int
    items: list[dict[str, Any]]
    sp_message: str | None
    requested_at: datetime
    answered_at: datetime | None
    answer_message: str | None
    document_ids: list[int] | None


class CaseRead(BaseModel):
    """A case's state as staff see it."""

    application_id: str
    status: str
    state: CaseState
    policy_outcome: str
    final_outcome: str | None
    decided_by_role: str | None
    decided_at: datetime | None
    claimed_by: str | None
    claimed_at: datetime | None
    referred_at: datetime
    amount: Decimal
    verdicts: list[VerdictRead]
    information_requests: list[InfoRequestRead]


class RevealRead(BaseModel):
    field: str
    value: str


class ReviewerFigures(BaseModel):
    reviewer: str
    verdicts: int
    confirmations: int
    overrides: int


class QueueMetrics(BaseModel):
    window_days: int
    sla_hours: float
    waiting: dict[str, int]
    oldest_age_hours: float | None
    overdue: int
    decided: int
    time_to_verdict_hours_p50: float | None
    time_to_verdict_hours_p90: float | None
    override_rate: float | None
    approve_share: float | None
    reviewers: list[ReviewerFigures]


class VocabularyRead(BaseModel):
    reason_codes: dict[str, list[str]]
    document_kinds: list[str]
    amount_bands: list[AmountBand]
    age_bands: list[AgeBand]


class HumanReviewRead(BaseModel):
    """A request for a human review as its SP sees it."""

    id: int
    application_id: str
    reason: str
    requested_at: datetime
    state: Literal["open", "closed"] = Field(
        description="`open` while the review case waits; its verdict closes it."
    )
    application_status: str
