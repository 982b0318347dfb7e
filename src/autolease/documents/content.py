"""What a file is, judged by its first bytes (magic numbers), never by its name (pure).

The `filetype` library reads the signature; only the types below are accepted. A declared
content type or a file name is ignored: a text file renamed ``photo.jpg`` is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from filetype.types import archive, image


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str


_MATCHERS = (image.Jpeg(), image.Png(), image.Webp(), image.Heic(), archive.Pdf())
ACCEPTED: tuple[FileType, ...] = tuple(FileType(m.mime, m.extension) for m in _MATCHERS)
"""The accepted types: JPEG, PNG, WebP, HEIC photos and PDF documents."""

SIGNATURE_BYTES = 8192


def sniff(data: bytes) -> FileType | None:
    """The accepted type the content starts with, or None."""
    head = data[:SIGNATURE_BYTES]
    for matcher in _MATCHERS:
        if matcher.match(head):
            return FileType(matcher.mime, matcher.extension)
    return None


def accepted_names() -> str:
    return ", ".join(t.extension.upper() for t in ACCEPTED)
