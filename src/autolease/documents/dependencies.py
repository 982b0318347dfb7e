"""Typed dependencies of the documents endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from autolease.dependencies import RuntimeDep
from autolease.documents.settings import DocumentSettings
from autolease.documents.store import DocumentStore, store_for


async def get_document_settings(runtime: RuntimeDep) -> DocumentSettings:
    return runtime.settings.documents


DocumentSettingsDep = Annotated[DocumentSettings, Depends(get_document_settings)]


async def get_store(settings: DocumentSettingsDep) -> DocumentStore:
    """The configured store (the local folder); tests override this dependency."""
    return store_for(settings)


DocumentStoreDep = Annotated[DocumentStore, Depends(get_store)]
