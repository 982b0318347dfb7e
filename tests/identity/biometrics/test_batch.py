"""Batch modes of `autolease identity face-verify --pairs` and `voice-verify --trials`."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from autolease.identity.biometrics.batch import read_pairs, read_trials
from autolease.identity.biometrics.cli import identity_app
from autolease.identity.biometrics.exceptions import SampleInvalid
from tests.identity.biometrics.conftest import DATA

runner = CliRunner()


def json_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


class TestLists:
    def test_pairs_skip_header_comments_and_resolve_relative_paths(self) -> None:
        text = "image_a,image_b\n# a comment\n\na.jpg\tb.jpg\n/abs/c.jpg,d.jpg\n"
        pairs = read_pairs(text, Path("/lists"))
        assert [(a.as_posix(), b.as_posix()) for a, b in pairs] == [
            ("/lists/a.jpg", "/lists/b.jpg"),
            ("/abs/c.jpg", "/lists/d.jpg"),
        ]

    def test_trials_take_several_enrolment_files(self) -> None:
        trials = read_trials("enrol,probe\na0.flac; a1.flac ,a2.flac\n", Path("/v"))
        assert [p.name for p in trials[0][0]] == ["a0.flac", "a1.flac"]
        assert trials[0][1].name == "a2.flac"

    @pytest.mark.parametrize(("text", "rule"), [("a.jpg\n", "format"), ("# none\n", "empty")])
    def test_a_bad_list_names_the_rule(self, text: str, rule: str) -> None:
        with pytest.raises(SampleInvalid) as caught:
            read_pairs(text, Path())
        assert caught.value.rule == rule


class TestBatchCli:
    def test_unreadable_files_fail_their_line_only(self, tmp_path: Path) -> None:
        listed = tmp_path / "pairs.csv"
        listed.write_text("image_a,image_b\nnope_1.jpg,nope_2.jpg\nnope_3.jpg,nope_4.jpg\n")
        result = runner.invoke(identity_app, ["face-verify", "--pairs", str(listed)])
        assert result.exit_code == 0, result.output
        *rows, done = json_lines(result.output)
        assert [r["image_a"] for r in rows] == [
            str(tmp_path / "nope_1.jpg"),
            str(tmp_path / "nope_3.jpg"),
        ]
        assert all("nope_" in r["error"] for r in rows)
        assert done == {"event": "done", "comparisons": 2, "errors": 2}

    def test_a_malformed_list_exits_2(self, tmp_path: Path) -> None:
        listed = tmp_path / "trials.csv"
        listed.write_text("only_one_column.flac\n")
        result = runner.invoke(identity_app, ["voice-verify", "--trials", str(listed)])
        assert result.exit_code == 2
        assert "--trials: line 1" in result.output

    def test_pairs_and_images_together_exit_2(self, tmp_path: Path) -> None:
        face = str(DATA / "astronaut_face.jpg")
        args = ["face-verify", face, face, "--pairs", str(tmp_path / "p.csv")]
        result = runner.invoke(identity_app, args)
        assert result.exit_code == 2
        assert "not both" in result.output

    @pytest.mark.skipif(
        importlib.util.find_spec("dlib") is not None, reason="the biometrics extra is installed"
    )
    def test_without_the_extra_the_batch_exits_3_once(self, tmp_path: Path) -> None:
        listed = tmp_path / "pairs.csv"
        face = DATA / "astronaut_face.jpg"
        listed.write_text(f"{face},{face}\n{face},{face}\n")
        result = runner.invoke(identity_app, ["face-verify", "--pairs", str(listed)])
        assert result.exit_code == 3
        assert result.output.count("error") == 1

    def test_face_pairs_with_the_engine(self, face_engine: Any, tmp_path: Path) -> None:
        listed = tmp_path / "pairs.csv"
        face = DATA / "astronaut_face.jpg"
        listed.write_text(f"{face},{face}\n{face},{face}\n")
        result = runner.invoke(identity_app, ["face-verify", "--pairs", str(listed)])
        assert result.exit_code == 0, result.output
        *rows, done = json_lines(result.output)
        assert [r["decision"] for r in rows] == ["match", "match"]
        assert done["errors"] == 0

    def test_voice_trials_with_the_engine(self, voice_engine: Any, tmp_path: Path) -> None:
        listed = tmp_path / "trials.csv"
        a0, a1, a2, b2 = (DATA / n for n in ("speaker_a_0.flac", "speaker_a_1.flac",
                                             "speaker_a_2.flac", "speaker_b_2.flac"))  # fmt: skip
        listed.write_text(f"enrol,probe\n{a0};{a1},{a2}\n{a0},{b2}\n")
        result = runner.invoke(identity_app, ["voice-verify", "--trials", str(listed)])
        assert result.exit_code == 0, result.output
        *rows, _ = json_lines(result.output)
        assert [r["decision"] for r in rows] == ["match", "no_match"]
        assert rows[0]["enrolled_utterances"] == 2
