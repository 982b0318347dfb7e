"""Tests for autolease.identity.biometrics.templates and samples (pure)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autolease.identity.biometrics.liveness import Challenge
from autolease.identity.biometrics.samples import BiometricSamples
from autolease.identity.biometrics.templates import decode_embedding, encode_embedding


class TestEncodeEmbedding:
    def test_round_trip_at_float32_precision(self) -> None:
        vector = np.random.default_rng(1).standard_normal(128)
        back = decode_embedding(encode_embedding(vector), dim=128)
        assert back.shape == (128,)
        assert np.allclose(back, vector, atol=1e-6)

    def test_rejects_empty_or_non_finite(self) -> None:
        with pytest.raises(ValueError, match="finite"):
            encode_embedding([math.inf])
        with pytest.raises(ValueError, match="non-empty"):
            encode_embedding([])


class TestDecodeEmbedding:
    def test_wrong_dimension(self) -> None:
        with pytest.raises(ValueError, match="expected 256"):
            decode_embedding(encode_embedding(np.ones(128)), dim=256)

    def test_not_base64(self) -> None:
        with pytest.raises(ValueError, match="base64"):
            decode_embedding("not base64!", dim=1)


class TestBiometricSamples:
    def test_present_and_repr_never_show_bytes(self) -> None:
        samples = BiometricSamples(selfie=b"\xff\xd8secret", voice=b"RIFF")
        assert samples.present() == ("selfie", "voice")
        assert samples.any
        assert "secret" not in repr(samples)
        assert repr(samples) == "BiometricSamples(selfie, voice)"

    def test_empty(self) -> None:
        samples = BiometricSamples()
        assert samples.present() == ()
        assert not samples.any
        assert samples.liveness_challenge is Challenge.BLINK

    def test_liveness_needs_frames(self) -> None:
        assert BiometricSamples(liveness_frames=(b"a", b"b")).present() == ("liveness",)
