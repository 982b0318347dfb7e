from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
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


class ApplicationConsent(Base):
    """The applicant's explicit consents, recorded with the application in its transaction:
    to processing personal information, and separately to biometrics (sensitive personal
    information, PIPL Art. 28-29), with the version of the texts shown."""

    __tablename__ = "application_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("application.id"), unique=True, index=True
    )
    personal_information: Mapped[bool] = mapped_column(Boolean)
    biometrics: Mapped[bool] = mapped_column(Boolean)
    text_version: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))  # h5_staff | h5_link
    given_at: Mapped[datetime] = mapped_column(UtcDateTime)
