"""Stored policy versions, activations, per-decision policy evaluations and reviews.

``policy_version`` keeps the canonical content of every version that was ever activated or
used, so an old decision stays replayable after the file changes. ``decision_evaluation``
holds, for each decision, every policy that evaluated it (the acting one and any shadow),
with the exact input, outcome, reasons and compact engine trace.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class PolicyVersion(Base):
    __tablename__ = "policy_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    cases: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("key", "version"),)


class PolicyActivation(Base):
    __tablename__ = "policy_activation"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    effective_from: Mapped[datetime] = mapped_column(UtcDateTime)
    activated_by: Mapped[str] = mapped_column(String(100))
    activated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_policy_activation_key_effective_from", "key", "effective_from"),)


class DecisionEvaluation(Base):
    __tablename__ = "decision_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[str] = mapped_column(ForeignKey("decision.id"), index=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # champion | challenger
    acted: Mapped[bool] = mapped_column()
    policy_key: Mapped[str] = mapped_column(String(100))
    policy_version: Mapped[str] = mapped_column(String(40))
    policy_hash: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    input: Mapped[dict[str, Any]] = mapped_column(JSON)
    trace: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(String(1000))
    evaluated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DecisionReview(Base):
    """Verdicts the older review endpoint recorded before the review workbench existed.

    Kept for its history only: nothing writes or reads it now. A verdict's one record is the
    workbench's `review_verdict` row (`autolease.review.models.ReviewVerdict`)."""

    __tablename__ = "decision_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), index=True)
    decision_id: Mapped[str] = mapped_column(ForeignKey("decision.id"))
    reviewer: Mapped[str] = mapped_column(String(100))
    verdict: Mapped[str] = mapped_column(String(10))  # approve | decline
    note: Mapped[str] = mapped_column(String(500))
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime)
