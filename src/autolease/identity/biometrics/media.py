"""Decode uploaded images and recordings into arrays, with clear errors for bad files.

Not pure: it uses Pillow and soundfile, both part of the optional extra and imported only
when a file is decoded. Every error is a `SampleInvalid` naming the field and the rule; no
error message carries any part of the file.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autolease.identity.biometrics import extra
from autolease.identity.biometrics.exceptions import SampleInvalid

IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "BMP"})
MIN_SAMPLE_RATE = 8_000
MAX_SAMPLE_RATE = 96_000
MIN_IMAGE_SIDE = 32

Image = NDArray[np.uint8]
Audio = NDArray[np.float32]


def _check_size(data: bytes, field: str, limit: int) -> None:
    if not data:
        raise SampleInvalid(field, "empty", "the file is empty", "文件为空")
    if len(data) > limit:
        raise SampleInvalid(
            field,
            "too_large",
            f"the file is larger than {limit // (1024 * 1024)} MiB",
            f"文件超过{limit // (1024 * 1024)} MiB",
        )


def _format_error(field: str) -> SampleInvalid:
    return SampleInvalid(
        field,
        "format",
        "the file is not an image in JPEG, PNG, WebP or BMP format",
        "文件不是JPEG、PNG、WebP或BMP格式的图像",
    )


def _open_image(data: bytes, field: str) -> Any:
    pil = extra.load("PIL.Image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pil.DecompressionBombWarning)
            image = pil.open(io.BytesIO(data))
    except (pil.UnidentifiedImageError, OSError, ValueError):
        raise _format_error(field) from None
    if image.format not in IMAGE_FORMATS:
        raise _format_error(field)
    return image


def decode_image(data: bytes, *, field: str, max_bytes: int, max_pixels: int) -> Image:
    """RGB uint8 array (height, width, 3) of an uploaded image, EXIF orientation applied."""
    _check_size(data, field, max_bytes)
    extra.require(extra.MEDIA_MODULES["image"])
    pil = extra.load("PIL.Image")
    image_ops = extra.load("PIL.ImageOps")
    image = _open_image(data, field)
    width, height = image.size
    if width * height > max_pixels:
        raise SampleInvalid(field, "too_large", "the image has too many pixels", "图像像素数过多")
    if min(width, height) < MIN_IMAGE_SIDE:
        raise SampleInvalid(
            field,
            "too_small",
            f"the image is smaller than {MIN_IMAGE_SIDE} pixels on a side",
            f"图像边长小于{MIN_IMAGE_SIDE}像素",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pil.DecompressionBombWarning)
            image.load()
            rgb = image_ops.exif_transpose(image).convert("RGB")
    except (OSError, ValueError, SyntaxError):
        raise SampleInvalid(
            field, "corrupt", "the image file is damaged or truncated", "图像文件已损坏或不完整"
        ) from None
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))


def _audio_format_error(field: str) -> SampleInvalid:
    return SampleInvalid(
        field,
        "format",
        "the file is not a recording in WAV, FLAC or OGG format",
        "文件不是WAV、FLAC或OGG格式的录音",
    )


def _check_rate(rate: int, field: str) -> None:
    if not MIN_SAMPLE_RATE <= rate <= MAX_SAMPLE_RATE:
        raise SampleInvalid(
            field,
            "sample_rate",
            f"the sample rate must be {MIN_SAMPLE_RATE}-{MAX_SAMPLE_RATE} Hz",
            f"采样率应为{MIN_SAMPLE_RATE}至{MAX_SAMPLE_RATE}赫兹",
        )


def decode_audio(
    data: bytes, *, field: str, max_bytes: int, max_seconds: float
) -> tuple[Audio, int]:
    """Mono float32 samples in [-1, 1] and the sample rate of an uploaded recording."""
    _check_size(data, field, max_bytes)
    extra.require(extra.MEDIA_MODULES["audio"])
    soundfile = extra.load("soundfile")
    try:
        info = soundfile.info(io.BytesIO(data))
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError):
        raise _audio_format_error(field) from None
    _check_rate(int(info.samplerate), field)
    if info.frames == 0:
        raise SampleInvalid(field, "empty", "the recording has no samples", "录音没有采样数据")
    if info.frames / info.samplerate > max_seconds:
        raise SampleInvalid(
            field,
            "too_long",
            f"the recording is longer than {max_seconds:g} seconds",
            f"录音超过{max_seconds:g}秒",
        )
    try:
        samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, ValueError):
        raise SampleInvalid(
            field, "corrupt", "the recording is damaged or truncated", "录音文件已损坏或不完整"
        ) from None
    if samples.shape[0] == 0:
        raise SampleInvalid(field, "empty", "the recording has no samples", "录音没有采样数据")
    mono = samples.mean(axis=1).astype(np.float32)
    return np.ascontiguousarray(mono), int(rate)
