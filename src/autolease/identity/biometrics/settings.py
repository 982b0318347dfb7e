"""Settings for biometrics (a section for `autolease.config.Settings`, key `biometrics`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

MIB = 1024 * 1024
DLIB_LFW_DISTANCE_THRESHOLD = 0.6
"""dlib's published operating point for its ResNet face descriptor (99.38 % on LFW)."""


class BiometricsSettings(BaseModel):
    """Thresholds and input limits. Environment: ``AUTOLEASE_BIOMETRICS__VOICE_THRESHOLD`` …

    ``face_distance_threshold`` is dlib's published LFW operating point; ``voice_threshold``
    and ``blacklist_threshold`` are cosine similarities of Resemblyzer embeddings (see
    docs/biometrics.md for how they were chosen and what they give on the evaluation data).
    ``torch_threads`` is 1 by default: requests already run in parallel in the threadpool, and
    torch's own threads thrash when the cores are busy (``None`` keeps torch's default).
    """

    face_distance_threshold: float = Field(DLIB_LFW_DISTANCE_THRESHOLD, gt=0, lt=2)
    voice_threshold: float = Field(0.75, gt=-1, lt=1)
    blacklist_threshold: float = Field(0.80, gt=-1, lt=1)
    max_image_bytes: int = Field(8 * MIB, gt=0)
    max_image_pixels: int = Field(40_000_000, gt=0)
    analysis_max_side: int = Field(1024, ge=256)
    max_liveness_frames: int = Field(40, ge=3)
    max_audio_bytes: int = Field(10 * MIB, gt=0)
    max_audio_seconds: float = Field(60.0, gt=0)
    max_enrol_files: int = Field(10, ge=1)
    torch_threads: int | None = Field(1, ge=1)

    @property
    def face_similarity_threshold(self) -> float:
        return 1.0 - self.face_distance_threshold


def biometrics_settings(settings: Any) -> BiometricsSettings:
    """The `biometrics` section of the app settings, or the defaults when it is not wired."""
    section = getattr(settings, "biometrics", None)
    return section if isinstance(section, BiometricsSettings) else BiometricsSettings()
