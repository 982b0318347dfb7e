"""Use cases of the documents domain: upload, list, read, the look-up other domains call, and
the orphan sweep. Services never commit; the caller's transaction does.

An upload writes the sealed file first, then the row, in the caller's transaction. Should
that transaction roll back (or end without a commit), the file is deleted again; should the
process die in between, the file has no row and `sweep` removes it. A row never points to a
missing file.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from autolease.auth.exceptions import RoleNotAllowed
from autolease.auth.principal import Principal
from autolease.dealer import service as dealer_service
from autolease.documents import repository
from autolease.documents.content import FileType, accepted_names, sniff
from autolease.documents.exceptions import (
    DocumentNotFound,
    DocumentRefused,
    DocumentStoreUnavailable,
    DocumentsUnknown,
    DocumentTooLarge,
    DocumentUnreadable,
    TooManyDocuments,
)
from autolease.documents.kinds import DocumentKind
from autolease.documents.models import Document
from autolease.documents.settings import DocumentSettings
from autolease.documents.store import DocumentStore, StoredFile, StoredFileMissing
from autolease.kit.crypto import DecryptionError, FieldCipher
from autolease.origination.models import Application

log = logging.getLogger("autolease.documents")
PENDING_KEY = "autolease.documents.pending"


@dataclass(frozen=True)
class Incoming:
    """An uploaded file as received: its bytes (read up to one past the cap) and its field."""

    data: bytes
    field: str = "file"


def check_content(incoming: Incoming, *, max_bytes: int) -> FileType:
    """The file's type judged by its bytes, or the refusal naming the field and the rule."""
    if not incoming.data:
        raise DocumentRefused(incoming.field, "empty", "the file is empty", "文件为空")
    if len(incoming.data) > max_bytes:
        raise DocumentTooLarge(incoming.field, max_bytes)
    found = sniff(incoming.data)
    if found is None:
        names = accepted_names()
        raise DocumentRefused(
            incoming.field,
            "file_type",
            f"the content is not one of {names} (judged by the bytes, not the name)",
            f"文件内容不是 {names} 之一（按内容判断，与文件名无关）",
        )
    return found


@dataclass(frozen=True)
class Uploaded:
    document: Document
    created: bool  # False: the same bytes were stored for this kind already (a retry)


def upload(
    session: Session,
    *,
    store: DocumentStore,
    cipher: FieldCipher,
    settings: DocumentSettings,
    app: Application,
    principal: Principal,
    kind: DocumentKind,
    incoming: Incoming,
    storage_name: str,
    at: datetime,
) -> Uploaded:
    """Check, seal and store a file, then add its row; nothing is stored when refused.

    The same bytes uploaded again for the same kind of the same application (a retry over a
    flaky network) return the stored document instead of a second copy.
    """
    if principal.sp_id is None or principal.sp_id != app.sp_id:
        raise RoleNotAllowed("only the SP of the application uploads its documents")
    file_type = check_content(incoming, max_bytes=settings.max_bytes)
    digest = hashlib.sha256(incoming.data).hexdigest()
    same = repository.same_file(session, app.id, kind.value, digest)
    if same is not None:
        return Uploaded(same, created=False)
    if repository.count_of_application(session, app.id) >= settings.max_per_application:
        raise TooManyDocuments(
            f"the application holds {settings.max_per_application} documents already"
        )
    sealed = cipher.seal(incoming.data, context=sealing_context(storage_name))
    try:
        store.put(storage_name, sealed)
    except FileExistsError:
        raise  # the name is another upload's: never delete it
    except OSError as exc:
        with suppress(OSError):
            store.delete(storage_name)  # a partial object
        log.error("the document store refused a write: %s", type(exc).__name__)
        raise DocumentStoreUnavailable("the document store is unavailable; try again") from None
    _delete_unless_committed(session, store, storage_name)
    doc = Document(
        application_id=app.id,
        sp_id=app.sp_id,
        kind=kind.value,
        content_type=file_type.mime,
        size_bytes=len(incoming.data),
        sha256=digest,
        storage_name=storage_name,
        uploaded_at=at,
        uploaded_by=principal.actor,
    )
    session.add(doc)
    try:
        session.flush()
    except BaseException:
        with suppress(OSError):  # else the session hook or the sweep removes it
            store.delete(storage_name)
        raise
    return Uploaded(doc, created=True)


def sealing_context(storage_name: str) -> str:
    """The associated data a file is sealed with: a file moved to another name fails."""
    return f"document:{storage_name}"


def list_for_application(
    session: Session, *, application_id: str, kind: DocumentKind | None = None
) -> list[Document]:
    """The application's documents, oldest first (the caller has checked who may see them)."""
    return list(repository.of_application(session, application_id, kind and kind.value))


def get(session: Session, *, application_id: str, document_id: int) -> Document:
    doc = repository.one_of_application(session, application_id, document_id)
    if doc is None:
        raise DocumentNotFound(f"no document {document_id} on this application")
    return doc


