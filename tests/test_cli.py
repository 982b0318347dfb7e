"""The CLI as a user runs it: env-configured settings, a fresh SQLite file."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
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


class TestDemo:
    def test_demo_submits_over_http_and_summarises(self, env: Path) -> None:
        result = CliRunner().invoke(
            app, ["demo", "-n", "30", "--no-serve", "--port", "0", "--no-train"]
        )
        assert result.exit_code == 0, result.output
        output = " ".join(result.output.split())
        assert "30 applications submitted over HTTP" in output
        assert "refer" in output
        assert "origination/approve" in output
        assert "VALUATION_UNAVAILABLE" in output
        engine = create_engine(f"sqlite:///{env}")
        with engine.connect() as conn:
            stored = conn.execute(text("select count(*) from application")).scalar_one()
            sps = conn.execute(text("select count(*) from service_provider")).scalar_one()
            ring_runs = conn.execute(text("select status, applications from fraud_ring_run")).all()
        engine.dispose()
        assert 20 <= stored <= 30
        assert sps == 4
        # The console's rings page has a finished run to show from the start.
        assert ring_runs == [("done", stored)]
        assert "ring run" in output
        assert (env.parent / "keys.json").stat().st_mode & 0o777 == 0o600

    @pytest.mark.slow
    def test_demo_trains_on_its_book_and_decides_with_every_stage(
        self, env: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        args = ["demo", "-n", "40", "--no-serve", "--port", "0", "--book-size", "1500"]
        with caplog.at_level(logging.WARNING):
            result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        # The store is migrated before the runtime looks for its model registry.
        assert not [r for r in caplog.records if "no model registry" in r.getMessage()]
        output = " ".join(result.output.split())
        for model in ("valuation@", "credit_gbm@0001", "fraud_gbm@0001"):
            assert model in output
        assert "40 applications submitted over HTTP" in output
        engine = create_engine(f"sqlite:///{env}")
        with engine.connect() as conn:
            rows = conn.execute(text("select model_versions, features from decision")).all()
            history = conn.execute(text("select count(*) from application_link")).scalar_one()
            approved = conn.execute(
                text("select count(*) from decision where outcome = 'approve'")
            ).scalar_one()
            contracts = conn.execute(
                text("select status, start_on is not null from contract")
            ).all()
            champions = conn.execute(
                text("select name, stage_by from model_version where stage = 'champion'")
            ).all()
        engine.dispose()
        assert sorted(champions) == [
            ("credit_gbm", "system:demo"),
            ("fraud_gbm", "system:demo"),
            ("valuation", "system:demo"),
        ]
        assert 30 <= len(rows) <= 40
        # Every approval with an offer became a contract, paid out; the book's report exists.
        assert 0 < len(contracts) <= approved
        assert set(contracts) == {("active", 1)}
        assert f"contracts {len(contracts)} booked" in output
        report = (env.parent / "var" / "portfolio.html").read_text(encoding="utf-8")
        assert "<svg" in report
        assert "Vintage curves" in report
        assert history > 1400 * 5
        for versions, features in rows:
            assert {"valuation", "credit", "fraud"} <= set(json.loads(versions))
            assert json.loads(features)["bureau_status"] == "ok"
        again = CliRunner().invoke(app, args)
        assert again.exit_code == 0, again.output
        assert "training" not in again.output

    def test_audit_verify_passes_then_detects_tampering(self, env: Path) -> None:
        runner = CliRunner()
        demo = ["demo", "-n", "5", "--no-serve", "--port", "0", "--no-train"]
        assert runner.invoke(app, demo).exit_code == 0
        ok = runner.invoke(app, ["audit", "verify"])
        assert ok.exit_code == 0, ok.output
        assert '"intact": true' in ok.output
        engine = create_engine(f"sqlite:///{env}")
        with engine.begin() as conn:
            conn.execute(text("update audit_event set actor = 'x' where seq = 2"))
        engine.dispose()
        bad = runner.invoke(app, ["audit", "verify"])
        assert bad.exit_code == 1
        assert '"first_problem_seq": 2' in bad.output
        assert '"changed"' in bad.output


class TestMigrate:
    def test_migrate_then_seed_is_idempotent(self, env: Path) -> None:
        runner = CliRunner()
        assert runner.invoke(app, ["migrate"]).exit_code == 0
        first = runner.invoke(app, ["seed"])
        assert "SPs created: 4, users created: 4" in " ".join(first.output.split())
        second = runner.invoke(app, ["seed"])
        assert "SPs created: 0, users created: 0" in " ".join(second.output.split())
