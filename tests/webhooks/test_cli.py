"""`autolease webhooks deliver --once` as an operator runs it (env settings, SQLite file)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autolease.cli import app
from autolease.config import get_settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{db}")
    monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def test_deliver_once_on_an_empty_outbox_prints_a_summary(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    result = runner.invoke(app, ["webhooks", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "rounds": 0,
        "claimed": 0,
        "delivered": 0,
        "retried": 0,
        "dead": 0,
    }


def test_a_bad_option_is_one_line_and_exit_2(env: Path) -> None:
    result = CliRunner().invoke(app, ["webhooks", "deliver", "--idle", "0"])
    assert result.exit_code == 2
