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
    def test_show_prints_the_rules_of_a_file_under_dir(self, env: Path) -> None:
        directory = str(packaged_root())
        result = runner.invoke(root, ["policy", "show", "origination/approve", "--dir", directory])
        assert result.exit_code == 0, result.output
        assert "APPLICANT_AGE_BELOW_MIN" in result.output
        assert "origination/approve@2026.12.1" in result.output

    def test_show_without_a_store_says_so(self, env: Path) -> None:
        result = runner.invoke(root, ["policy", "show", "origination/approve"])
        assert result.exit_code == 2
        assert "autolease migrate" in " ".join(result.output.split())

    def test_list_reads_the_store(self, env: Path) -> None:
        migrated(env)
        result = runner.invoke(root, ["policy", "list"])
        assert result.exit_code == 0, result.output
        assert "origination/approve" in result.output


class TestActivateAndReplay:
    def test_proposing_needs_an_active_risk_analyst(self, env: Path) -> None:
        migrated(env)
        args = ["policy", "propose", "origination/approve", "2026.12.1", "--by", "ghost"]
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
        ref = "origination/approve@2026.12.1"
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
        proposed = runner.invoke(root, ["policy", "propose", *ref.split("@"), "--by", "bo"])
        assert proposed.exit_code == 0, proposed.output
        rejected = runner.invoke(root, ["policy", "reject", ref, "--by", "ana"])
        assert rejected.exit_code == 0, rejected.output
        assert json.loads(rejected.output)["status"] == "rejected"
        shown = runner.invoke(root, ["policy", "show", "origination/approve"])
        assert shown.exit_code == 0, shown.output
        assert "origination/approve@2026.12.1" in shown.output
        assert "by user:bo" in " ".join(shown.output.split())

    def test_replaying_an_unknown_decision_exits_2(self, env: Path) -> None:
        migrated(env)
        result = runner.invoke(root, ["decision", "replay", "dec_nope"])
        assert result.exit_code == 2
        assert "DecisionNotFound" in result.output


class TestAuthoring:
    def test_show_names_the_version_in_force(self, env: Path) -> None:
        migrated(env)
        result = runner.invoke(root, ["policy", "show", "origination/approve"])
        assert result.exit_code == 0, result.output
        text = " ".join(result.output.split())
        assert "origination/approve@2026.12.1" in text
        assert "in force: the file (no activation)" in text
        assert "APPLICANT_AGE_BELOW_MIN" in text

    def test_new_version_then_diff_lists_rules_with_thresholds(self, env: Path) -> None:
        migrated(env)
        work = env / "work"
        args = ["policy", "new-version", "origination/approve", "--from", "2026.12.1"]
        written = runner.invoke(root, [*args, "--out", str(work)])
        assert written.exit_code == 0, written.output
        assert json.loads(written.output)["ref"] == "origination/approve@2026.12.2"
        graph_path = work / "origination" / "approve.json"
        cases = (work / "origination" / "approve.cases.toml").read_text(encoding="utf-8")
        assert 'version = "2026.12.2"' in cases
        graph = json.loads(graph_path.read_text(encoding="utf-8"))
        table = next(n for n in graph["nodes"] if n["type"] == "decisionTableNode")
        rules = table["content"]["rules"]
        by_id = {r["_id"]: r for r in rules}
        by_id["r03"]["condition"] = "applicant_age != null and applicant_age < 20"
        table["content"]["rules"] = [r for r in rules if r["_id"] != "r01"]
        table["content"]["rules"].append(dict(by_id["r02"], _id="r99", code='"NEW_RULE"'))
        graph_path.write_text(json.dumps(graph), encoding="utf-8")
        shown = runner.invoke(root, ["policy", "show", str(graph_path)])
        assert "origination/approve@2026.12.2" in shown.output
        result = runner.invoke(
            root, ["policy", "diff", "origination/approve@2026.12.1", str(graph_path)]
        )
        assert result.exit_code == 0, result.output
        text = " ".join(result.output.split())
        assert "origination/approve@2026.12.1 → origination/approve@2026.12.2" in text
        assert "3 rule(s) differ" in text
        for expected in ("removed r01", "added r99 NEW_RULE", "changed r03"):
            assert expected in text
        assert "applicant_age < 20" in text
        again = runner.invoke(root, [*args, "--out", str(work)])
        assert again.exit_code == 2
        assert "exists" in again.output

    def test_an_unknown_version_exits_2(self, env: Path) -> None:
        migrated(env)
        result = runner.invoke(root, ["policy", "show", "origination/approve@9.9"])
        assert result.exit_code == 2
        assert "no stored version origination/approve@9.9" in " ".join(result.output.split())
