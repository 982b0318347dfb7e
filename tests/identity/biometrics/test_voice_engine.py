"""Tests for autolease.identity.biometrics.voice_engine (needs the biometrics extra).

Speakers are two synthetic espeak-ng voices shipped as small FLAC files (data/README.md);
silence, tones, short clips and clipping are generated here.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from autolease.identity.biometrics.media import decode_audio
from autolease.identity.biometrics.voices import (
    VoiceAnalysis,
    compare_voice,
    enrolment,
    search,
)
from tests.identity.biometrics.conftest import tone, voice

pytest.importorskip("torch")
pytest.importorskip("soundfile")
with warnings.catch_warnings():  # webrtcvad imports pkg_resources, which warns
    warnings.simplefilter("ignore")
    pytest.importorskip("resemblyzer")

THRESHOLD = 0.75


def samples(name: str) -> tuple[np.ndarray[Any, Any], int]:
    return decode_audio(voice(name), field="f", max_bytes=10**8, max_seconds=60)


@pytest.fixture(scope="module")
def analysed(voice_engine: Any) -> dict[str, VoiceAnalysis]:
    names = [f"speaker_{s}_{i}" for s in "ab" for i in range(3)]
    return {name: voice_engine.analyse(*samples(name)) for name in names}


class TestAnalyse:
    def test_speech_gives_unit_embedding(self, analysed: dict[str, VoiceAnalysis]) -> None:
        result = analysed["speaker_a_0"]
        assert result.reasons == ()
        assert result.embedding is not None
        assert result.embedding.shape == (256,)
        assert np.linalg.norm(result.embedding) == pytest.approx(1.0, abs=1e-5)
        assert result.quality.speech_s > 3.0
        assert "embedding" not in repr(result)

    def test_silence_is_no_speech(self, voice_engine: Any) -> None:
        result = voice_engine.analyse(np.zeros(48000, dtype=np.float32), 16000)
        assert result.reasons == ("VOICE_NO_SPEECH",)
        assert result.embedding is None

    def test_half_second_is_too_short(self, voice_engine: Any) -> None:
        wav, rate = samples("speaker_a_0")
        result = voice_engine.analyse(wav[: rate // 2], rate)
        assert result.reasons == ("VOICE_TOO_SHORT",)
        assert result.embedding is None

    def test_clipping_is_flagged_but_still_embedded(self, voice_engine: Any) -> None:
        wav, rate = samples("speaker_a_0")
        result = voice_engine.analyse(np.clip(wav * 20, -1, 1).astype(np.float32), rate)
        assert result.reasons == ("VOICE_LOW_QUALITY",)
        assert result.embedding is not None


class TestVerify:
    def test_same_speaker_matches(self, analysed: dict[str, VoiceAnalysis]) -> None:
        template = enrolment([analysed["speaker_a_0"], analysed["speaker_a_1"]])
        result = compare_voice(analysed["speaker_a_2"], template.embedding, threshold=THRESHOLD)
        assert result.decision.value == "match"
        assert result.score is not None
        assert result.score > 0.85

    def test_other_speaker_does_not(self, analysed: dict[str, VoiceAnalysis]) -> None:
        template = enrolment([analysed["speaker_a_0"], analysed["speaker_a_1"]])
        result = compare_voice(analysed["speaker_b_2"], template.embedding, threshold=THRESHOLD)
        assert result.decision.value == "no_match"
        assert result.reasons == ("VOICE_MISMATCH",)

    def test_tone_is_not_the_speaker(
        self, voice_engine: Any, analysed: dict[str, VoiceAnalysis]
    ) -> None:
        template = enrolment([analysed["speaker_a_0"], analysed["speaker_a_1"]])
        probe = voice_engine.analyse(tone(3.0).astype(np.float32), 16000)
        assert compare_voice(probe, template.embedding, threshold=THRESHOLD).decision.value != (
            "match"
        )

    def test_resampled_probe_still_matches(
        self, voice_engine: Any, analysed: dict[str, VoiceAnalysis]
    ) -> None:
        import librosa

        wav, rate = samples("speaker_a_2")
        wav44 = librosa.resample(wav, orig_sr=rate, target_sr=44100).astype(np.float32)
        template = enrolment([analysed["speaker_a_0"], analysed["speaker_a_1"]])
        probe = voice_engine.analyse(wav44, 44100)
        assert compare_voice(probe, template.embedding, threshold=THRESHOLD).decision.value == (
            "match"
        )


class TestBlacklistSearch:
    def test_finds_the_fraudster_among_others(self, analysed: dict[str, VoiceAnalysis]) -> None:
        fraudster = enrolment([analysed["speaker_b_0"], analysed["speaker_b_1"]]).embedding
        other = enrolment([analysed["speaker_a_0"]]).embedding
        assert fraudster is not None
        assert other is not None
        result = search(analysed["speaker_b_2"], [(1, other), (2, fraudster)], threshold=0.8)
        assert result.hits == (2,)
        assert result.as_dict()["hit"] is True
        clean = search(analysed["speaker_a_2"], [(2, fraudster)], threshold=0.8)
        assert clean.hits == ()
