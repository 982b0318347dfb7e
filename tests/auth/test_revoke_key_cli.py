"""`autolease sp revoke-key PREFIX`: the key stops working, the revocation is audited, an
unknown prefix is one clear line and exit 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from autolease.audit.models import AuditEvent
from autolease.auth import service as auth_service
from autolease.auth.exceptions import InvalidCredentials
from autolease.cli import app
from autolease.config import get_settings
from autolease.kit.clock import SystemClock
from autolease.runtime import build_runtime


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def issued_key(runner: CliRunner) -> str:
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    created = runner.invoke(app, ["sp", "create", "SP-R", "撤销测试", "上海"])
    assert created.exit_code == 0, created.output
    issued = runner.invoke(app, ["sp", "issue-key", "SP-R"])
    assert issued.exit_code == 0, issued.output
    return issued.stdout.strip()


def authenticates(key: str) -> bool:
    runtime = build_runtime(get_settings(), pipeline=False)
    try:
        with runtime.sessions() as session:
            auth_service.authenticate(session, bearer=key, at=SystemClock().now())
        return True
    except InvalidCredentials:
        return False
    finally:
        runtime.close()


class TestRevokeKey:
    def test_the_key_stops_working_and_the_revocation_is_audited(self, env: Path) -> None:
        runner = CliRunner()
        key = issued_key(runner)
        prefix = key.split("_")[1]
        assert authenticates(key)
        result = runner.invoke(app, ["sp", "revoke-key", prefix])
        assert result.exit_code == 0, result.output
        assert f"revoked API key {prefix} of SP SP-R" in result.stdout
        assert not authenticates(key)
        runtime = build_runtime(get_settings(), pipeline=False)
        with runtime.sessions() as session:
            kinds = session.scalars(select(AuditEvent.action)).all()
        runtime.close()
        assert "api_key.revoked" in kinds

    def test_revoking_twice_is_harmless(self, env: Path) -> None:
        runner = CliRunner()
        prefix = issued_key(runner).split("_")[1]
        assert runner.invoke(app, ["sp", "revoke-key", prefix]).exit_code == 0
        assert runner.invoke(app, ["sp", "revoke-key", prefix]).exit_code == 0

    def test_an_unknown_prefix_is_one_clear_line(self, env: Path) -> None:
        runner = CliRunner()
        key = issued_key(runner)
        result = runner.invoke(app, ["sp", "revoke-key", "nosuchkey"])
        assert result.exit_code == 2
        line = json.loads(result.stderr.strip())
        assert line["error"] == "NotFound"
        assert "nosuchkey" in line["detail"]
        assert "Traceback" not in result.output
        assert authenticates(key)  # another key is untouched
