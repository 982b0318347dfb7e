"""Fixtures for the biometrics tests: generated media, the shipped fixtures, the engines.

Tests that need the optional extra skip when it is not installed (`pytest.importorskip`);
CI installs it (see docs/biometrics.md) so they run there. Face photos of real people are not
shipped: the one face is a NASA public-domain portrait (data/README.md); tests that need a
second identity read a local copy of the face_recognition example photos (docs/domain.md
§7.3) when it is there and skip otherwise.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

DATA = Path(__file__).parent / "data"
SHARED_FACES = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "data"
    / "biometrics"
    / "face_recognition_examples"
)


def wav_bytes(samples: np.ndarray[Any, Any], rate: int, channels: int = 1) -> bytes:
    """16-bit PCM WAV made with the standard library (no extra needed)."""
    pcm = np.clip(np.asarray(samples, dtype=np.float64), -1.0, 1.0)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((pcm * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def tone(
    seconds: float, rate: int = 16000, freq: float = 440.0, amp: float = 0.3
) -> np.ndarray[Any, Any]:
    t = np.arange(int(seconds * rate)) / rate
    return amp * np.sin(2 * math.pi * freq * t)


def silence(seconds: float, rate: int = 16000) -> np.ndarray[Any, Any]:
    return np.zeros(int(seconds * rate))


def png_bytes(image: np.ndarray[Any, Any]) -> bytes:
    """Encode an RGB uint8 array as PNG with Pillow (tests that call this need the extra)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(image: np.ndarray[Any, Any]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def gif_bytes() -> bytes:
    """A 1x1 GIF (a format the endpoints refuse), built by hand."""
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
        b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def corrupt_bytes() -> bytes:
    return b"\x00\x01garbage, not a known media format" + struct.pack("<I", 7) * 40


@pytest.fixture(scope="session")
def face_bytes() -> bytes:
    return (DATA / "astronaut_face.jpg").read_bytes()


@pytest.fixture(scope="session")
def face_array(face_bytes: bytes) -> np.ndarray[Any, Any]:
    pytest.importorskip("PIL")
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(face_bytes)).convert("RGB"))


def voice(name: str) -> bytes:
    return (DATA / f"{name}.flac").read_bytes()


@pytest.fixture(scope="session")
def face_engine() -> Any:
    pytest.importorskip("dlib")
    pytest.importorskip("PIL")
    from autolease.identity.biometrics.face_engine import shared_face_engine

    return shared_face_engine()


@pytest.fixture(scope="session")
def voice_engine() -> Any:
    pytest.importorskip("torch")
    pytest.importorskip("soundfile")
    with warnings.catch_warnings():  # webrtcvad imports pkg_resources, which warns
        warnings.simplefilter("ignore")
        pytest.importorskip("resemblyzer")
    from autolease.identity.biometrics.voice_engine import shared_voice_engine

    return shared_voice_engine()


@pytest.fixture(scope="session")
def shared_faces() -> Path:
    if not SHARED_FACES.is_dir():
        pytest.skip("the face_recognition example photos are not present (they are not shipped)")
    return SHARED_FACES
