"""What the documents endpoints send. No user file name and no uploader name leave."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from autolease.documents.kinds import LABELS, DocumentKind
from autolease.documents.models import Document


class DocumentRead(BaseModel):
    """A stored document's facts; its content is at `content_url`."""

    id: int = Field(description="the document's id (what an information-request answer names)")
    application_id: str = Field(description="the application the document belongs to")
    kind: DocumentKind = Field(description="what the document is")
    kind_zh: str = Field(description="the kind's Chinese name, e.g. 行驶证")
    content_type: str = Field(
        description="the type judged from the file's bytes (not its name), e.g. image/jpeg"
    )
    size_bytes: int = Field(description="size of the file, in bytes")
    sha256: str = Field(description="SHA-256 of the file's bytes, lower-case hex")
    uploaded_at: datetime = Field(description="when it was stored (UTC)")
    content_url: str = Field(description="where to download the file (same credentials)")

    @classmethod
    def of(cls, doc: Document) -> DocumentRead:
        kind = DocumentKind(doc.kind)
        return cls(
            id=doc.id,
            application_id=doc.application_id,
            kind=kind,
            kind_zh=LABELS[kind][0],
            content_type=doc.content_type,
            size_bytes=doc.size_bytes,
            sha256=doc.sha256,
            uploaded_at=doc.uploaded_at,
            content_url=f"/v1/applications/{doc.application_id}/documents/{doc.id}/content",
        )


class DocumentList(BaseModel):
    items: list[DocumentRead] = Field(description="the application's documents, oldest first")
