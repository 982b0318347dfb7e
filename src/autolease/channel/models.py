"""SP due diligence, the deposit ledger, limits and graded months."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class SpDueDiligence(Base):
    """One due-diligence item of an SP (licence, legal representative, premises …), latest state."""

    __tablename__ = "sp_due_diligence"

    id: Mapped[int] = mapped_column(primary_key=True)
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"))
    item: Mapped[str] = mapped_column(String(24))
    value: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(500))
    verified: Mapped[bool] = mapped_column()
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("sp_id", "item"),)


class SpDepositEntry(Base):
    """A 保证金 ledger entry. Amounts are positive; `kind` gives the sign. Append-only.

    `contract_id` names the contract a deduction covers a loss on; it is not a foreign key so
    that this table does not depend on the order in which parallel migrations run.
    """

    __tablename__ = "sp_deposit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # top_up | deduction | refund
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    balance_after_fen: Mapped[int] = mapped_column(BigInteger)
    contract_id: Mapped[str | None] = mapped_column(String(40), index=True)
    reference: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SpLimit(Base):
    """Per-SP intake limits; a null column is no limit."""

    __tablename__ = "sp_limit"

    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"), primary_key=True)
    monthly_volume: Mapped[int | None] = mapped_column()
    max_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    products: Mapped[list[str] | None] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SpGradeProposal(Base):
    """A grade the grade policy proposed for an SP at a month end, and the manager's answer."""

    __tablename__ = "sp_grade_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"))
    month: Mapped[str] = mapped_column(String(7))
    grade: Mapped[str] = mapped_column(String(1))
    previous_grade: Mapped[str] = mapped_column(String(1))
    rule: Mapped[str] = mapped_column(String(64))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    actions: Mapped[list[str]] = mapped_column(JSON)  # codes from the actions policy
    policy_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))  # proposed | confirmed | rejected
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (UniqueConstraint("sp_id", "month"),)


class SpStaffPhone(Base):
    """A phone of an SP's staff or sellers, blind-indexed like an applicant's phone (the
    `phone` link kind), so that an applicant giving it is found (`channel.collusion`)."""

    __tablename__ = "sp_staff_phone"

    id: Mapped[int] = mapped_column(primary_key=True)
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # staff | seller
    key_hash: Mapped[str] = mapped_column(String(64))
    masked: Mapped[str] = mapped_column(String(20))
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("sp_id", "key_hash"),)


class ChannelPartner(Base):
    """A lead-source partner (an insurer's agents, an auto portal …) and its referral fee rule:
    `fee_kind` fixed (`fee_fixed_fen` per booked contract) or percent (`fee_rate` of the
    financed amount, e.g. 0.0150 for 1.5 %)."""

    __tablename__ = "channel_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(12))  # active | inactive
    fee_kind: Mapped[str] = mapped_column(String(12))  # fixed | percent
    fee_fixed_fen: Mapped[int | None] = mapped_column(BigInteger)
    fee_rate: Mapped[Decimal | None] = mapped_column(Numeric(7, 6))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApplicationReferral(Base):
    """The partner an application was referred by (one at most); written at intake."""

    __tablename__ = "application_referral"

    application_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("channel_partner.id"), index=True)
    referred_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PartnerFeeEntry(Base):
    """A referral fee ledger entry. Amounts are positive; `kind` gives the sign: accrual (+,
    when a referred contract is booked), reversal (−, when it is cancelled), payout (−).
    One accrual and one reversal per contract at most (the unique key). Append-only."""

    __tablename__ = "partner_fee_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("channel_partner.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    balance_after_fen: Mapped[int] = mapped_column(BigInteger)
    contract_id: Mapped[str | None] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("contract_id", "kind"),)
