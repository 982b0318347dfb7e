from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from autolease.decision.cases import run_cases
from autolease.decision.engine import PolicyEngine
from autolease.decision.exceptions import PolicyInvalid, PolicyNotFound
from autolease.decision.files import load_all, load_one, packaged_root, policy_root
from tests.decision.conftest import graph

CASES = """
[policy]
version = "7"
[defaults]
score = 1
[[case]]
name = "low"
outcome = "approve"
reasons = []
"""


def write_policy(root: Path, key: str, cases: str | None = CASES) -> None:
    path = root / f"{key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(graph([("score > 5", "HIGH", "refer")]), indent=2))
    if cases is not None:
        (root / f"{key}.cases.toml").write_text(cases)


class TestPackagedPolicies:
    def test_every_packaged_policy_passes_its_cases(self, engine: PolicyEngine) -> None:
        files = load_all(packaged_root())
        assert {f.document.key for f in files} >= {
            "origination/approve",
            "origination/approve-conservative",
        }
        failed = [
            (f.document.key, r.case, r.problem)
            for f in files
            for r in run_cases(engine, f.document, f.cases)
            if not r.passed
        ]
        assert failed == []

    def test_the_default_policy_has_a_case_for_every_reason_code(self) -> None:
        policy = load_one(packaged_root(), "origination/approve")
        rules = policy.document.graph()["nodes"][1]["content"]["rules"]
        codes = {json.loads(rule["code"]) for rule in rules}
        expected = set().union(*(c.reasons or frozenset() for c in policy.cases.cases))
        expected |= set().union(*(c.reasons_include for c in policy.cases.cases))
        assert codes - expected == set()


class TestLoadFromDirectory:
    def test_keys_follow_the_directory_layout(self, tmp_path: Path) -> None:
        write_policy(tmp_path, "fraud/hard_rules")
        write_policy(tmp_path, "top")
        files = load_all(tmp_path)
        assert [f.document.key for f in files] == ["fraud/hard_rules", "top"]
        assert files[0].document.version == "7"
        assert files[0].source == "fraud/hard_rules.json"

    def test_a_policy_without_cases_is_refused(self, tmp_path: Path) -> None:
        write_policy(tmp_path, "a/b", cases=None)
        with pytest.raises(PolicyInvalid, match="no case file"):
            load_all(tmp_path)

    def test_load_one_of_an_unknown_key(self, tmp_path: Path) -> None:
        with pytest.raises(PolicyNotFound):
            load_one(tmp_path, "a/missing")

    def test_a_copy_of_the_packaged_directory_loads_the_same_hashes(self, tmp_path: Path) -> None:
        shutil.copytree(Path(str(packaged_root())), tmp_path / "p")
        copied = {f.document.key: f.document.content_hash for f in load_all(tmp_path / "p")}
        packaged = {f.document.key: f.document.content_hash for f in load_all(packaged_root())}
        assert copied == packaged


class TestPolicyRoot:
    def test_a_missing_directory_is_a_clear_error(self, tmp_path: Path) -> None:
        with pytest.raises(PolicyInvalid, match="does not exist"):
            policy_root(tmp_path / "nope")

    def test_none_is_the_packaged_copy(self) -> None:
        assert policy_root(None) == packaged_root()
