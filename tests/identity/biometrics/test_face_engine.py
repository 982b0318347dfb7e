"""Tests for autolease.identity.biometrics.face_engine (needs the biometrics extra).

The shipped face is a public-domain NASA portrait; pictures with no face, two faces, blur
and darkness are made from it here. Different-person pairs need a second real identity, so
those tests read a local copy of the face_recognition example photos when present and skip
otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autolease.identity.biometrics.faces import FaceAnalysis
from autolease.identity.biometrics.media import decode_image

pytest.importorskip("dlib")
pytest.importorskip("PIL")

Image = np.ndarray[Any, Any]


def load(path: Path) -> Image:
    return decode_image(path.read_bytes(), field="f", max_bytes=10**8, max_pixels=10**8)


def blurred(image: Image, radius: float) -> Image:
    from PIL import Image as PILImage
    from PIL import ImageFilter

    return np.asarray(PILImage.fromarray(image).filter(ImageFilter.GaussianBlur(radius)))


class TestAnalyse:
    def test_one_good_face(self, face_engine: Any, face_array: Image) -> None:
        result: FaceAnalysis = face_engine.analyse(face_array)
        assert result.faces == 1
        assert result.reasons == ()
        assert result.embedding is not None
        assert result.embedding.shape == (128,)
        assert result.landmarks is not None
        assert len(result.landmarks) == 68
        assert "embedding" not in repr(result)
        assert set(result.as_dict()) == {"faces", "reasons", "quality"}

    def test_blank_image_has_no_face(self, face_engine: Any) -> None:
        result = face_engine.analyse(np.full((240, 320, 3), 200, dtype=np.uint8))
        assert (result.faces, result.reasons, result.embedding) == (0, ("NO_FACE",), None)

    def test_two_copies_side_by_side_are_multiple_faces(
        self, face_engine: Any, face_array: Image
    ) -> None:
        result = face_engine.analyse(np.concatenate([face_array, face_array], axis=1))
        assert result.faces == 2
        assert result.reasons == ("MULTIPLE_FACES",)

    def test_blur_is_low_quality(self, face_engine: Any, face_array: Image) -> None:
        result = face_engine.analyse(blurred(face_array, 2.5))
        assert result.faces == 1
        assert result.reasons == ("LOW_QUALITY",)
        assert result.quality is not None
        assert result.quality.sharpness < 12

    def test_large_image_is_analysed_downscaled_with_face_size_in_original_pixels(
        self, face_engine: Any, face_array: Image
    ) -> None:
        from PIL import Image as PILImage

        big = np.asarray(PILImage.fromarray(face_array).resize((1320, 1320)))
        result = face_engine.analyse(big)
        assert result.faces == 1
        assert result.quality is not None
        assert 400 < result.quality.face_px < 640


class TestVerify:
    def test_same_face_transformed_matches(self, face_engine: Any, face_array: Image) -> None:
        brighter = np.clip(face_array.astype(int) + 25, 0, 255).astype(np.uint8)
        result = face_engine.verify(face_array, brighter[:, ::-1], distance_threshold=0.6)
        assert result.result.decision.value == "match"
        assert result.distance is not None
        assert result.distance < 0.3
        assert result.as_dict()["score"] == pytest.approx(1 - result.distance, abs=1e-4)

    def test_threshold_decides(self, face_engine: Any, face_array: Image) -> None:
        flipped = face_array[:, ::-1]
        result = face_engine.verify(face_array, flipped, distance_threshold=0.001)
        assert result.result.decision.value == "no_match"
        assert result.result.reasons == ("FACE_MISMATCH",)

    def test_no_face_is_inconclusive(self, face_engine: Any, face_array: Image) -> None:
        blank = np.zeros((200, 200, 3), dtype=np.uint8)
        result = face_engine.verify(face_array, blank, distance_threshold=0.6)
        assert result.result.decision.value == "inconclusive"
        assert result.result.reasons == ("NO_FACE",)
        assert result.result.score is None
        assert [image["reasons"] for image in result.as_dict()["images"]] == [[], ["NO_FACE"]]


class TestVerifyRealPhotos:
    def test_same_person_matches(self, face_engine: Any, shared_faces: Path) -> None:
        train = shared_faces / "knn_examples" / "train"
        result = face_engine.verify(
            load(train / "obama" / "obama.jpg"),
            load(train / "obama" / "obama2.jpg"),
            distance_threshold=0.6,
        )
        assert result.result.decision.value == "match"

    def test_different_people_do_not(self, face_engine: Any, shared_faces: Path) -> None:
        train = shared_faces / "knn_examples" / "train"
        result = face_engine.verify(
            load(train / "obama" / "obama.jpg"),
            load(train / "biden" / "biden.jpg"),
            distance_threshold=0.6,
        )
        assert result.result.decision.value == "no_match"
        assert result.result.reasons == ("FACE_MISMATCH",)


class TestObserve:
    def test_frame_observation(self, face_engine: Any, face_array: Image) -> None:
        observation, analysis = face_engine.observe(face_array)
        assert observation.usable
        assert analysis.embedding is None
        blank, _ = face_engine.observe(np.zeros((100, 100, 3), dtype=np.uint8))
        assert (blank.faces, blank.usable) == (0, False)
