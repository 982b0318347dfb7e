from __future__ import annotations

import pytest

from autolease.decision.cases import parse_cases, run_case, run_cases
from autolease.decision.engine import PolicyEngine
from autolease.decision.exceptions import PolicyInvalid
from tests.decision.conftest import document

GOOD = """
[policy]
version = "1"
description = "small"

[defaults]
score = 1

[[case]]
name = "low"
outcome = "approve"
reasons = []

[[case]]
name = "high"
input = { score = 9 }
outcome = "refer"
reasons = ["HIGH"]

[[case]]
name = "null score"
unset = ["score"]
outcome = "approve"
reasons_include = []
"""


class TestParseCases:
    def test_defaults_overrides_and_unset_are_merged(self) -> None:
        cases = parse_cases(GOOD, source="x")
        assert cases.version == "1"
        assert [c.name for c in cases.cases] == ["low", "high", "null score"]
        assert cases.cases[1].input == {"score": 9}
        assert cases.cases[2].input == {"score": None}
        assert cases.cases[2].reasons is None

    @pytest.mark.parametrize(
        ("text", "field"),
        [
            ("not toml [", "toml"),
            ('[defaults]\n[[case]]\nname="a"\noutcome="approve"', "policy.version"),
            ('[policy]\nversion="1"\n[defaults]\n', "case"),
            ('[policy]\nversion="1"\n[defaults]\n[[case]]\noutcome="approve"', "case.name"),
            ('[policy]\nversion="1"\n[defaults]\n[[case]]\nname="a"\noutcome="ok"', "case.outcome"),
            (
                '[policy]\nversion="1"\n[defaults]\n[[case]]\nname="a"\noutcome="approve"\n'
                "reasons=[1]",
                "case.reasons",
            ),
        ],
    )
    def test_malformed_files_name_the_field(self, text: str, field: str) -> None:
        with pytest.raises(PolicyInvalid) as err:
            parse_cases(text, source="x.cases.toml")
        assert err.value.errors[0].field == field

    def test_duplicate_case_names_are_refused(self) -> None:
        text = GOOD + '\n[[case]]\nname = "low"\noutcome = "approve"\n'
        with pytest.raises(PolicyInvalid, match="unique"):
            parse_cases(text, source="x")


class TestRunCase:
    def test_all_pass_on_the_matching_policy(self, engine: PolicyEngine) -> None:
        results = run_cases(engine, document(), parse_cases(GOOD, source="x"))
        assert [r.passed for r in results] == [True, True, True]

    def test_a_wrong_expectation_fails_with_the_difference(self, engine: PolicyEngine) -> None:
        case = parse_cases(GOOD, source="x").cases[1]
        stricter = document(rules=[("score != null and score > 5", "HIGH", "decline")])
        result = run_case(engine, stricter, case)
        assert not result.passed
        assert result.problem == "outcome decline, expected refer"

    def test_extra_and_missing_codes_are_reported(self, engine: PolicyEngine) -> None:
        case = parse_cases(GOOD, source="x").cases[1]
        other = document(rules=[("score > 5", "OTHER", "refer")])
        result = run_case(engine, other, case)
        assert "missing ['HIGH'] extra ['OTHER']" in result.problem

    def test_a_policy_error_is_a_failed_case(self, engine: PolicyEngine) -> None:
        case = parse_cases(GOOD, source="x").cases[0]
        result = run_case(engine, document(outcome='"x" +'), case)
        assert not result.passed
        assert result.outcome is None
