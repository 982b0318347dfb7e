"""Tests for autolease.identity.biometrics.schemas: the application's biometrics section."""

from __future__ import annotations

import base64

import pytest
from pydantic import ValidationError

from autolease.identity.biometrics.liveness import Challenge
from autolease.identity.biometrics.schemas import BiometricSamplesIn


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class TestBiometricSamplesIn:
    def test_decodes_to_samples(self) -> None:
        body = {
            "selfie": b64(b"img-a"),
            "liveness_frames": [b64(b"f1"), b64(b"f2")],
            "liveness_challenge": "turn_left",
            "voice": b64(b"wav"),
        }
        samples = BiometricSamplesIn.model_validate(body).to_samples()
        assert samples.selfie == b"img-a"
        assert samples.id_photo is None
        assert samples.liveness_frames == (b"f1", b"f2")
        assert samples.liveness_challenge is Challenge.TURN_LEFT
        assert samples.voice == b"wav"

    @pytest.mark.parametrize(
        ("value", "rule"),
        [("%%%not-base64%%%", "base64"), ("", "empty"), (12, "base64_type")],
    )
    def test_bad_sample_names_field_and_rule(self, value: object, rule: str) -> None:
        with pytest.raises(ValidationError) as caught:
            BiometricSamplesIn.model_validate({"selfie": value})
        error = caught.value.errors()[0]
        assert error["loc"] == ("selfie",)
        assert error["type"] == rule
        assert error["ctx"]["message_zh"]

    def test_unknown_field_and_challenge_are_refused(self) -> None:
        with pytest.raises(ValidationError, match="extra"):
            BiometricSamplesIn.model_validate({"fingerprint": b64(b"x")})
        with pytest.raises(ValidationError, match="liveness_challenge"):
            BiometricSamplesIn.model_validate({"liveness_challenge": "smile"})

    def test_too_many_frames(self) -> None:
        with pytest.raises(ValidationError, match="liveness_frames"):
            BiometricSamplesIn.model_validate({"liveness_frames": [b64(b"f")] * 41})
