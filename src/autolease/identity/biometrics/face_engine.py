"""Face detection, alignment and embedding with dlib (not pure: loads model files).

dlib's HOG frontal-face detector finds faces, the 68-point shape predictor places landmarks,
and the ResNet model (``dlib_face_recognition_resnet_model_v1.dat``) turns the aligned
150x150 face chip into a 128-d descriptor. The model files come from the
``face-recognition-models`` package, located without importing it (its ``__init__`` needs
``pkg_resources``). dlib is imported on first use, so ``import autolease`` never needs it.

Images are analysed at most ``max_side`` pixels on their long side: detection time grows
with the pixel count, and a selfie's face stays far larger than the 150-pixel chip.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autolease.identity.biometrics import extra
from autolease.identity.biometrics import reasons as rc
from autolease.identity.biometrics.exceptions import BiometricsUnavailable
from autolease.identity.biometrics.faces import FaceAnalysis, FaceVerification, compare
from autolease.identity.biometrics.liveness import FrameObservation
from autolease.identity.biometrics.quality import (
    FaceQuality,
    FaceQualityParams,
    face_quality_reasons,
    laplacian_variance,
)

SHAPE_MODEL = "shape_predictor_68_face_landmarks.dat"
RESNET_MODEL = "dlib_face_recognition_resnet_model_v1.dat"
CHIP_SIZE = 150
CHIP_PADDING = 0.25

Image = NDArray[np.uint8]


def models_dir() -> Path:
    """Folder of the model files shipped by the ``face-recognition-models`` package."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise BiometricsUnavailable.missing(["face_recognition_models"])
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    if not (folder / RESNET_MODEL).is_file() or not (folder / SHAPE_MODEL).is_file():
        raise BiometricsUnavailable(f"face model files are missing from {folder}")
    return folder


class FaceEngine:
    """Loaded dlib models. Thread-safe: one inference at a time per engine."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        max_side: int = 1024,
        quality: FaceQualityParams | None = None,
        second_face_ratio: float = 0.5,
    ) -> None:
        extra.require(extra.FACE_MODULES)
        dlib = extra.load("dlib")
        location = folder or models_dir()
        self._detector = dlib.get_frontal_face_detector()
        self._shapes = dlib.shape_predictor(str(location / SHAPE_MODEL))
        self._resnet = dlib.face_recognition_model_v1(str(location / RESNET_MODEL))
        self._chip = dlib.get_face_chip
        self._lock = threading.Lock()
        self.max_side = max_side
        self.quality = quality or FaceQualityParams()
        self.second_face_ratio = second_face_ratio
        self.version = f"dlib {dlib.__version__} resnet_v1 + 68-point shape predictor"

    def _downscale(self, image: Image) -> tuple[Image, float]:
        height, width = image.shape[:2]
        scale = min(1.0, self.max_side / max(height, width))
        if scale == 1.0:
            return image, 1.0
        pil = extra.load("PIL.Image")
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small = pil.fromarray(image).resize(size, pil.Resampling.BILINEAR)
        return np.asarray(small, dtype=np.uint8), scale

    def _detect(self, image: Image) -> list[Any]:
        boxes, _scores, _ = self._detector.run(image, 0, 0.0)
        if not boxes:  # small faces (an ID card held at arm's length): look once more, upsampled
            boxes, _scores, _ = self._detector.run(image, 1, 0.0)
        return sorted(boxes, key=lambda box: box.width() * box.height(), reverse=True)

    def analyse(self, image: Image, *, embed: bool = True) -> FaceAnalysis:
        """Detect faces; for the largest, measure quality, landmarks and (optionally) embed."""
        small, scale = self._downscale(np.ascontiguousarray(image, dtype=np.uint8))
        with self._lock:
            boxes = self._detect(small)
            if not boxes:
                return FaceAnalysis(0, (rc.NO_FACE,))
            largest = boxes[0]
            others = [b for b in boxes[1:] if b.width() >= self.second_face_ratio * largest.width()]
            shape = self._shapes(small, largest)
            chip = np.asarray(self._chip(small, shape, size=CHIP_SIZE, padding=CHIP_PADDING))
            embedding = (
                np.asarray(self._resnet.compute_face_descriptor(chip), dtype=np.float64)
                if embed
                else None
            )
        grey = chip.astype(np.float64).mean(axis=2)
        quality = FaceQuality(
            face_px=round(largest.width() / scale),
            sharpness=laplacian_variance(grey),
            brightness=float(grey.mean()),
        )
        found = ((rc.MULTIPLE_FACES,) if others else ()) + face_quality_reasons(
            quality, self.quality
        )
        points = tuple((float(p.x) / scale, float(p.y) / scale) for p in shape.parts())
        return FaceAnalysis(1 + len(others), found, quality, embedding, points)

    def verify(
        self, probe: Image, reference: Image, *, distance_threshold: float
    ) -> FaceVerification:
        return compare(
            self.analyse(probe), self.analyse(reference), distance_threshold=distance_threshold
        )

    def observe(self, frame: Image) -> tuple[FrameObservation, FaceAnalysis]:
        """One liveness frame: face count and landmarks, without an embedding."""
        analysis = self.analyse(frame, embed=False)
        landmarks = analysis.landmarks if analysis.faces == 1 else None
        return FrameObservation(analysis.faces, landmarks), analysis


def shared_face_engine(max_side: int = 1024) -> FaceEngine:
    """The process's face engine, loaded on first use (about 0.5 s)."""
    return _face_engine(max_side)


@lru_cache(maxsize=2)
def _face_engine(max_side: int) -> FaceEngine:
    return FaceEngine(max_side=max_side)
