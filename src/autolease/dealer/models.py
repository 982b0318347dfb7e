from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class ServiceProvider(Base):
    """An SP (channel partner). Grades A–D drive volume caps and deposits later."""

    __tablename__ = "service_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(64))
    grade: Mapped[str] = mapped_column(String(1), default="B")
    status: Mapped[str] = mapped_column(String(16), default="active")
    deposit_balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SpAllowedOrigin(Base):
    """A web origin an SP's pages call the API from (CORS allow-list, `cors.py`)."""

    __tablename__ = "sp_allowed_origin"
    __table_args__ = (UniqueConstraint("sp_id", "origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"), index=True)
    origin: Mapped[str] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
