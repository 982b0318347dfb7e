"""Tests for autolease.identity.biometrics.media: decoding uploads, clear errors for bad files."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest

from autolease.identity.biometrics.exceptions import SampleInvalid
from autolease.identity.biometrics.media import decode_audio, decode_image
from tests.identity.biometrics.conftest import (
    corrupt_bytes,
    gif_bytes,
    jpeg_bytes,
    png_bytes,
    silence,
    tone,
    voice,
    wav_bytes,
)

pytest.importorskip("PIL")
pytest.importorskip("soundfile")

MIB = 1024 * 1024


def image(data: bytes, **limits: int) -> np.ndarray[Any, Any]:
    return decode_image(
        data,
        field="selfie",
        max_bytes=limits.get("max_bytes", 8 * MIB),
        max_pixels=limits.get("max_pixels", 10_000_000),
    )


def audio(data: bytes, max_seconds: float = 60.0) -> tuple[np.ndarray[Any, Any], int]:
    return decode_audio(data, field="voice", max_bytes=10 * MIB, max_seconds=max_seconds)


def rule_of(caught: pytest.ExceptionInfo[SampleInvalid]) -> tuple[str, str]:
    error = caught.value.errors[0]
    assert error.message_zh
    return error.field, error.rule


class TestDecodeImage:
    def test_png_and_jpeg_decode_to_rgb(self) -> None:
        pixels = np.zeros((40, 60, 3), dtype=np.uint8)
        pixels[:, :30] = (255, 0, 0)
        assert image(png_bytes(pixels)).shape == (40, 60, 3)
        decoded = image(jpeg_bytes(pixels))
        assert decoded.dtype == np.uint8
        assert decoded[20, 5, 0] > 200

    def test_alpha_and_grey_become_rgb(self) -> None:
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("LA", (50, 50), (128, 255)).save(buffer, format="PNG")
        assert image(buffer.getvalue()).shape == (50, 50, 3)

    @pytest.mark.parametrize(
        ("data", "rule"),
        [
            (b"", "empty"),
            (corrupt_bytes(), "format"),
            (gif_bytes(), "format"),
            (b"%PDF-1.4 not an image", "format"),
        ],
    )
    def test_bad_files_name_field_and_rule(self, data: bytes, rule: str) -> None:
        with pytest.raises(SampleInvalid) as caught:
            image(data)
        assert rule_of(caught) == ("selfie", rule)
        assert caught.value.status_code == 422

    def test_truncated_jpeg_is_corrupt(self) -> None:
        data = jpeg_bytes(np.random.default_rng(0).integers(0, 255, (200, 200, 3)))
        with pytest.raises(SampleInvalid) as caught:
            image(data[: len(data) // 2])
        assert rule_of(caught) == ("selfie", "corrupt")

    def test_size_limits(self) -> None:
        data = png_bytes(np.zeros((100, 100, 3)))
        with pytest.raises(SampleInvalid) as caught:
            image(data, max_bytes=10)
        assert rule_of(caught)[1] == "too_large"
        with pytest.raises(SampleInvalid) as caught:
            image(data, max_pixels=5000)
        assert rule_of(caught)[1] == "too_large"
        with pytest.raises(SampleInvalid) as caught:
            image(png_bytes(np.zeros((10, 100, 3))))
        assert rule_of(caught)[1] == "too_small"


class TestDecodeAudio:
    def test_flac_fixture(self) -> None:
        wav, rate = audio(voice("speaker_a_0"))
        assert rate == 16000
        assert wav.dtype == np.float32
        assert 3.5 < len(wav) / rate < 5.0

    def test_stereo_becomes_mono_and_rate_is_kept(self) -> None:
        stereo = np.stack([tone(1.0, 44100), tone(1.0, 44100)], axis=1).reshape(-1)
        wav, rate = audio(wav_bytes(stereo, 44100, channels=2))
        assert rate == 44100
        assert wav.shape == (44100,)

    @pytest.mark.parametrize(
        ("data", "rule"),
        [
            (b"", "empty"),
            (corrupt_bytes(), "format"),
            (gif_bytes(), "format"),
            (wav_bytes(tone(1.0, 4000), 4000), "sample_rate"),
            (wav_bytes(np.zeros(0), 16000), "empty"),
        ],
    )
    def test_bad_files_name_field_and_rule(self, data: bytes, rule: str) -> None:
        with pytest.raises(SampleInvalid) as caught:
            audio(data)
        assert rule_of(caught) == ("voice", rule)

    def test_too_long(self) -> None:
        with pytest.raises(SampleInvalid) as caught:
            audio(wav_bytes(silence(3.0), 16000), max_seconds=2.0)
        assert rule_of(caught) == ("voice", "too_long")

    def test_error_never_echoes_the_file(self) -> None:
        with pytest.raises(SampleInvalid) as caught:
            audio(b"SECRET-CONTENT" * 10)
        assert "SECRET" not in str(caught.value.to_body())
