"""Face analysis results and face-to-face comparison (pure).

A :class:`FaceAnalysis` is what one image showed (face count, reasons, quality, and for the
largest face its landmarks and 128-d dlib descriptor); :func:`compare` decides whether two
analysed images show one person. The engine that produces analyses is `face_engine`.

>>> a = FaceAnalysis(1, (), embedding=np.zeros(128))
>>> compare(a, a, distance_threshold=0.6).result.decision.value
'match'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autolease.identity.biometrics import reasons as rc
from autolease.identity.biometrics.liveness import Point
from autolease.identity.biometrics.quality import FaceQuality
from autolease.identity.biometrics.scoring import (
    Verification,
    decide,
    euclidean_distance,
    face_similarity,
)

__all__ = ["FaceAnalysis", "FaceVerification", "compare"]


@dataclass(frozen=True)
class FaceAnalysis:
    """What one image shows. ``embedding`` is personal data: never logged or returned."""

    faces: int
    reasons: tuple[str, ...]
    quality: FaceQuality | None = None
    embedding: NDArray[np.float64] | None = None
    landmarks: tuple[Point, ...] | None = None

    def __repr__(self) -> str:
        return f"FaceAnalysis(faces={self.faces}, reasons={self.reasons})"

    def as_dict(self) -> dict[str, Any]:
        quality = None if self.quality is None else self.quality.as_dict()
        return {"faces": self.faces, "reasons": list(self.reasons), "quality": quality}


@dataclass(frozen=True)
class FaceVerification:
    result: Verification
    distance: float | None
    distance_threshold: float
    images: tuple[FaceAnalysis, FaceAnalysis]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.result.as_dict(),
            "metric": "1 - euclidean distance of dlib ResNet descriptors",
            "distance": None if self.distance is None else round(self.distance, 4),
            "distance_threshold": self.distance_threshold,
            "images": [image.as_dict() for image in self.images],
        }


def compare(
    probe: FaceAnalysis, reference: FaceAnalysis, *, distance_threshold: float
) -> FaceVerification:
    """Decide whether two analysed faces are one person (the face of each is its largest)."""
    distance = None
    if probe.embedding is not None and reference.embedding is not None:
        distance = euclidean_distance(probe.embedding, reference.embedding)
    result = decide(
        None if distance is None else face_similarity(distance),
        face_similarity(distance_threshold),
        mismatch_code=rc.FACE_MISMATCH,
        blocking=probe.reasons + reference.reasons,
        modality="face",
    )
    return FaceVerification(result, distance, distance_threshold, (probe, reference))
