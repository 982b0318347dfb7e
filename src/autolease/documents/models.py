"""One row per stored document. The file itself is in the `DocumentStore`, sealed.

The row names the file by a generated `storage_name` (never the user's file name, which is not
kept), records the type judged from the content, its size and the SHA-256 of the plaintext
(checked again on every read).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class Document(Base):
    __tablename__ = "document"
    __table_args__ = (Index("ix_document_application_id_kind", "application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"))
    sp_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(100))
