"""Challengers in shadow: scored beside the champion, stored, never used; the report."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.credit import service as credit_service
from autolease.credit.stage import CreditStage
from autolease.credit.training import TrainingResult
from autolease.governance.service import models as service
from autolease.governance.service.shadow import shadow_report
from autolease.origination.models import Decision
from autolease.runtime import Runtime
from tests.credit.test_stage import context
from tests.factories import make_body, setup_tenants, submit
from tests.governance.conftest import World, register


def test_the_stage_scores_a_challenger_without_changing_its_output(
    served_models: tuple[TrainingResult, ...],
) -> None:
    champion = served_models[0].model.with_ref("credit_gbm", "0001")
    challenger = served_models[1].model.with_ref("credit_gbm", "0002")
    alone, shadowed = context(), context()
    CreditStage(champion).run(alone)
    CreditStage(champion, challenger=challenger).run(shadowed)
    shadow = shadowed.features.pop("credit_challenger")
    assert shadowed.features == alone.features
    assert [r.code for r in shadowed.reasons] == [r.code for r in alone.reasons]
    assert shadowed.model_versions == {"credit": "credit_gbm@0001"}
    assert shadow["model"] == "credit_gbm@0002"
    assert 0 < shadow["pd"] < 1
    assert shadow["grade"] in "ABCDE"
    assert shadow["pd"] != alone.features["credit_pd"]


def test_a_challenger_scores_every_decision_in_shadow_and_the_report_compares(
    world: World, client: TestClient, served_models: tuple[TrainingResult, ...]
) -> None:
    runtime: Runtime = world.runtime
    tenant, _ = setup_tenants(runtime)
    first, second = (register(world.root, m) for m in served_models)
    world.bootstrap(first)
    a1, a2 = world.actor("a1"), world.actor("a2")
    with runtime.sessions.begin() as session:
        change = service.propose(session, world.root, second, "challenger", a1)
        service.approve(session, world.root, change.id, a2)
    serving = runtime.reload_models()
    assert (serving.credit, serving.credit_challenger) == (first, second)
    for seed in range(1, 6):
        assert submit(client, tenant, make_body(seed)).status_code == 201
    with runtime.sessions() as session:
        rows = session.scalars(select(Decision)).all()
        reports = shadow_report(session, world.root, "credit_gbm", limit=100)
    assert len(rows) == 5
    assert {r.model_versions["credit"] for r in rows} == {first}
    assert {r.features["credit_challenger"]["model"] for r in rows} == {second}
    assert len(reports) == 1
    report = reports[0]
    assert (report.champion, report.challenger, report.report.n) == (first, second, 5)
    assert set(report.report.champion_pd) == {"p10", "p25", "p50", "p75", "p90", "mean"}
    champion_model, _ = credit_service.resolve_model(world.root, first)
    assert [s.cutoff for s in report.report.swaps] == list(champion_model.grades.pd_cutoffs)
    assert sum(sum(row.values()) for row in report.report.grades.values()) == 5


def test_no_challenger_no_shadow(
    world: World, served_models: tuple[TrainingResult, ...], tmp_path: Path
) -> None:
    world.bootstrap(register(world.root, served_models[0]))
    assert world.runtime.reload_models().credit_challenger is None
    with world.runtime.sessions() as session:
        assert shadow_report(session, world.root, "credit_gbm", limit=10) == []
