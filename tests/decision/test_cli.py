"""The policy and decision commands, as mounted by the root CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from autolease.config import get_settings
from autolease.decision.cli import decision_app, policy_app
from autolease.decision.files import packaged_root

root = typer.Typer()
root.add_typer(policy_app, name="policy")
root.add_typer(decision_app, name="decision")
runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def migrated(env: Path) -> None:
    from autolease import store
    from autolease.db import create_engine_for

    engine = create_engine_for(get_settings().db)
    store.upgrade(engine)
    engine.dispose()


class TestPolicyTest:
    def test_the_packaged_policies_pass(self, env: Path) -> None:
        result = runner.invoke(root, ["policy", "test"])
        assert result.exit_code == 0, result.output
        assert "origination/approve" in result.output
        assert "FAIL" not in result.output

    def test_a_failing_case_exits_1_and_names_it(self, env: Path) -> None:
        policies = env / "policies"
        shutil.copytree(Path(str(packaged_root())), policies)
        cases = policies / "origination" / "approve.cases.toml"
        text = cases.read_text(encoding="utf-8")
        cases.write_text(text.replace('outcome = "decline"', 'outcome = "approve"', 1), "utf-8")
        result = runner.invoke(
            root, ["policy", "test", "origination/approve", "--dir", str(policies)]
        )
        assert result.exit_code == 1
        assert "FAIL origination/approve@" in result.output

    def test_an_unknown_key_exits_2(self, env: Path) -> None:
        assert runner.invoke(root, ["policy", "test", "no/such"]).exit_code == 2

    def test_a_broken_file_exits_2_with_the_reason(self, env: Path) -> None:
        (env / "p").mkdir()
        (env / "p" / "x.json").write_text("{", encoding="utf-8")
        (env / "p" / "x.cases.toml").write_text('[policy]\nversion="1"\n', encoding="utf-8")
        result = runner.invoke(root, ["policy", "test", "--dir", str(env / "p")])
        assert result.exit_code == 2
        assert "PolicyInvalid" in result.output


class TestShowAndList:
    def test_show_prints_the_rules(self, env: Path) -> None:
        result = runner.invoke(root, ["policy", "show", "origination/approve"])
        assert result.exit_code == 0, result.output
        assert "APPLICANT_AGE_BELOW_MIN" in result.output

    def test_list_reads_the_store(self, env: Path) -> None:
        migrated(env)
        result = runner.invoke(root, ["policy", "list"])
        assert result.exit_code == 0, result.output
        assert "origination/approve" in result.output


class TestActivateAndReplay:
    def test_proposing_needs_an_active_risk_analyst(self, env: Path) -> None:
        migrated(env)
        args = ["policy", "propose", "origination/approve", "2026.11.1", "--by", "ghost"]
        result = runner.invoke(root, args)
        assert result.exit_code == 2
        assert "not an active risk analyst" in result.output

    def test_one_analyst_proposes_another_approves(self, env: Path) -> None:
        migrated(env)
        from autolease.auth.principal import Role
        from autolease.cli_support import runtime_scope, transaction
        from tests.factories import make_user

        with runtime_scope() as runtime, transaction(runtime) as session:
            make_user(session, runtime, "ana", Role.RISK_ANALYST)
            make_user(session, runtime, "bo", Role.RISK_ANALYST)
        ref = "origination/approve@2026.11.1"
        proposed = runner.invoke(root, ["policy", "propose", *ref.split("@"), "--by", "ana"])
        assert proposed.exit_code == 0, proposed.output
        assert json.loads(proposed.output)["status"] == "pending"
        own = runner.invoke(root, ["policy", "approve", ref, "--by", "ana"])
        assert own.exit_code == 2
        assert "SelfApprovalRefused" in own.output
        approved = runner.invoke(root, ["policy", "approve", ref, "--by", "bo"])
        assert approved.exit_code == 0, approved.output
        assert json.loads(approved.output)["activated_by"] == "user:bo"
        again = runner.invoke(root, ["policy", "approve", ref, "--by", "bo"])
        assert again.exit_code == 2
        assert "no pending change" in again.output

    def test_replaying_an_unknown_decision_exits_2(self, env: Path) -> None:
        migrated(env)
        result = runner.invoke(root, ["decision", "replay", "dec_nope"])
        assert result.exit_code == 2
        assert "DecisionNotFound" in result.output
