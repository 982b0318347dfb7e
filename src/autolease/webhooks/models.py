"""Webhook tables: endpoints, events (the outbox's content), deliveries (the outbox: one row
per event and endpoint, claimed by the worker) and attempts (the delivery log)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean)
    description: Mapped[str | None] = mapped_column(String(200))
    secret_enc: Mapped[str] = mapped_column(String(255))  # FieldCipher, context below
    secret_hint: Mapped[str] = mapped_column(String(12))  # the last 4 characters
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


SECRET_CONTEXT = "webhook_endpoint.secret"


class WebhookEvent(Base):
    """One status change as the SP's endpoints receive it; written with the change."""

    __tablename__ = "webhook_event"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"))
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (Index("ix_webhook_event_sp_id_occurred_at", "sp_id", "occurred_at"),)


class WebhookDelivery(Base):
    """The outbox: an event to post to one endpoint, until delivered or dead."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("webhook_event.id"), index=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id"), index=True)
    state: Mapped[str] = mapped_column(String(12))  # pending | delivered | dead
    attempts: Mapped[int] = mapped_column()
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claim: Mapped[str | None] = mapped_column(String(40))  # the worker's claim token
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_webhook_delivery_state_next", "state", "next_attempt_at"),)


class WebhookAttempt(Base):
    """One POST of a delivery: the delivery log."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_delivery.id"), index=True)
    number: Mapped[int] = mapped_column()
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status_code: Mapped[int | None] = mapped_column()
    latency_ms: Mapped[float] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
