from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from autolease.fraud.model import FraudModel
from autolease.fraud.stage import FraudStage, rule_codes
from autolease.kit.clock import business_date
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import DecisionContext, Severity
from autolease.origination.schemas import ApplicationCreate
from tests.factories import make_body

AT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
QUIET: dict[str, Any] = {"velocity_id_number_apps_90d": 0, "graph_hop1_apps": 0}


def ctx(**features: Any) -> DecisionContext:
    facts = build_facts(ApplicationCreate.model_validate(make_body(1)), sp_grade="B")
    c = DecisionContext(facts, AT, business_date(AT))
    c.features.update({**QUIET, **features})
    return c


def codes(c: DecisionContext) -> dict[str, Severity]:
    return {r.code: r.severity for r in c.reasons}


class TestRuleCodes:
    def test_nothing_for_a_quiet_application(self) -> None:
        assert rule_codes(QUIET) == []

    def test_device_across_many_identities_at_several_sps(self) -> None:
        assert rule_codes(
            {"velocity_device_other_ids_90d": 5, "velocity_device_other_sps_90d": 2}
        ) == ["DEVICE_MANY_IDENTITIES"]
        # an SP's office device: many identities, but one SP
        assert rule_codes({"velocity_device_other_ids_90d": 9,
                           "velocity_device_other_sps_90d": 0}) == []  # fmt: skip

    def test_automation_wins_over_emulator(self) -> None:
        found = rule_codes({"device_automation": True, "device_emulator": True})
        assert found == ["DEVICE_AUTOMATION"]


class TestFraudStageWithoutModel:
    def test_refers_and_still_runs_the_rules(self) -> None:
        c = ctx(device_emulator=True)
        note = FraudStage(None).run(c)
        assert codes(c) == {"DEVICE_EMULATOR": Severity.REFER,
                            "FRAUD_MODEL_UNAVAILABLE": Severity.REFER}  # fmt: skip
        assert c.features["fraud_score"] is None
        assert c.features["fraud_flags"] == ["DEVICE_EMULATOR"]
        assert "no fraud model" in note

    def test_missing_prefetch_data_is_noted(self) -> None:
        c = ctx()
        c.features.clear()
        FraudStage(None).run(c)
        assert codes(c)["FRAUD_CHECKS_INCOMPLETE"] == Severity.INFO


class TestFraudStageGraphEvidence:
    def test_a_confirmed_fraud_neighbour_declines(self) -> None:
        c = ctx(graph_known_bad=1, graph_known_bad_hop1=1)
        FraudStage(None).run(c)
        assert codes(c)["FRAUD_CONFIRMED_LINK"] == Severity.DECLINE
        assert c.features["fraud_ring_flag"] is True

    def test_confirmed_fraud_two_hops_away_refers(self) -> None:
        c = ctx(graph_known_bad=1, graph_known_bad_hop1=0)
        FraudStage(None).run(c)
        assert codes(c)["FRAUD_NEAR_CONFIRMED"] == Severity.REFER
        assert "FRAUD_CONFIRMED_LINK" not in codes(c)

    def test_a_suspected_ring(self) -> None:
        c = ctx(graph_other_ids=3, graph_distinct_sps=2, graph_shared_kinds=2)
        FraudStage(None).run(c)
        assert codes(c)["FRAUD_RING_SUSPECTED"] == Severity.REFER
        assert c.features["fraud_ring_flag"] is True

    def test_one_shared_kind_is_not_a_ring(self) -> None:
        c = ctx(graph_other_ids=3, graph_distinct_sps=2, graph_shared_kinds=1)
        FraudStage(None).run(c)
        assert "FRAUD_RING_SUSPECTED" not in codes(c)
        assert c.features["fraud_ring_flag"] is False


class TestFraudStageWithModel:
    def test_scores_and_records_the_model(self, book_model: FraudModel) -> None:
        c = ctx()
        FraudStage(book_model).run(c)
        assert 0 <= c.features["fraud_score"] <= 1
        assert c.model_versions["fraud"] == book_model.ref
        assert "FRAUD_MODEL_UNAVAILABLE" not in codes(c)

    def test_a_score_above_the_threshold_refers_with_factors(self, book_model: FraudModel) -> None:
        c = ctx(thin_file=True, phone_tenure_months=1, device_emulator=True)
        FraudStage(book_model, refer_threshold=1e-9).run(c)
        found = codes(c)
        assert found["FRAUD_SCORE_HIGH"] == Severity.REFER
        factors = [code for code in found if code.startswith("FRAUD_FACTOR_")]
        assert factors
        assert len(c.features["fraud_factors"]) == len(factors)

    def test_a_score_below_the_threshold_adds_no_score_reason(self, book_model: FraudModel) -> None:
        c = ctx()
        FraudStage(book_model, refer_threshold=0.999999).run(c)
        assert "FRAUD_SCORE_HIGH" not in codes(c)
        assert c.features["fraud_factors"] == []
