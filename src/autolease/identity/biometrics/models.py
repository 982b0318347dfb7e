"""Enrolled biometric templates: one row per enrolment (a face or a voice), per subject.

The embedding is personal data and is stored only as AES-GCM ciphertext (`embedding_enc`,
column name bound as associated data). The subject is a keyed blind index of the resident ID
(kind ``biometric_subject``), so rows link to a person without holding the ID number, and
every template of a person can be deleted at once. Images and recordings are never stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class BiometricTemplate(Base):
    __tablename__ = "biometric_template"
    __table_args__ = (Index("ix_biometric_template_purpose_modality", "purpose", "modality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    modality: Mapped[str] = mapped_column(String(8))  # face | voice
    purpose: Mapped[str] = mapped_column(String(12))  # applicant | blacklist
    embedding_enc: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(120))
    samples: Mapped[int] = mapped_column()
    sp_id: Mapped[int | None] = mapped_column(ForeignKey("service_provider.id"), index=True)
    reference: Mapped[str | None] = mapped_column(String(64))  # e.g. a fraud case number
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
