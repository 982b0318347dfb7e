"""Contracts booked from accepted offers, and their servicing events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class Contract(Base):
    """One lease: the accepted offer's terms and schedule, snapshotted in Decimal strings."""

    __tablename__ = "contract"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), unique=True)
    decision_id: Mapped[str] = mapped_column(ForeignKey("decision.id"))
    offer_rank: Mapped[int] = mapped_column()
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"))
    status: Mapped[str] = mapped_column(String(16))
    product_code: Mapped[str] = mapped_column(String(32))
    product_type: Mapped[str] = mapped_column(String(24))
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    term_months: Mapped[int] = mapped_column()
    financed_fen: Mapped[int] = mapped_column(BigInteger)
    monthly_payment_fen: Mapped[int] = mapped_column(BigInteger)
    title_action: Mapped[str] = mapped_column(String(24))
    title_state: Mapped[str] = mapped_column(String(16))
    title_reference: Mapped[str | None] = mapped_column(String(64))
    gps_device_id: Mapped[str | None] = mapped_column(String(64))
    booked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    start_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_contract_sp_id_booked_at", "sp_id", "booked_at"),)


class ContractEvent(Base):
    """A servicing event, unique per contract by the sender's `event_id` (idempotent)."""

    __tablename__ = "contract_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))
    occurred_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    request_hash: Mapped[str] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("contract_id", "event_id"),)
