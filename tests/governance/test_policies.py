"""Policy activations under maker-checker, through the service (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from autolease.audit.models import AuditEvent
from autolease.auth.principal import Role
from autolease.decision import repository as decision_repository
from autolease.decision.files import load_one, packaged_root
from autolease.decision.service import DecisionRuntime
from autolease.decision.settings import DecisionSettings
from autolease.governance.exceptions import SelfApprovalRefused, StageChangeInvalid
from autolease.governance.service import policies
from autolease.governance.service.checks import analyst_actor
from autolease.runtime import Runtime
from tests.conftest import START
from tests.factories import make_user

KEY = "origination/approve"
VERSION = load_one(packaged_root(), KEY).document.version


def test_an_activation_needs_a_second_analyst_and_both_are_audited(runtime: Runtime) -> None:
    decisions = DecisionRuntime.build(DecisionSettings())
    with runtime.sessions.begin() as session:
        for name in ("a1", "a2"):
            make_user(session, runtime, name, Role.RISK_ANALYST)
    with runtime.sessions() as session:
        a1, a2 = (analyst_actor(session, n, key=runtime.audit_key, at=START) for n in ("a1", "a2"))
    with runtime.sessions.begin() as session:
        change = policies.propose_activation(
            session, decisions, key=KEY, version=VERSION, effective_from=None, note="x", actor=a1
        )
    with runtime.sessions.begin() as session, pytest.raises(SelfApprovalRefused):
        policies.approve_activation(session, decisions, change.id, a1)
    with runtime.sessions() as session:
        assert decision_repository.activations(session) == []
    with runtime.sessions.begin() as session:
        activation = policies.approve_activation(session, decisions, change.id, a2)
        assert (activation.version, activation.activated_by) == (VERSION, "user:a2")
    with runtime.sessions.begin() as session, pytest.raises(StageChangeInvalid):
        policies.approve_activation(session, decisions, change.id, a2)
    with runtime.sessions() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [(e.action, e.actor) for e in events if e.entity_type == "policy"] == [
        ("policy.version_registered", "user:a1"),
        ("policy.activation_proposed", "user:a1"),
        ("policy.activated", "user:a2"),
        ("policy.activation_approved", "user:a2"),
    ]
