from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class ApplicantLink(Base):
    """A short-lived link an SP's system issues for one applicant. Only a SHA-256 of the
    token is kept; `application_id` is set when the applicant submits (the link is spent)."""

    __tablename__ = "applicant_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"), index=True)
    reference: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    application_id: Mapped[str | None] = mapped_column(ForeignKey("application.id"))
