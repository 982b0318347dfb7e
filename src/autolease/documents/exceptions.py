"""Document errors.

    AutoleaseError
    ├── NotFound
    │   └── DocumentNotFound (404)         no such document on this application (or not yours)
    ├── ContentTooLarge
    │   └── DocumentTooLarge (413)         over `documents.max_bytes`; names the field
    ├── Conflict
    │   └── TooManyDocuments (409)         the application holds `max_per_application` already
    ├── InputInvalid
    │   ├── DocumentRefused (422)          empty, or not a JPEG/PNG/WebP/HEIC/PDF by content
    │   └── DocumentsUnknown (422)         ids that are not this application's documents
    ├── DocumentUnreadable (500)           the stored file is missing or fails authentication
    └── DocumentStoreUnavailable (503)     the store refused a write; nothing was recorded

Messages name the field and the rule, never the content of a file.
"""

from __future__ import annotations

from autolease.exceptions import (
    AutoleaseError,
    Conflict,
    ContentTooLarge,
    FieldError,
    InputInvalid,
    NotFound,
)


class DocumentNotFound(NotFound):
    code = "document_not_found"


class TooManyDocuments(Conflict):
    code = "too_many_documents"


class DocumentUnreadable(AutoleaseError):
    code = "document_unreadable"


class DocumentStoreUnavailable(AutoleaseError):
    status_code = 503
    code = "document_store_unavailable"


class DocumentTooLarge(ContentTooLarge):
    code = "document_too_large"

    def __init__(self, field: str, limit: int) -> None:
        en = f"the file is larger than {limit} bytes"
        zh = f"文件超过 {limit} 字节"
        super().__init__(f"{field}: {en}", errors=[FieldError(field, "max_bytes", en, zh)])
        self.field = field


class DocumentRefused(InputInvalid):
    code = "document_refused"

    def __init__(self, field: str, rule: str, message_en: str, message_zh: str) -> None:
        super().__init__(
            f"{field}: {message_en}", errors=[FieldError(field, rule, message_en, message_zh)]
        )
        self.field = field
        self.rule = rule


class DocumentsUnknown(InputInvalid):
    """Some ids are not documents of the application (unknown, or another's: not told)."""

    code = "documents_unknown"

    def __init__(self, field: str, unknown: list[tuple[int, int]]) -> None:
        errors = [
            FieldError(
                f"{field}[{index}]",
                "unknown_document",
                f"document {doc_id} is not a document of this application",
                f"文件 {doc_id} 不属于该申请",
            )
            for index, doc_id in unknown
        ]
        ids = ", ".join(str(doc_id) for _, doc_id in unknown)
        super().__init__(f"{field}: not documents of this application: {ids}", errors=errors)
        self.unknown_ids = [doc_id for _, doc_id in unknown]
