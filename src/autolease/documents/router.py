"""Documents over HTTP: multipart upload, list and download, per application.

The application is loaded with `ApplicationDep`, so another SP's application is a 404 on
every endpoint; staff (admin, risk analyst, reviewer) read every application's documents,
and only the application's SP uploads.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile, status

from autolease.audit import service as audit_service
from autolease.auth.dependencies import ActorDep, PrincipalDep
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.documents import service
from autolease.documents.content import ACCEPTED
from autolease.documents.dependencies import DocumentSettingsDep, DocumentStoreDep
from autolease.documents.kinds import DocumentKind
from autolease.documents.schemas import DocumentList, DocumentRead
from autolease.kit.ids import MAX_ID
from autolease.origination.dependencies import ApplicationDep

router = APIRouter(prefix="/v1/applications/{application_id}/documents", tags=["documents"])
UPLOAD_PATH = router.prefix

DocumentIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="the document's id")]
EXTENSIONS = {t.mime: t.extension for t in ACCEPTED}
UPLOAD_EXAMPLE = {
    "kind": "vehicle_licence",
    "file": "(the file's bytes: JPEG, PNG, WebP, HEIC or PDF)",
}
UPLOAD_ERRORS: dict[int | str, dict[str, str]] = {
    200: {"description": "these bytes were stored for this kind already: the same document"},
    409: {"description": "the application holds the most documents it may"},
    413: {"description": "the file is larger than `documents.max_bytes` (the field is named)"},
    422: {"description": "empty, or not a JPEG, PNG, WebP, HEIC or PDF judged by its bytes"},
    503: {"description": "the document store refused the write; nothing was recorded"},
}


@router.post(
    "",
    response_model=DocumentRead,
    status_code=status.HTTP_201_CREATED,
    responses=UPLOAD_ERRORS,
    openapi_extra={
        "requestBody": {"content": {"multipart/form-data": {"example": UPLOAD_EXAMPLE}}}
    },
)
def upload_document(
    kind: Annotated[DocumentKind, Form(description="what the document is")],
    file: Annotated[
        UploadFile,
        File(description="the file; its type is judged by its bytes, its name is not kept"),
    ],
    app: ApplicationDep,
    session: SessionDep,
    principal: PrincipalDep,
    actor: ActorDep,
    runtime: RuntimeDep,
    settings: DocumentSettingsDep,
    store: DocumentStoreDep,
    response: Response,
) -> DocumentRead:
    """Upload one document for the application (the application's SP only).

    Refused, with nothing stored: an empty file, one over the size cap, and one whose bytes are
    not a JPEG, PNG, WebP, HEIC or PDF file, whatever its name or declared type. The same
    bytes sent again for the same kind (a retry) answer 200 with the document already stored.
    """
    uploaded = service.upload(
        session,
        store=store,
        cipher=runtime.cipher,
        settings=settings,
        app=app,
        principal=principal,
        kind=kind,
        incoming=service.Incoming(file.file.read(settings.max_bytes + 1), "file"),
        storage_name=runtime.ids.new("doc"),
        at=actor.at,
    )
    doc = uploaded.document
    if not uploaded.created:
        response.status_code = status.HTTP_200_OK
        return DocumentRead.of(doc)
    audit_service.log(
        session,
        actor,
        "document.uploaded",
        entity_type="document",
        entity_id=str(doc.id),
        payload={"application_id": app.id, "kind": doc.kind, "bytes": doc.size_bytes},
    )
    return DocumentRead.of(doc)


@router.get("", response_model=DocumentList)
def list_documents(
    app: ApplicationDep,
    session: SessionDep,
    kind: Annotated[DocumentKind | None, Query(description="only documents of this kind")] = None,
) -> DocumentList:
    """The application's documents, oldest first."""
    docs = service.list_for_application(session, application_id=app.id, kind=kind)
    return DocumentList(items=[DocumentRead.of(d) for d in docs])


@router.get("/{document_id}", response_model=DocumentRead)
def get_document(
    document_id: DocumentIdPath, app: ApplicationDep, session: SessionDep
) -> DocumentRead:
    """One document's facts."""
    return DocumentRead.of(service.get(session, application_id=app.id, document_id=document_id))


@router.get(
    "/{document_id}/content",
    response_class=Response,
    responses={
        200: {
            "description": "the file's bytes, decrypted, as uploaded",
            "content": {
                t.mime: {"schema": {"type": "string", "format": "binary"}} for t in ACCEPTED
            },
        }
    },
)
def download_document(
    document_id: DocumentIdPath,
    app: ApplicationDep,
    session: SessionDep,
    actor: ActorDep,
    runtime: RuntimeDep,
    store: DocumentStoreDep,
) -> Response:
    """The document's file (every read is recorded in the audit trail)."""
    doc = service.get(session, application_id=app.id, document_id=document_id)
    data = service.read_content(store, runtime.cipher, doc)
    audit_service.log(
        session,
        actor,
        "document.read",
        entity_type="document",
        entity_id=str(doc.id),
        payload={"application_id": app.id},
    )
    filename = f"{doc.kind}-{doc.id}.{EXTENSIONS.get(doc.content_type, 'bin')}"
    return Response(
        content=data,
        media_type=doc.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
