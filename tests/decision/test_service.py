from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from autolease.audit.models import AuditEvent
from autolease.audit.service import Actor
from autolease.decision import service
from autolease.decision.engine import PolicyEngine
from autolease.decision.exceptions import (
    ActivationInvalid,
    DecisionNotFound,
    DecisionNotReplayable,
    PolicyCasesFailed,
    PolicyVersionConflict,
    ReviewNotAllowed,
)
from autolease.decision.jdm import PolicyDocument
from autolease.decision.models import (
    DecisionEvaluation,
    DecisionReview,
    PolicyActivation,
    PolicyVersion,
)
from autolease.decision.settings import DecisionSettings
from autolease.kit.clock import FixedClock
from autolease.origination.models import Application
from autolease.origination.repository import latest_decision
from autolease.review.models import ReviewVerdict
from autolease.runtime import Runtime
from tests.decision.conftest import graph
from tests.decision.wiring import app_with_decisions, wire
from tests.factories import Tenant, make_body, make_sp, submit

KEY = "origination/approve"
ENGINE = PolicyEngine()
DECLINE_ALL = PolicyDocument.from_graph(KEY, "test-2", graph([("true", "DECLINE_ALL", "decline")]))
DECLINE_ALL_CASES = """
[policy]
version = "test-2"
[defaults]
applicant_age = 30
[[case]]
name = "everyone is declined"
outcome = "decline"
reasons = ["DECLINE_ALL"]
"""


def setup_tenants(runtime: Runtime) -> tuple[Tenant, None]:
    """One SP and its API key (no staff users: password hashing is slow)."""
    with runtime.sessions.begin() as session:
        return make_sp(session, runtime, "SP-A"), None


def actor(runtime: Runtime, name: str = "user:analyst") -> Actor:
    return Actor(runtime.audit_key, name, runtime.clock.now())


def actions(runtime: Runtime) -> list[str]:
    with runtime.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


@pytest.fixture
def http(runtime: Runtime) -> TestClient:
    with TestClient(app_with_decisions(runtime)) as client:
        return client


