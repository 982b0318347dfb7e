"""What a user sees when a command fails or runs long: one clear line and exit code 2 (never a
traceback), progress on stderr and the command's JSON alone on stdout."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autolease.cli import app
from autolease.config import get_settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


class TestPortTaken:
    @pytest.mark.parametrize("command", [["serve"], ["demo", "--no-train", "--no-serve"]])
    def test_one_line_naming_the_port_and_the_option(
        self, env: Path, taken_port: int, command: list[str]
    ) -> None:
        result = CliRunner().invoke(app, [*command, "--port", str(taken_port)])
        assert result.exit_code == 2
        line = one_line(result.stderr)
        assert f"cannot listen on 127.0.0.1:{taken_port}" in line
        assert "--port" in line
        assert "Traceback" not in result.output
        assert not (env / "var").exists()  # refused before the store or a model was touched

    def test_a_free_port_is_not_refused(self, env: Path) -> None:
        from autolease.cli_support import listen_socket

        sock = listen_socket("127.0.0.1", 0)
        try:
            assert sock.getsockname()[1] > 0
        finally:
            sock.close()


class TestBadFiles:
    def test_missing_file(self, env: Path) -> None:
        result = CliRunner().invoke(
            app, ["fraud", "train", "--csv", str(env / "nope.csv"), "--target", "y"]
        )
        assert result.exit_code == 2
        body = json.loads(one_line(result.stderr))
        assert body["error"] == "FraudDataInvalid"
        assert "nope.csv" in body["detail"]
        assert result.stdout == ""

    def test_wrong_column(self, env: Path) -> None:
        table = env / "cars.csv"
        table.write_text("brand,year,mileage\nBYD,2020,1000\n", encoding="utf-8")
        result = CliRunner().invoke(
            app, ["vehicle", "train", "--data", str(table), "--out", str(env / "artifacts")]
        )
        assert result.exit_code == 2
        body = json.loads(one_line(result.stderr))
        assert body == {
            "error": "ColumnError",
            "detail": "no price column: map one with price=<column>",
        }
        assert not (env / "artifacts").exists()

    def test_missing_extra_names_it(self, env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        import autolease.kit.extras as extras

        monkeypatch.setattr(extras, "find_spec", lambda name: None)
        result = CliRunner().invoke(
            app,
            ["backtest", "--policy", "origination/approve", "--against", "origination/approve",
             "--data", str(env), "--executor", "dask"],
        )  # fmt: skip
        assert result.exit_code == 2
        line = one_line(result.stderr)
        assert "ExtraMissing" in line
        assert "pip install '.[dask]'" in line


def test_progress_goes_to_stderr_and_stdout_stays_json(tmp_path: Path) -> None:
    """`synth` with a terminal on stderr (forced): the bar is drawn there, stdout is JSON."""
    out = tmp_path / "book"
    run = subprocess.run(
        [sys.executable, "-c", "from autolease.cli import main; main()",
         "synth", "-n", "300", "--seed", "3", "--out", str(out)],
        env={**os.environ, "TTY_COMPATIBLE": "1", "COLUMNS": "120"},
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "generating applications" in run.stderr
    assert "300/300" in run.stderr
    event = json.loads(run.stdout)
    assert event["event"] == "generated"
    assert event["rows"]["applications"] == 300
