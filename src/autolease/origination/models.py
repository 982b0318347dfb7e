"""Applications and what hangs off them.

Personal data (names of people, resident ID, phone, bank card, address, contacts) is stored only
as AES-GCM ciphertext (`*_enc`), a keyed blind index (`*_bidx`) for exact-match links, and a
masked display form. Plaintext never reaches the database.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class Applicant(Base):
    __tablename__ = "applicant"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # individual | corporate
    name_enc: Mapped[str] = mapped_column(String(400))
    name_masked: Mapped[str] = mapped_column(String(200))
    id_number_enc: Mapped[str | None] = mapped_column(String(200))
    id_number_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(32))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    phone_enc: Mapped[str] = mapped_column(String(200))
    phone_bidx: Mapped[str] = mapped_column(String(64), index=True)
    phone_masked: Mapped[str] = mapped_column(String(20))
    bank_card_enc: Mapped[str] = mapped_column(String(200))
    bank_card_bidx: Mapped[str] = mapped_column(String(64), index=True)
    bank_card_masked: Mapped[str] = mapped_column(String(32))
    address_enc: Mapped[str] = mapped_column(String(1000))
    province: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(40))
    employer: Mapped[str | None] = mapped_column(String(200))
    monthly_income_fen: Mapped[int | None] = mapped_column(BigInteger)
    gender: Mapped[str | None] = mapped_column(String(1))
    age_at_application: Mapped[int | None] = mapped_column()
    legal_rep_enc: Mapped[str | None] = mapped_column(String(1000))
    contacts_enc: Mapped[str | None] = mapped_column(String(4000))


class Vehicle(Base):
    __tablename__ = "vehicle"

    id: Mapped[int] = mapped_column(primary_key=True)
    vin: Mapped[str] = mapped_column(String(17), index=True)
    plate: Mapped[str | None] = mapped_column(String(12))
    brand: Mapped[str] = mapped_column(String(50))
    model: Mapped[str] = mapped_column(String(80))
    trim: Mapped[str | None] = mapped_column(String(120))
    fuel_type: Mapped[str | None] = mapped_column(String(16))
    first_registration_date: Mapped[date] = mapped_column(Date)
    mileage_km: Mapped[int] = mapped_column()
    asking_price_fen: Mapped[int] = mapped_column(BigInteger)
    invoice_price_fen: Mapped[int | None] = mapped_column(BigInteger)
    seller_type: Mapped[str] = mapped_column(String(12))
    seller_name: Mapped[str | None] = mapped_column(String(200))


class Application(Base):
    __tablename__ = "application"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"))
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicle.id"))
    lead_source: Mapped[str] = mapped_column(String(20))
    partner_name: Mapped[str | None] = mapped_column(String(100))
    product_type: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    term_months: Mapped[int] = mapped_column()
    down_payment_fen: Mapped[int] = mapped_column(BigInteger)
    monthly_budget_fen: Mapped[int | None] = mapped_column(BigInteger)
    device: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_application_sp_id_submitted_at", "sp_id", "submitted_at"),)


class ApplicationStatusEvent(Base):
    __tablename__ = "application_status_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(500))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApplicationLink(Base):
    """A link key an application contributes (blind-indexed), for velocity and the graph."""

    __tablename__ = "application_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"))
    kind: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64))
    sp_id: Mapped[int] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_application_link_kind_key_hash_submitted_at", "kind", "key_hash", "submitted_at"),
        Index("ix_application_link_application_id_kind", "application_id", "kind"),
    )


class Decision(Base):
    __tablename__ = "decision"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    offers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    policy_key: Mapped[str] = mapped_column(String(100))
    policy_version: Mapped[str] = mapped_column(String(40))
    policy_hash: Mapped[str] = mapped_column(String(64))
    model_versions: Mapped[dict[str, str]] = mapped_column(JSON)
    features: Mapped[dict[str, Any]] = mapped_column(JSON)
    trace: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IdempotencyRecord(Base):
    """Remembers the response to an `Idempotency-Key` per SP; the body is kept only as a hash."""

    __tablename__ = "idempotency_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    application_id: Mapped[str | None] = mapped_column(ForeignKey("application.id"))
    response_status: Mapped[int | None] = mapped_column()
    response_body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("sp_id", "key"),)


class ApplicationConsent(Base):
    """The applicant's explicit consents, recorded with the application in its transaction:
    to processing personal information, and separately to biometrics (sensitive personal
    information, PIPL Art. 28-29), with the version of the texts shown and the channel that
    obtained them (the API's `consent`, or the H5 page)."""

    __tablename__ = "application_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("application.id"), unique=True, index=True
    )
    personal_information: Mapped[bool] = mapped_column(Boolean)
    biometrics: Mapped[bool] = mapped_column(Boolean)
    text_version: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))  # api | h5_staff | h5_link
    given_at: Mapped[datetime] = mapped_column(UtcDateTime)
