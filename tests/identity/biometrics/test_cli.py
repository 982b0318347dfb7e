"""Tests for autolease.identity.biometrics.cli: `autolease identity …` prints JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from autolease.identity.biometrics.cli import _fail, identity_app
from autolease.identity.biometrics.exceptions import BiometricsUnavailable, SampleInvalid
from tests.identity.biometrics.conftest import DATA, corrupt_bytes, silence, wav_bytes

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(identity_app, list(args))


class TestFail:
    def test_unavailable_exits_3_and_bad_input_2(self) -> None:
        assert _fail(BiometricsUnavailable.missing(["dlib"])).exit_code == 3
        bad = SampleInvalid("image_a", "empty", "the file is empty", "文件为空")
        exit_ = _fail(bad)
        assert isinstance(exit_, typer.Exit)
        assert exit_.exit_code == 2


class TestFaceVerify:
    def test_missing_file(self, tmp_path: Path) -> None:
        result = run("face-verify", str(tmp_path / "nope.jpg"), str(DATA / "astronaut_face.jpg"))
        assert result.exit_code == 2
        assert "IMAGE_A: no such file" in result.output

    def test_prints_json(self, face_engine: Any) -> None:
        face = str(DATA / "astronaut_face.jpg")
        result = run("face-verify", face, face)
        assert result.exit_code == 0, result.output
        payload = json.loads(result.output)
        assert {"score", "threshold", "decision", "reasons"} <= set(payload)
        assert payload["decision"] == "match"

    def test_threshold_option(self, face_engine: Any) -> None:
        face = str(DATA / "astronaut_face.jpg")
        payload = json.loads(run("face-verify", face, face, "--threshold", "0.3").output)
        assert payload["distance_threshold"] == 0.3
        assert payload["threshold"] == pytest.approx(0.7)

    @pytest.mark.parametrize(("content", "rule"), [(b"", "empty"), (corrupt_bytes(), "format")])
    def test_bad_file(self, face_engine: Any, tmp_path: Path, content: bytes, rule: str) -> None:
        bad = tmp_path / "bad.jpg"
        bad.write_bytes(content)
        result = run("face-verify", str(DATA / "astronaut_face.jpg"), str(bad))
        assert result.exit_code == 2
        assert "image_b:" in result.output
        assert f"({rule})" in result.output


class TestVoiceVerify:
    def test_enrol_several_then_probe(self, voice_engine: Any) -> None:
        a0, a1, a2 = (str(DATA / f"speaker_a_{i}.flac") for i in range(3))
        result = run("voice-verify", "--enrol", a0, a1, "--probe", a2)
        assert result.exit_code == 0, result.output
        payload = json.loads(result.output)
        assert payload["decision"] == "match"
        assert payload["enrolled_utterances"] == 2

    def test_other_speaker(self, voice_engine: Any) -> None:
        a0, b2 = str(DATA / "speaker_a_0.flac"), str(DATA / "speaker_b_2.flac")
        payload = json.loads(run("voice-verify", "--enrol", a0, "--probe", b2).output)
        assert (payload["decision"], payload["reasons"]) == ("no_match", ["VOICE_MISMATCH"])

    def test_silent_probe_is_inconclusive(self, voice_engine: Any, tmp_path: Path) -> None:
        quiet = tmp_path / "quiet.wav"
        quiet.write_bytes(wav_bytes(silence(2.0), 16000))
        a0 = str(DATA / "speaker_a_0.flac")
        payload = json.loads(run("voice-verify", "--enrol", a0, "--probe", str(quiet)).output)
        assert (payload["decision"], payload["reasons"]) == ("inconclusive", ["VOICE_NO_SPEECH"])

    def test_wrong_sample_rate(self, voice_engine: Any, tmp_path: Path) -> None:
        low = tmp_path / "low.wav"
        low.write_bytes(wav_bytes(silence(1.0, 4000), 4000))
        result = run("voice-verify", "--enrol", str(low), "--probe", str(low))
        assert result.exit_code == 2
        assert "enrol[0]" in result.output
        assert "(sample_rate)" in result.output