def read_content(store: DocumentStore, cipher: FieldCipher, doc: Document) -> bytes:
    """The plaintext of a stored document, checked against its recorded SHA-256."""
    try:
        data = cipher.unseal(store.get(doc.storage_name), context=sealing_context(doc.storage_name))
    except (StoredFileMissing, DecryptionError) as exc:
        log.error("document %s cannot be read: %s", doc.id, type(exc).__name__)
        raise DocumentUnreadable(f"document {doc.id} cannot be read from the store") from None
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        log.error("document %s does not match its recorded sha256", doc.id)
        raise DocumentUnreadable(f"document {doc.id} does not match its recorded checksum")
    return data


def require_for_application(
    session: Session, *, sp_code: str, application_id: str, document_ids: Sequence[int]
) -> list[Document]:
    """The named documents, in the order given (repeats once), all of this SP's application.

    Raises `DocumentsUnknown` (422, one field error per bad position of `document_ids`) when
    an id is unknown or belongs to another application or SP (the two are not told apart),
    and `SpNotFound` for an unknown SP code.
    """
    sp = dealer_service.get_by_code(session, code=sp_code)
    found = {
        d.id: d
        for d in repository.by_ids(session, document_ids)
        if d.application_id == application_id and d.sp_id == sp.id
    }
    unknown = [(i, doc_id) for i, doc_id in enumerate(document_ids) if doc_id not in found]
    if unknown:
        raise DocumentsUnknown("document_ids", unknown)
    return [found[doc_id] for doc_id in dict.fromkeys(document_ids)]


@dataclass(frozen=True)
class SweepReport:
    orphans: list[StoredFile]
    young: list[StoredFile]  # without a row but within the grace period: left alone
    missing: list[int]  # ids of rows whose file is not in the store
    stored: int
    removed: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "stored_files": self.stored,
            "orphans": [_file_dict(f) for f in self.orphans],
            "removed": len(self.orphans) if self.removed else 0,
            "dry_run": not self.removed,
            "within_grace": [_file_dict(f) for f in self.young],
            "rows_without_file": self.missing,
        }


def sweep(
    session: Session, *, store: DocumentStore, now: datetime, grace: timedelta, dry_run: bool
) -> SweepReport:
    """Find (and unless `dry_run`, delete) stored files no row refers to, older than `grace`."""
    files = list(store.list())
    referenced = repository.storage_names(session, [f.name for f in files])
    loose = [f for f in files if f.name not in referenced]
    orphans = [f for f in loose if now - f.modified_at >= grace]
    if not dry_run:
        for orphan in orphans:
            store.delete(orphan.name)
    names = {f.name for f in files}
    rows = session.execute(select(Document.id, Document.storage_name).order_by(Document.id))
    missing = [doc_id for doc_id, name in rows if name not in names]
    young = [f for f in loose if f not in orphans]
    return SweepReport(orphans, young, missing, len(files), removed=not dry_run)


ENDED_WITHOUT_CONTRACT = ("declined", "withdrawn")


@dataclass(frozen=True)
class PurgeReport:
    documents: list[int]
    applications: list[str]
    storage_names: list[str]
    removed: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": len(self.documents),
            "applications": self.applications,
            "removed": len(self.documents) if self.removed else 0,
            "dry_run": not self.removed,
        }


def purge_ended(
    session: Session, *, now: datetime, retention: timedelta, dry_run: bool
) -> PurgeReport:
    """The documents of applications that ended without a contract (declined or withdrawn)
    and have not changed for `retention`; unless `dry_run`, their rows are deleted in the
    session's transaction. The caller deletes the files once that transaction has committed
    (`delete_files`): a file left by a failure in between is an orphan the sweep removes."""
    docs = repository.of_applications_ended_before(
        session, ENDED_WITHOUT_CONTRACT, before=now - retention
    )
    report = PurgeReport(
        documents=[d.id for d in docs],
        applications=sorted({d.application_id for d in docs}),
        storage_names=[d.storage_name for d in docs],
        removed=not dry_run,
    )
    if not dry_run:
        for doc in docs:
            session.delete(doc)
        session.flush()
    return report


def delete_files(store: DocumentStore, names: Sequence[str]) -> int:
    """Delete stored files by name; the number deleted (a failure is logged and left to the
    sweep)."""
    deleted = 0
    for name in names:
        try:
            store.delete(name)
            deleted += 1
        except OSError:
            log.exception("could not delete a purged document's file")
    return deleted


def _file_dict(f: StoredFile) -> dict[str, object]:
    return {"name": f.name, "bytes": f.size, "modified_at": f.modified_at.isoformat()}


def _delete_unless_committed(session: Session, store: DocumentStore, name: str) -> None:
    """Delete the file again if the session's transaction ends without a commit."""
    pending: list[tuple[DocumentStore, str]] | None = session.info.get(PENDING_KEY)
    if pending is None:
        pending = session.info[PENDING_KEY] = []
        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_transaction_end", _ended)
    pending.append((store, name))


def _committed(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's release is not the commit
        session.info.get(PENDING_KEY, []).clear()


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    pending: list[tuple[DocumentStore, str]] = session.info.get(PENDING_KEY, [])
    for store, name in pending:
        try:
            store.delete(name)
        except OSError:  # the sweep removes it later
            log.exception("could not delete the file of a rolled-back upload")
    pending.clear()
