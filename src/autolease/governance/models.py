"""Model versions with their stage, and the change requests (maker-checker) that move them.

``model_version`` has one row per registered model version (``name`` may carry a namespace,
``external/credit_gbm``): its kind (credit, fraud, valuation), its stage (candidate →
challenger → champion → retired), the manifest's sha256 and who registered it and who last
changed its stage. ``change_request`` holds every proposed change of a model's stage or a
policy's activation: who proposed it, who approved or rejected it, and when. Approved
champion changes are the history a rollback reads.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class ModelVersion(Base):
    __tablename__ = "model_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    version: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(12))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    registered_by: Mapped[str] = mapped_column(String(100))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    stage_by: Mapped[str] = mapped_column(String(100))
    stage_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("name", "version"),
        Index("ix_model_version_name_stage", "name", "stage"),
    )

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"


class ChangeRequest(Base):
    __tablename__ = "change_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(10))  # model | policy
    name: Mapped[str] = mapped_column(String(120))
    version: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(12))  # a stage, or "activate"
    status: Mapped[str] = mapped_column(String(10))  # pending | approved | rejected
    content_hash: Mapped[str] = mapped_column(String(64))  # manifest or policy content
    effective_from: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(String(500))
    proposed_by: Mapped[str] = mapped_column(String(100))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_change_request_subject_name", "subject", "name", "status"),)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"
