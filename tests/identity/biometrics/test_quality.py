"""Tests for autolease.identity.biometrics.quality (pure)."""

from __future__ import annotations

import numpy as np
import pytest

from autolease.identity.biometrics.quality import (
    AudioQuality,
    AudioQualityParams,
    FaceQuality,
    FaceQualityParams,
    audio_quality_reasons,
    clipped_fraction,
    face_quality_reasons,
    laplacian_variance,
    measure_audio,
    rms_dbfs,
)


class TestLaplacianVariance:
    def test_flat_image_is_zero_and_edges_are_sharp(self) -> None:
        flat = np.full((20, 20), 100.0)
        edges = np.tile([0.0, 255.0], (20, 10))
        assert laplacian_variance(flat) == 0.0
        assert laplacian_variance(edges) > 1000

    def test_rejects_non_2d(self) -> None:
        with pytest.raises(ValueError, match="2-D"):
            laplacian_variance(np.zeros((3, 3, 3)))


class TestFaceQualityReasons:
    GOOD = FaceQuality(face_px=150, sharpness=200.0, brightness=120.0)

    def test_good_face(self) -> None:
        assert face_quality_reasons(self.GOOD) == ()

    @pytest.mark.parametrize(
        "change",
        [{"face_px": 59}, {"sharpness": 11.0}, {"brightness": 39.0}, {"brightness": 221.0}],
    )
    def test_each_limit(self, change: dict[str, float]) -> None:
        quality = FaceQuality(**{**self.GOOD.__dict__, **change})
        assert face_quality_reasons(quality) == ("LOW_QUALITY",)

    def test_limits_are_parameters(self) -> None:
        small = FaceQuality(face_px=40, sharpness=200.0, brightness=120.0)
        assert face_quality_reasons(small, FaceQualityParams(min_face_px=30)) == ()


class TestRmsDbfs:
    def test_levels(self) -> None:
        assert rms_dbfs(np.full(10, 0.1)) == pytest.approx(-20.0)
        assert rms_dbfs(np.zeros(10)) == float("-inf")
        assert rms_dbfs(np.zeros(0)) == float("-inf")


class TestClippedFraction:
    def test_counts_full_scale_samples(self) -> None:
        assert clipped_fraction(np.array([1.0, -1.0, 0.2, 0.9999])) == 0.75
        assert clipped_fraction(np.zeros(0)) == 0.0


class TestMeasureAudio:
    def test_durations(self) -> None:
        quality = measure_audio(np.full(32000, 0.1), 16000, speech_samples=24000)
        assert quality.duration_s == 2.0
        assert quality.speech_s == 1.5
        assert quality.as_dict()["level_dbfs"] == pytest.approx(-20.0)

    def test_silence_level_is_reported_as_null(self) -> None:
        assert measure_audio(np.zeros(10), 16000, 0).as_dict()["level_dbfs"] is None

    def test_rate_must_be_positive(self) -> None:
        with pytest.raises(ValueError, match="positive"):
            measure_audio(np.zeros(10), 0, 0)


class TestAudioQualityReasons:
    def test_silence_and_no_speech(self) -> None:
        assert audio_quality_reasons(AudioQuality(3, 3, -70.0, 0.0)) == ("VOICE_NO_SPEECH",)
        assert audio_quality_reasons(AudioQuality(3, 0.0, -20.0, 0.0)) == ("VOICE_NO_SPEECH",)

    def test_short_and_clipped(self) -> None:
        quality = AudioQuality(3, 0.5, -10.0, 0.2)
        assert audio_quality_reasons(quality) == ("VOICE_TOO_SHORT", "VOICE_LOW_QUALITY")

    def test_good_recording(self) -> None:
        assert audio_quality_reasons(AudioQuality(4, 3.5, -25.0, 0.0)) == ()

    def test_limits_are_parameters(self) -> None:
        quality = AudioQuality(3, 0.5, -25.0, 0.0)
        assert audio_quality_reasons(quality, AudioQualityParams(min_speech_seconds=0.4)) == ()
