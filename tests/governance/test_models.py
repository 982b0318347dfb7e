"""Model stages in the store: what serves, maker-checker, rollback, and the gate."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.audit.models import AuditEvent
from autolease.credit import service as credit_service
from autolease.credit.training import TrainingResult, TrainOptions
from autolease.governance import repository
from autolease.governance.exceptions import (
    ModelIncompatible,
    NotAnAnalyst,
    SelfApprovalRefused,
    StageChangeInvalid,
)
from autolease.governance.service import models as service
from autolease.governance.service.checks import analyst_actor
from autolease.origination.models import Decision
from autolease.runtime import Runtime
from tests.conftest import START
from tests.credit.conftest import SMALL_GBM
from tests.factories import make_body, setup_tenants, submit
from tests.governance.conftest import World, register, write_hmeq


def credit_model_of(runtime: Runtime, response: Any) -> str | None:
    """The credit model version the decision of a submitted application records."""
    assert response.status_code == 201, response.text
    with runtime.sessions() as session:
        query = select(Decision).where(Decision.application_id == response.json()["id"])
        row = session.scalars(query).one()
        return row.model_versions.get("credit")


class TestServing:
    def test_no_champion_serves_nothing_even_with_models_on_disk(
        self, world: World, served_models: tuple[TrainingResult, ...]
    ) -> None:
        register(world.root, served_models[0])
        assert world.runtime.reload_models().credit is None

    def test_training_does_not_change_serving(
        self, world: World, served_models: tuple[TrainingResult, ...]
    ) -> None:
        first = register(world.root, served_models[0])
        world.bootstrap(first)
        assert world.runtime.reload_models().credit == first
        second = register(world.root, served_models[1])
        with world.runtime.sessions.begin() as session:
            added = service.sync_registry(session, world.root, world.system)
        assert [r.ref for r in added] == [second]
        assert world.stage_of(second) == "candidate"
        assert world.runtime.reload_models().credit == first

    def test_an_outside_csv_lands_in_its_own_namespace(self, world: World) -> None:
        reg, _ = credit_service.train_csv(
            write_hmeq(world.root.parent / "hmeq.csv"),
            "BAD",
            TrainOptions(kind="gbm", gbm=SMALL_GBM),
            bad_value=None,
            out=world.root,
            name=None,
            version=None,
            created_at=START,
        )
        assert reg.ref == "external/credit_gbm@0001"
        with world.runtime.sessions.begin() as session:
            added = service.sync_registry(session, world.root, world.system)
        assert [(r.ref, r.kind, r.stage) for r in added] == [
            ("external/credit_gbm@0001", "credit", "candidate")
        ]
        assert world.runtime.reload_models().credit is None


class TestMakerChecker:
    def test_a_self_approval_is_refused(
        self, world: World, served_models: tuple[TrainingResult, ...]
    ) -> None:
        ref = register(world.root, served_models[0])
        a1 = world.actor("a1")
        with world.runtime.sessions.begin() as session:
            change = service.propose(session, world.root, ref, "champion", a1)
        with world.runtime.sessions.begin() as session, pytest.raises(SelfApprovalRefused):
            service.approve(session, world.root, change.id, a1)
        assert world.stage_of(ref) == "candidate"
        with world.runtime.sessions() as session:
            assert repository.change(session, change.id).status == "pending"  # type: ignore[union-attr]

    def test_only_active_risk_analysts_act(self, world: World) -> None:
        with world.runtime.sessions() as session:
            for name in ("rev", "nobody"):
                with pytest.raises(NotAnAnalyst):
                    analyst_actor(session, name, key=b"k", at=START)

    def test_approval_promotes_retires_and_audits(
        self, world: World, served_models: tuple[TrainingResult, ...]
    ) -> None:
        first = register(world.root, served_models[0])
        second = register(world.root, served_models[1])
        world.bootstrap(first)
        world.promote(second)
        assert (world.stage_of(first), world.stage_of(second)) == ("retired", "champion")
        with world.runtime.sessions() as session:
            events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        steps = [(e.action, e.actor) for e in events if e.entity_type == "model"]
        assert ("model.bootstrapped", "system:test") in steps
        assert ("model.stage_proposed", "user:a1") in steps
        assert ("model.stage_approved", "user:a2") in steps

    def test_a_decided_change_cannot_be_approved_again(
        self, world: World, served_models: tuple[TrainingResult, ...]
    ) -> None:
        ref = register(world.root, served_models[0])
        a1, a2 = world.actor("a1"), world.actor("a2")
        with world.runtime.sessions.begin() as session:
            change = service.propose(session, world.root, ref, "challenger", a1)
            service.approve(session, world.root, change.id, a2)
        assert world.stage_of(ref) == "challenger"
        with world.runtime.sessions.begin() as session, pytest.raises(StageChangeInvalid):
            service.approve(session, world.root, change.id, a2)

    def test_changed_files_are_not_approved(
        self, world: World, served_models: tuple[TrainingResult, ...]
    ) -> None:
        ref = register(world.root, served_models[0])
        a1, a2 = world.actor("a1"), world.actor("a2")
        with world.runtime.sessions.begin() as session:
            change = service.propose(session, world.root, ref, "champion", a1)
        manifest = world.root / "credit_gbm" / "0001" / "manifest.json"
        manifest.write_text(manifest.read_text().replace('"train"', '"train" ', 1))
        with world.runtime.sessions.begin() as session, pytest.raises(StageChangeInvalid):
            service.approve(session, world.root, change.id, a2)


class TestRollback:
    def test_rollback_restores_the_previous_champion_and_decisions_record_it(
        self, world: World, client: TestClient, served_models: tuple[TrainingResult, ...]
    ) -> None:
        tenant, _ = setup_tenants(world.runtime)
        first = register(world.root, served_models[0])
        second = register(world.root, served_models[1])
        world.bootstrap(first)
        world.promote(second)
        world.runtime.reload_models()
        assert credit_model_of(world.runtime, submit(client, tenant, make_body(1))) == second
        a1 = world.actor("a1")
        with world.runtime.sessions.begin() as session:
            restored = service.rollback(session, world.root, "credit_gbm", a1)
        assert restored.ref == first
        assert (world.stage_of(first), world.stage_of(second)) == ("champion", "retired")
        assert world.runtime.reload_models().credit == first
        assert credit_model_of(world.runtime, submit(client, tenant, make_body(2))) == first

    def test_nothing_to_roll_back_to(
        self, world: World, served_models: tuple[TrainingResult, ...]
    ) -> None:
        a1 = world.actor("a1")
        with world.runtime.sessions.begin() as session, pytest.raises(StageChangeInvalid):
            service.rollback(session, world.root, "credit_gbm", a1)
        world.bootstrap(register(world.root, served_models[0]))
        with world.runtime.sessions.begin() as session, pytest.raises(StageChangeInvalid):
            service.rollback(session, world.root, "credit_gbm", a1)


class TestGate:
    def test_the_hmeq_model_is_refused_with_its_missing_fields_named(self, world: World) -> None:
        reg, _ = credit_service.train_csv(
            write_hmeq(world.root.parent / "hmeq.csv"),
            "BAD",
            TrainOptions(kind="gbm", gbm=SMALL_GBM),
            bad_value=None,
            out=world.root,
            name=None,
            version=None,
            created_at=START,
        )
        a1 = world.actor("a1")
        with world.runtime.sessions.begin() as session, pytest.raises(ModelIncompatible) as err:
            service.propose(session, world.root, reg.ref, "champion", a1)
        fields = {e.field for e in err.value.errors}
        assert {"VALUE", "MORTDUE", "DEBTINC"} <= fields
        assert {e.rule for e in err.value.errors} == {"missing"}
        assert "VALUE" in err.value.detail
        with world.runtime.sessions() as session:
            assert repository.changes(session, subject="model") == []

    def test_a_champion_that_no_longer_fits_stops_loading(
        self, world: World, served_models: tuple[TrainingResult, ...]
    ) -> None:
        ref = register(world.root, served_models[0])
        world.bootstrap(ref)
        with world.runtime.sessions.begin() as session:
            row = repository.model_version(session, "credit_gbm", "0001")
            assert row is not None
            row.kind = "fraud"
        with pytest.raises(StageChangeInvalid, match="credit"):
            world.runtime.reload_models()
