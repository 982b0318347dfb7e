"""`autolease documents sweep` against a store of its own (SQLite, a temp folder)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autolease.cli import app
from autolease.documents.store import LocalStore

OLD = "doc_" + "a" * 32
NEW = "doc_" + "b" * 32


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalStore]:
    from autolease.config import get_settings

    monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
    monkeypatch.setenv("AUTOLEASE_DOCUMENTS__ROOT", str(tmp_path / "documents"))
    get_settings.cache_clear()
    try:
        assert CliRunner().invoke(app, ["migrate"]).exit_code == 0
        yield LocalStore(tmp_path / "documents")
    finally:
        get_settings.cache_clear()


def test_sweep_removes_old_orphans_and_reports_them(store: LocalStore) -> None:
    store.put(OLD, b"left by a crash")
    store.put(NEW, b"an upload in flight")
    two_hours_ago = time.time() - 7200
    os.utime(store.path_of(OLD), (two_hours_ago, two_hours_ago))

    dry = CliRunner().invoke(app, ["documents", "sweep", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.stdout)
    assert [o["name"] for o in report["orphans"]] == [OLD]
    assert report["removed"] == 0
    assert len(list(store.list())) == 2

    done = CliRunner().invoke(app, ["documents", "sweep"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert report["removed"] == 1
    assert [o["name"] for o in report["within_grace"]] == [NEW]
    assert [f.name for f in store.list()] == [NEW]

    now = CliRunner().invoke(app, ["documents", "sweep", "--grace-minutes", "0"])
    assert json.loads(now.stdout)["removed"] == 1
    assert list(store.list()) == []


def test_a_negative_grace_is_refused(store: LocalStore) -> None:
    result = CliRunner().invoke(app, ["documents", "sweep", "--grace-minutes", "-5"])
    assert result.exit_code == 2


def test_the_sweep_imports_no_heavy_library(tmp_path: Path) -> None:
    from tests.test_cli_imports import HEAVY, run_cli

    env = {
        **os.environ,
        "AUTOLEASE_DB__URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "AUTOLEASE_SECURITY__KEYFILE": str(tmp_path / "keys.json"),
        "AUTOLEASE_DOCUMENTS__ROOT": str(tmp_path / "documents"),
    }
    assert run_cli(["migrate"], env, tmp_path / "migrate.json")[0] == 0
    code, loaded = run_cli(["documents", "sweep"], env, tmp_path / "sweep.json")
    assert code == 0
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
