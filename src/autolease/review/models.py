"""Review cases, their reasons, verdicts and information requests.

A ``review_case`` is opened for every application the policy refers. It carries what the
queue filters and sorts on (SP, amount, when it was referred), who holds it, and, once a
verdict is final, the **final outcome** and the **role** that decided it. The automated
``decision`` row is never changed: it keeps the policy's outcome.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class ReviewCase(Base):
    __tablename__ = "review_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), unique=True)
    decision_id: Mapped[str] = mapped_column(ForeignKey("decision.id"))
    sp_id: Mapped[int] = mapped_column()
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    # open | info_requested | awaiting_confirmation | closed; set with `move`
    state: Mapped[str] = mapped_column(String(24))
    waiting: Mapped[bool] = mapped_column()  # not closed: in the queue
    referred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    primary_reason: Mapped[str | None] = mapped_column(String(60))
    primary_stage: Mapped[str | None] = mapped_column(String(20))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    final_outcome: Mapped[str | None] = mapped_column(String(10))  # approve | decline
    decided_by_role: Mapped[str | None] = mapped_column(String(12))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    approved_offer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    sp_message: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        Index("ix_review_case_waiting_referred_at", "waiting", "referred_at", "application_id"),
        Index("ix_review_case_state_referred_at", "state", "referred_at", "application_id"),
        Index("ix_review_case_sp_state_referred_at", "sp_id", "state", "referred_at"),
        Index("ix_review_case_decided_at", "decided_at"),
    )


def move(case: ReviewCase, state: str) -> None:
    """Set a case's state (and whether it waits in the queue)."""
    case.state = state
    case.waiting = state != "closed"


class ReviewCaseReason(Base):
    """The refer reasons of a case, one row each, for the queue's reason and stage filters."""

    __tablename__ = "review_case_reason"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_case.id"))
    code: Mapped[str] = mapped_column(String(60))
    stage: Mapped[str] = mapped_column(String(20))

    __table_args__ = (
        Index("ix_review_case_reason_code_case_id", "code", "case_id"),
        Index("ix_review_case_reason_stage_case_id", "stage", "case_id"),
        Index("ix_review_case_reason_case_id", "case_id"),
    )


class ReviewVerdict(Base):
    """A verdict a reviewer gave; with four-eyes it is ``pending`` until a second reviewer
    confirms (``confirmed``) or rejects it (``rejected``)."""

    __tablename__ = "review_verdict"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_case.id"), index=True)
    application_id: Mapped[str] = mapped_column(String(40))
    verdict: Mapped[str] = mapped_column(String(24))
    reason_code: Mapped[str] = mapped_column(String(40))
    internal_note: Mapped[str] = mapped_column(String(2000))
    sp_message: Mapped[str | None] = mapped_column(String(500))
    offer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    policy_outcome: Mapped[str] = mapped_column(String(10))
    reviewer: Mapped[str] = mapped_column(String(100))
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12))  # final | pending | confirmed | rejected
    four_eyes_why: Mapped[str | None] = mapped_column(String(200))
    confirmed_by: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    confirm_note: Mapped[str | None] = mapped_column(String(2000))


class InformationRequest(Base):
    """What a reviewer asked the SP for, and the SP's answer."""

    __tablename__ = "review_info_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_case.id"), index=True)
    application_id: Mapped[str] = mapped_column(String(40), index=True)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    sp_message: Mapped[str | None] = mapped_column(String(500))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answer_message: Mapped[str | None] = mapped_column(String(2000))
    document_ids: Mapped[list[int] | None] = mapped_column(JSON)


class HumanReviewRequest(Base):
    """The applicant's request, through its SP, for a person to review a decline or a
    referral (PIPL Art. 24). It is open while its case waits in the queue; the case's verdict
    answers it."""

    __tablename__ = "review_human_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_case.id"), index=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), index=True)
    reason: Mapped[str] = mapped_column(String(1000))
    status_before: Mapped[str] = mapped_column(String(16))  # declined | referred
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
