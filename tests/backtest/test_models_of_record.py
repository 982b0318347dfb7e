"""``autolease backtest --models store``: the champions of the store score the book."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from autolease import store
from autolease.audit.chain import chain_key
from autolease.audit.service import Actor
from autolease.backtest.cli import backtest
from autolease.config import get_settings
from autolease.credit import service as credit_service
from autolease.credit.training import TrainOptions
from autolease.db import create_engine_for, session_factory, session_scope
from autolease.fraud.service import offline as fraud_offline
from autolease.fraud.training import TrainOptions as FraudOptions
from autolease.governance.service import models as governance
from tests.conftest import START
from tests.credit.conftest import SMALL_GBM

app = typer.Typer()
app.command()(backtest)
runner = CliRunner()
BASE = ["--policy", "origination/approve", "--against", "origination/approve-conservative"]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{tmp_path / 'bt.db'}")
    monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
    monkeypatch.setenv("AUTOLEASE_ARTIFACTS_DIR", str(tmp_path / "artifacts"))
    get_settings.cache_clear()
    store.upgrade(create_engine_for(get_settings().db))
    yield tmp_path / "artifacts"
    get_settings.cache_clear()


def _champions(root: Path, book_dir: Path) -> list[str]:
    credit = credit_service.train_book(
        book_dir, TrainOptions(kind="gbm", gbm=SMALL_GBM), out=root, name=None, version=None,
        created_at=START,
    )  # fmt: skip
    fraud = fraud_offline.train_book(
        book_dir, FraudOptions(rounds=20), out=root, created_at=START, train_months=9
    )
    settings = get_settings()
    engine = create_engine_for(settings.db)
    actor = Actor(chain_key(settings.security.resolved().blind_key), "system:test", START)
    refs = [credit.manifest.ref, fraud.manifest.ref]
    with session_scope(session_factory(engine)) as session:
        for ref in refs:
            governance.bootstrap_champion(session, root, ref, actor, "test")
    engine.dispose()
    return refs


def test_the_store_champions_score_the_book(env: Path, book_dir: Path, tmp_path: Path) -> None:
    summary = tmp_path / "s.json"
    empty = runner.invoke(app, [*BASE, "--data", str(book_dir), "--models", "store"])
    assert empty.exit_code == 2
    assert "no credit or fraud champion" in empty.output
    credit, fraud = _champions(env, book_dir)
    args = [*BASE, "--data", str(book_dir), "--limit", "300", "--models", "store",
            "--json", str(summary)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    notes = json.loads(summary.read_text())["notes"]
    assert f"credit {credit}" in " ".join(notes)
    assert f"fraud {fraud}" in " ".join(notes)
    assert not any("stand-in" in note for note in notes)
    assert "LTV on the valuation's P50" in notes


def test_the_ltv_basis_defaults_to_the_live_setting(
    env: Path, book_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "s.json"
    args = [*BASE, "--data", str(book_dir), "--limit", "50", "--json", str(summary)]
    monkeypatch.setenv("AUTOLEASE_VEHICLE__LTV_BASIS", "p10")
    get_settings.cache_clear()
    assert runner.invoke(app, args).exit_code == 0
    assert "LTV on the valuation's P10" in json.loads(summary.read_text())["notes"]
    monkeypatch.delenv("AUTOLEASE_VEHICLE__LTV_BASIS")
    get_settings.cache_clear()
    assert runner.invoke(app, args).exit_code == 0
    assert "LTV on the valuation's P50" in json.loads(summary.read_text())["notes"]
    bad = runner.invoke(app, [*args, "--models", "model"])
    assert bad.exit_code == 2
    assert "book or store" in bad.output
