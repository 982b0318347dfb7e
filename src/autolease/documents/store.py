"""Where sealed document files live: a small `DocumentStore` protocol and the local folder.

A store keeps opaque bytes under names the service makes (`doc_<32 hex>`); it never sees a
user's file name or plaintext (the service seals before `put`). An S3-compatible store
implements the same four methods (put/get/delete object, list objects with their
last-modified time).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from autolease.documents.settings import DocumentSettings

_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,120}")
PARTIAL_SUFFIX = ".part"


class StoredFileMissing(LookupError):
    """The store holds no file of that name."""


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    modified_at: datetime


class DocumentStore(Protocol):
    def put(self, name: str, data: bytes) -> None:
        """Keep `data` under a new `name`, durably, before returning; never overwrite."""

    def get(self, name: str) -> bytes:
        """The bytes kept under `name`; `StoredFileMissing` when there are none."""

    def delete(self, name: str) -> None:
        """Forget `name`; no error when it is already gone."""

    def list(self) -> Iterator[StoredFile]:
        """Every file kept, including partial writes left by a crash."""


class LocalStore:
    """Files in a folder, fanned out by the last two characters of the name (before any dot).

    A write goes to ``<name>.part``, is flushed to disk, then renamed: a crash leaves either
    nothing or a partial file (which the sweep removes), never a truncated file under the
    final name.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, name: str) -> Path:
        if not _NAME.fullmatch(name):
            raise ValueError("not a stored file name")
        stem = name.split(".", 1)[0]  # a partial write lives beside its final name
        return self.root / stem[-2:] / name

    def put(self, name: str, data: bytes) -> None:
        final = self.path_of(name)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            raise FileExistsError(f"a stored file named {name} exists")
        partial = final.with_name(name + PARTIAL_SUFFIX)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        _fsync_dir(final.parent)

    def get(self, name: str) -> bytes:
        try:
            return self.path_of(name).read_bytes()
        except FileNotFoundError:
            raise StoredFileMissing(name) from None

    def delete(self, name: str) -> None:
        self.path_of(name).unlink(missing_ok=True)

    def list(self) -> Iterator[StoredFile]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if path.is_file() and _NAME.fullmatch(path.name):
                    stat = path.stat()
                    modified = datetime.fromtimestamp(stat.st_mtime, UTC)
                    yield StoredFile(path.name, stat.st_size, modified)


def store_for(settings: DocumentSettings) -> DocumentStore:
    """The configured store: the local folder `documents.root` (where another store is wired)."""
    return LocalStore(settings.root)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
