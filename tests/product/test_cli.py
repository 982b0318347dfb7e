"""The `product` Typer sub-app (invoked directly until cli.py mounts it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autolease.cli import app as root
from autolease.config import get_settings
from autolease.product.cli import app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    assert CliRunner().invoke(root, ["migrate"]).exit_code == 0
    yield tmp_path
    get_settings.cache_clear()


class TestProductCli:
    def test_seed_list_and_quote(self, env: Path) -> None:
        runner = CliRunner()
        seeded = runner.invoke(app, ["seed"])
        assert seeded.exit_code == 0, seeded.output
        assert "products created: 8" in seeded.output
        assert "products created: 0" in runner.invoke(app, ["seed"]).output
        listed = runner.invoke(app, ["list"])
        assert "DL-STD" in listed.output
        quoted = runner.invoke(
            app,
            [
                "quote",
                "120000",
                "--first-registration-date",
                "2024-06-01",
                "--down-payment",
                "60000",
                "--term",
                "36",
                "--budget",
                "3000",
                "--grade",
                "A",
            ],
        )
        assert quoted.exit_code == 0, quoted.output
        body = json.loads(quoted.output)
        assert body["offers"]
        assert body["offers"][0]["term_months"] == 36

    def test_bad_input_exits_2_with_a_message(self, env: Path) -> None:
        result = CliRunner().invoke(
            app, ["quote", "120000", "--first-registration-date", "2024-13-01"]
        )
        assert result.exit_code == 2
        assert "invalid quote request" in result.output