class TestReplay:
    def test_a_recorded_decision_replays_identically(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        wired = wire(runtime, monkeypatch)
        sp, _ = setup_tenants(runtime)
        data = wired.submit(http, sp, make_body(2))
        assert data["decision"]["policy"]["key"] == KEY
        with runtime.sessions() as session:
            report = service.replay(session, decision_id=data["decision_id"], engine=ENGINE)
            row = session.scalars(select(DecisionEvaluation)).one()
            stored = session.scalars(select(PolicyVersion)).one()
        assert report.matches
        assert [(e.role, e.acted, e.replayed_outcome) for e in report.evaluations] == [
            ("champion", True, data["decision"]["outcome"])
        ]
        assert row.input["applicant_age"] is not None
        assert row.trace is not None
        assert (stored.source, stored.content_hash) == ("package", row.policy_hash)

    def test_a_changed_input_shows_exactly_what_differs(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        wired = wire(runtime, monkeypatch)
        sp, _ = setup_tenants(runtime)
        data = wired.submit(http, sp, make_body(2))
        with runtime.sessions.begin() as session:
            row = session.scalars(select(DecisionEvaluation)).one()
            row.input = {**row.input, "court_dishonest": True}
        with runtime.sessions() as session:
            report = service.replay(session, decision_id=data["decision_id"], engine=ENGINE)
        [evaluation] = report.evaluations
        assert not report.matches
        assert evaluation.differences[0].field == "outcome"
        assert evaluation.replayed_outcome == "decline"
        added = [d.replayed for d in evaluation.differences if d.field.startswith("reasons")]
        assert any(r is not None and r["code"] == "COURT_DISHONEST" for r in added)

    def test_a_tampered_policy_version_is_reported(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        wired = wire(runtime, monkeypatch)
        sp, _ = setup_tenants(runtime)
        data = wired.submit(http, sp, make_body(2))
        with runtime.sessions.begin() as session:
            row = session.scalars(select(PolicyVersion)).one()
            row.content = row.content.replace("> 0.70", "> 0.90")
        with runtime.sessions() as session:
            report = service.replay(session, decision_id=data["decision_id"], engine=ENGINE)
        assert [d.field for d in report.evaluations[0].differences] == ["policy_hash"]

    def test_a_decision_without_evaluations_is_not_replayable(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from autolease.origination.stages import default_stages

        monkeypatch.setattr(runtime, "stages", default_stages())  # the interim policy
        sp, _ = setup_tenants(runtime)
        app_id = submit(http, sp, make_body(2)).json()["id"]
        with runtime.sessions() as session:
            decision = latest_decision(session, app_id)
            assert decision is not None
            with pytest.raises(DecisionNotReplayable, match="interim/approve-valid"):
                service.replay(session, decision_id=decision.id, engine=ENGINE)

    def test_an_unknown_decision(self, runtime: Runtime) -> None:
        with runtime.sessions() as session, pytest.raises(DecisionNotFound):
            service.replay(session, decision_id="dec_nope", engine=ENGINE)


class TestRegisterVersion:
    def test_a_version_with_passing_cases_is_stored_and_audited(self, runtime: Runtime) -> None:
        with runtime.sessions.begin() as session:
            row, created = service.register_version(
                session, document=DECLINE_ALL, cases_text=DECLINE_ALL_CASES, source="api",
                actor=actor(runtime), engine=ENGINE,
            )  # fmt: skip
            again, created_again = service.register_version(
                session, document=DECLINE_ALL, cases_text=DECLINE_ALL_CASES, source="api",
                actor=actor(runtime), engine=ENGINE,
            )  # fmt: skip
        assert (created, created_again, again.id) == (True, False, row.id)
        assert actions(runtime) == ["policy.version_registered"]

    def test_the_same_label_with_other_content_conflicts(self, runtime: Runtime) -> None:
        other = PolicyDocument.from_graph(KEY, "test-2", graph([("false", "NEVER", "decline")]))
        with runtime.sessions.begin() as session:
            service.register_version(
                session, document=DECLINE_ALL, cases_text=DECLINE_ALL_CASES, source="api",
                actor=actor(runtime), engine=ENGINE,
            )  # fmt: skip
            with pytest.raises(PolicyVersionConflict, match="new version"):
                service.register_version(
                    session, document=other, cases_text=DECLINE_ALL_CASES, source="api",
                    actor=actor(runtime), engine=ENGINE,
                )  # fmt: skip

    def test_failing_cases_are_refused_naming_the_case(self, runtime: Runtime) -> None:
        lenient = PolicyDocument.from_graph(KEY, "test-2", graph([("false", "NEVER", "decline")]))
        with runtime.sessions.begin() as session, pytest.raises(PolicyCasesFailed) as err:
            service.register_version(
                session, document=lenient, cases_text=DECLINE_ALL_CASES, source="api",
                actor=actor(runtime), engine=ENGINE,
            )  # fmt: skip
        assert err.value.errors[0].field == "cases.everyone is declined"
        assert "outcome approve, expected decline" in err.value.errors[0].message_en


class TestActivate:
    def test_activating_the_packaged_version_registers_it_first(self, runtime: Runtime) -> None:
        decisions = service.DecisionRuntime.build(DecisionSettings())
        version = decisions.catalog.resolve(KEY, runtime.clock.now()).version
        with runtime.sessions.begin() as session:
            row = service.activate(
                session, runtime=decisions, key=KEY, version=version, effective_from=None,
                note="go live", actor=actor(runtime),
            )  # fmt: skip
            stored = session.scalars(select(PolicyVersion)).one()
        assert (row.version, row.effective_from, row.activated_by) == (
            version,
            runtime.clock.now(),
            "user:analyst",
        )
        assert stored.source == f"file:{KEY}.json"
        assert stored.cases is not None
        assert actions(runtime) == ["policy.version_registered", "policy.activated"]
        assert decisions.catalog.active_activation(KEY, runtime.clock.now()) is not None

    def test_back_dating_is_refused(self, runtime: Runtime) -> None:
        decisions = service.DecisionRuntime.build(DecisionSettings())
        with runtime.sessions.begin() as session, pytest.raises(ActivationInvalid, match="past"):
            service.activate(
                session, runtime=decisions, key=KEY, version="2026.12.1",
                effective_from=runtime.clock.now() - timedelta(minutes=1), note=None,
                actor=actor(runtime),
            )  # fmt: skip

    def test_a_scheduled_version_decides_from_its_effective_time(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch, clock: FixedClock
    ) -> None:
        wired = wire(runtime, monkeypatch)
        sp, _ = setup_tenants(runtime)
        with runtime.sessions.begin() as session:
            service.register_version(
                session, document=DECLINE_ALL, cases_text=DECLINE_ALL_CASES, source="api",
                actor=actor(runtime), engine=ENGINE,
            )  # fmt: skip
            service.activate(
                session, runtime=wired.decisions, key=KEY, version="test-2",
                effective_from=runtime.clock.now() + timedelta(hours=1), note=None,
                actor=actor(runtime),
            )  # fmt: skip
        before = wired.submit(http, sp, make_body(2))
        clock.advance(hours=2)
        after = wired.submit(http, sp, make_body(4))
        assert before["decision"]["policy"]["version"] == "2026.12.1"
        assert after["decision"]["policy"]["version"] == "test-2"
        assert after["decision"]["outcome"] == "decline"
        with runtime.sessions() as session:
            assert session.scalars(select(PolicyActivation)).one().version == "test-2"
            report = service.replay(session, decision_id=after["decision_id"], engine=ENGINE)
        assert report.matches


class TestReview:
    def _referred(self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch) -> str:
        wired = wire(runtime, monkeypatch)
        sp, _ = setup_tenants(runtime)
        data = wired.submit(http, sp, make_body(2))
        assert data["status"] == "referred"
        return str(data["id"])

    def test_a_reviewer_approves_a_referred_application(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        app_id = self._referred(runtime, http, monkeypatch)
        with runtime.sessions.begin() as session:
            app = session.get(Application, app_id)
            assert app is not None
            reviewed = service.review(
                session, app=app, verdict=service.Verdict.APPROVE, note="checked in person",
                actor=actor(runtime, "user:reviewer"),
            )  # fmt: skip
            assert app.status == "approved"
        assert (reviewed.verdict.verdict, reviewed.verdict.reviewer) == ("approve", "user:reviewer")
        assert actions(runtime)[-1] == "application.reviewed"
        with runtime.sessions() as session:  # one record: the workbench's, none of its own
            only = session.scalars(select(ReviewVerdict)).one()
            assert (only.internal_note, only.reason_code) == ("checked in person", "unspecified")
            assert session.scalars(select(DecisionReview)).all() == []

    def test_only_referred_applications_can_be_reviewed(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        app_id = self._referred(runtime, http, monkeypatch)
        with runtime.sessions.begin() as session:
            app = session.get(Application, app_id)
            assert app is not None
            service.review(
                session, app=app, verdict=service.Verdict.DECLINE, note="no",
                actor=actor(runtime, "user:reviewer"),
            )  # fmt: skip
            with pytest.raises(ReviewNotAllowed, match="is declined"):
                service.review(
                    session, app=app, verdict=service.Verdict.APPROVE, note="changed my mind",
                    actor=actor(runtime, "user:reviewer"),
                )  # fmt: skip


class TestStoredVersionsRemembered:
    """The packaged version is stored once; later decisions skip the look-up, but only after
    the transaction that stored it committed."""

    def test_the_second_decision_does_not_read_the_version_again(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        wired = wire(runtime, monkeypatch)
        sp, _ = setup_tenants(runtime)
        wired.submit(http, sp, make_body(2))
        statements: list[str] = []

        def seen(_conn: object, _cursor: object, sql: str, *_: object) -> None:
            statements.append(sql)

        event.listen(runtime.engine, "before_cursor_execute", seen)
        try:
            second = wired.submit(http, sp, make_body(3))
        finally:
            event.remove(runtime.engine, "before_cursor_execute", seen)
        assert statements
        assert not [s for s in statements if "FROM policy_version" in s]
        with runtime.sessions() as session:
            assert len(session.scalars(select(PolicyVersion)).all()) == 1
            assert service.replay(session, decision_id=second["decision_id"], engine=ENGINE).matches

    def test_a_rolled_back_store_is_not_remembered(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        wired = wire(runtime, monkeypatch)
        sp, _ = setup_tenants(runtime)

        def fail(*_: object, **__: object) -> None:
            raise RuntimeError("the audit append failed")

        with monkeypatch.context() as patched:
            patched.setattr("autolease.origination.service.intake.append_audit", fail)
            with pytest.raises(RuntimeError):
                submit(http, sp, make_body(2))
        with runtime.sessions() as session:
            assert session.scalars(select(PolicyVersion)).all() == []
        data = wired.submit(http, sp, make_body(3))
        with runtime.sessions() as session:
            assert len(session.scalars(select(PolicyVersion)).all()) == 1
            assert service.replay(session, decision_id=data["decision_id"], engine=ENGINE).matches
