"""Lease products: one row per product, one row per version of its terms.

Every change through the API writes a new `LeaseProductVersion` (terms JSON + sha256) and moves
`LeaseProductRecord.current_version`; old versions stay, so an offer's snapshot can always be
traced to the exact terms it was made from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class LeaseProductRecord(Base):
    __tablename__ = "lease_product"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    product_type: Mapped[str] = mapped_column(String(24))
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    current_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LeaseProductVersion(Base):
    __tablename__ = "lease_product_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("lease_product.id"), index=True)
    version: Mapped[int] = mapped_column()
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    terms_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (UniqueConstraint("product_id", "version"),)
