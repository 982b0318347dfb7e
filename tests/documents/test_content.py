"""Typing a file by its bytes: the accepted signatures, and what is refused."""

from __future__ import annotations

import pytest

from autolease.documents.content import sniff
from tests.documents import samples


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (samples.jpeg(), "image/jpeg"),
        (samples.png(), "image/png"),
        (samples.pdf(), "application/pdf"),
        (samples.webp(), "image/webp"),
        (samples.heic(), "image/heic"),
    ],
)
def test_accepted_signatures(data: bytes, mime: str) -> None:
    found = sniff(data)
    assert found is not None
    assert found.mime == mime


@pytest.mark.parametrize(
    "data",
    [
        b"",
        samples.text_renamed(),
        samples.executable(),
        b"GIF89a" + b"\x00" * 20,  # an image type that is not accepted
        b"PK\x03\x04" + b"\x00" * 40,  # a zip (or .docx)
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        samples.png()[1:],  # one byte short of a PNG signature
    ],
)
def test_everything_else_is_refused(data: bytes) -> None:
    assert sniff(data) is None


def test_only_the_head_is_read() -> None:
    assert sniff(samples.png() + b"\x00" * 100_000) is not None
    assert sniff(b"\x00" * 9000 + samples.png()) is None
