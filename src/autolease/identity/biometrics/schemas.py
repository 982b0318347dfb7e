"""Request and response models for biometrics.

`BiometricSamplesIn` is the optional ``biometrics`` section of an application body (base64
samples); the endpoints under ``/v1/biometrics`` take multipart uploads instead.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from autolease.identity.biometrics.challenge import Challenge
from autolease.identity.biometrics.samples import BiometricSamples

MAX_SAMPLE_BYTES = 10 * 1024 * 1024


def _decode_base64(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "base64_type", "expected a base64 string", {"message_zh": "应为base64字符串"}
        )
    if len(value) > MAX_SAMPLE_BYTES * 4 // 3 + 4:
        raise PydanticCustomError(
            "too_large", "the sample is larger than 10 MiB", {"message_zh": "样本超过10 MiB"}
        )
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise PydanticCustomError(
            "base64", "the sample is not valid base64", {"message_zh": "样本不是有效的base64编码"}
        ) from None
    if not decoded:
        raise PydanticCustomError("empty", "the sample is empty", {"message_zh": "样本为空"})
    return decoded


Sample = Annotated[bytes, BeforeValidator(_decode_base64)]


class BiometricSamplesIn(BaseModel):
    """Samples an application may carry, each base64-encoded (JPEG/PNG/WebP/BMP, WAV/FLAC/OGG)."""

    model_config = ConfigDict(extra="forbid")

    selfie: Sample | None = Field(default=None, description="A selfie, base64 image")
    id_photo: Sample | None = Field(
        default=None, description="The ID card's portrait side, base64 image"
    )
    liveness_frames: list[Sample] = Field(
        default_factory=list, max_length=40, description="Up to 40 video frames, base64 images"
    )
    liveness_challenge: Challenge = Field(
        default=Challenge.BLINK, description="The action the frames show"
    )
    voice: Sample | None = Field(default=None, description="A voice sample, base64 audio")

    def to_samples(self) -> BiometricSamples:
        return BiometricSamples(
            selfie=self.selfie,
            id_photo=self.id_photo,
            liveness_frames=tuple(self.liveness_frames),
            liveness_challenge=self.liveness_challenge,
            voice=self.voice,
        )


class ImageRead(BaseModel):
    faces: int
    reasons: list[str]
    quality: dict[str, float | int] | None


class FaceVerifyRead(BaseModel):
    modality: Literal["face"]
    score: float | None = Field(description="similarity, 1 - distance")
    threshold: float
    decision: Literal["match", "no_match", "inconclusive"]
    reasons: list[str]
    metric: str
    distance: float | None
    distance_threshold: float
    images: list[ImageRead]


class LivenessRead(BaseModel):
    challenge: Challenge
    decision: Literal["pass", "fail"]
    reasons: list[str]
    frames: int
    usable_frames: int
    measure: float


class BlacklistRead(BaseModel):
    searched: int
    threshold: float
    best_score: float | None
    hit: bool
    hits: int


class VoiceVerifyRead(BaseModel):
    modality: Literal["voice"]
    score: float | None
    threshold: float
    decision: Literal["match", "no_match", "inconclusive"]
    reasons: list[str]
    enrolled: bool
    quality: dict[str, float | None]
    blacklist: BlacklistRead


class EnrolRead(BaseModel):
    template_id: int
    subject_ref: str | None
    modality: Literal["face", "voice"]
    purpose: Literal["applicant", "blacklist"]
    samples: int
    rejected: list[dict[str, Any]] = Field(
        default_factory=list, description="samples left out, with their reasons"
    )


class DeletedRead(BaseModel):
    subject_ref: str
    deleted: int
