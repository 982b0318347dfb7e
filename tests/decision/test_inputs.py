from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
import pytest

from autolease.decision.inputs import DERIVED, FIELDS, build_policy_input, coerce, is_missing
from autolease.origination.pipeline import Reason, Severity
from tests.decision.conftest import CLEAN_FEATURES, make_facts


def reason(code: str, severity: Severity) -> Reason:
    return Reason(code, "vehicle", severity, code, code)


class TestBuildPolicyInput:
    def test_every_field_is_present_even_with_no_features(self) -> None:
        built = build_policy_input(make_facts(), {}, [])
        assert set(built.values) == {s.name for s in FIELDS} | set(DERIVED)
        assert built.values["credit_pd"] is None
        assert built.values["term_months"] == 36
        assert built.values["applicant_kind"] == "individual"
        assert built.unusable == ()

    def test_features_are_mapped_and_typed(self) -> None:
        built = build_policy_input(make_facts(), CLEAN_FEATURES, [])
        assert built.values["applicant_age"] == 35
        assert built.values["ltv"] == 0.45
        assert built.values["court_dishonest"] is False

    def test_the_first_present_path_wins(self) -> None:
        features = {"invoice_to_value": 1.3, "asking_to_value": 1.1}
        assert build_policy_input(make_facts(), features, []).values["price_to_value"] == 1.3
        only_asking = {"invoice_to_value": None, "asking_to_value": 1.1}
        assert build_policy_input(make_facts(), only_asking, []).values["price_to_value"] == 1.1

    def test_unusable_values_become_null_and_are_named(self) -> None:
        features = {"applicant_age": "thirty", "credit_pd": float("nan"), "court_enforced": 1}
        built = build_policy_input(make_facts(), features, [])
        assert built.values["applicant_age"] is None
        assert built.values["credit_pd"] is None
        assert built.values["court_enforced"] is None
        assert built.unusable == ("applicant_age", "court_enforced")

    def test_upstream_worst_and_codes(self) -> None:
        reasons = [reason("A", Severity.INFO), reason("B", Severity.REFER)]
        built = build_policy_input(make_facts(), {}, reasons)
        assert built.values["upstream_worst"] == "refer"
        assert built.values["upstream_codes"] == ["A", "B"]
        worst = build_policy_input(make_facts(), {}, [*reasons, reason("C", Severity.DECLINE)])
        assert worst.values["upstream_worst"] == "decline"

    def test_upstream_refer_codes_are_the_refers_once_each_in_order(self) -> None:
        reasons = [
            reason("X", Severity.REFER),
            reason("I", Severity.INFO),
            reason("D", Severity.DECLINE),
            reason("Y", Severity.REFER),
            reason("X", Severity.REFER),
        ]
        built = build_policy_input(make_facts(), {}, reasons)
        assert built.values["upstream_refer_codes"] == ["X", "Y"]
        assert build_policy_input(make_facts(), {}, []).values["upstream_refer_codes"] == []

    def test_history_flags_come_from_the_vehicle_stage_reasons(self) -> None:
        built = build_policy_input(make_facts(), {}, [reason("FLOOD_DAMAGE", Severity.DECLINE)])
        assert built.values["history_flood"] is True
        assert built.values["history_fire"] is False


class Colour(StrEnum):
    RED = "red"


class TestCoerce:
    @pytest.mark.parametrize(
        ("value", "kind", "expected"),
        [
            (3, "int", 3),
            (3.0, "int", 3),
            (3.5, "int", 3.5),
            (3.0, "number", 3.0),
            (Decimal("0.55"), "number", 0.55),
            (Decimal("2"), "number", 2),
            (np.int16(7), "int", 7),
            (np.float64(0.25), "number", 0.25),
            (np.bool_(True), "bool", True),
            (True, "bool", True),
            (True, "int", None),
            (1, "bool", None),
            ("x", "int", None),
            ("A", "str", "A"),
            (Colour.RED, "str", "red"),
            (5, "str", None),
            (float("inf"), "number", None),
            (float("nan"), "int", None),
            (pd.NA, "number", None),
            (None, "bool", None),
        ],
    )
    def test_values(self, value: Any, kind: Any, expected: Any) -> None:
        result = coerce(value, kind)
        assert result == expected
        assert type(result) is type(expected)


class TestIsMissing:
    @pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT, Decimal("NaN")])
    def test_missing(self, value: Any) -> None:
        assert is_missing(value)

    @pytest.mark.parametrize("value", [0, 0.0, "", False, Decimal("0")])
    def test_present(self, value: Any) -> None:
        assert not is_missing(value)
