"""Every application status change writes its webhook event in the same transaction."""

from __future__ import annotations

import random
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.auth.principal import Principal, Role
from autolease.dealer import service as dealer_service
from autolease.kit.ids import IdFactory
from autolease.origination.models import Application, ApplicationStatusEvent
from autolease.origination.service import lifecycle
from autolease.runtime import Runtime
from autolease.webhooks.models import WebhookDelivery, WebhookEvent
from tests.conftest import START
from tests.factories import login, make_body, submit
from tests.webhooks.conftest import Hooked, register


class RecordingRandom:
    """A seeded source that remembers the 128-bit draws (event ids)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self.uuids: list[int] = []

    def getrandbits(self, k: int, /) -> int:
        value = self._rng.getrandbits(k)
        if k == 128:
            self.uuids.append(value)
        return value


def _events(runtime: Runtime, application_id: str) -> list[WebhookEvent]:
    with runtime.sessions() as session:
        rows = session.scalars(
            select(WebhookEvent)
            .where(WebhookEvent.application_id == application_id)
            .order_by(WebhookEvent.occurred_at)
        )
        return list(rows)


def _status_events(runtime: Runtime, application_id: str) -> list[ApplicationStatusEvent]:
    with runtime.sessions() as session:
        rows = session.scalars(
            select(ApplicationStatusEvent)
            .where(ApplicationStatusEvent.application_id == application_id)
            .order_by(ApplicationStatusEvent.id)
        )
        return list(rows)


def _pending(runtime: Runtime, event_ids: list[str]) -> list[tuple[str, int]]:
    with runtime.sessions() as session:
        rows = session.execute(
            select(WebhookDelivery.event_id, WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.event_id.in_(event_ids), WebhookDelivery.state == "pending")
            .order_by(WebhookDelivery.id)
        )
        return [(e, n) for e, n in rows]


class TestIntake:
    def test_one_event_per_status_event_with_its_delivery(
        self, runtime: Runtime, hooked: Hooked
    ) -> None:
        changes = _status_events(runtime, hooked.application_id)
        events = _events(runtime, hooked.application_id)
        assert [e.type for e in events] == [f"application.{c.to_status}" for c in changes]
        assert [e.data["previous_status"] for e in events] == [c.from_status for c in changes]
        assert {e.occurred_at for e in events} == {START}  # the injected clock's time
        assert sorted(_pending(runtime, [e.id for e in events])) == sorted(
            (e.id, hooked.endpoint["id"]) for e in events
        )

    def test_only_subscribed_active_endpoints_get_deliveries(
        self, client: TestClient, runtime: Runtime, hooked: Hooked
    ) -> None:
        withdrawn_only = register(client, hooked.a, event_types=["application.withdrawn"]).json()[
            "id"
        ]
        off = register(client, hooked.a, active=False).json()["id"]
        register(client, hooked.b)  # another SP's endpoint never gets SP-A's events
        app_id = _referred_application(client, hooked)
        withdrawn = client.post(
            f"/v1/applications/{app_id}/withdraw", json={}, headers=hooked.a.headers
        )
        assert withdrawn.status_code == 200, withdrawn.text
        events = _events(runtime, app_id)
        targets = _pending(runtime, [e.id for e in events])
        by_type = {e.id: e.type for e in events}
        assert (events[-1].id, withdrawn_only) in targets
        assert off not in {endpoint for _, endpoint in targets}
        for event_id, endpoint in targets:
            assert endpoint in (hooked.endpoint["id"], withdrawn_only)
            if endpoint == withdrawn_only:
                assert by_type[event_id] == "application.withdrawn"


class TestTransition:
    def test_event_id_from_the_injected_random_source(
        self, client: TestClient, runtime: Runtime, hooked: Hooked
    ) -> None:
        source = RecordingRandom(11)
        runtime.ids = IdFactory(runtime.clock, source)
        response = client.post(
            f"/v1/applications/{hooked.application_id}/withdraw",
            json={"note": "customer changed their mind"},
            headers=hooked.a.headers,
        )
        assert response.status_code == 200, response.text
        last = _events(runtime, hooked.application_id)[-1]
        assert last.type == "application.withdrawn"
        assert last.id == str(uuid.UUID(int=source.uuids[-1], version=4))

    def test_a_rollback_takes_the_event_with_the_change(
        self, runtime: Runtime, hooked: Hooked
    ) -> None:
        before = [e.id for e in _events(runtime, hooked.application_id)]
        with runtime.sessions() as session:
            app = session.get(Application, hooked.application_id)
            assert app is not None
            status = app.status
            principal = _sp_principal(session)
            actor = Actor(key=runtime.audit_key, name="sp", at=runtime.clock.now())
            lifecycle.withdraw(session, app=app, principal=principal, actor=actor, note=None)
            inside = session.scalars(
                select(WebhookEvent.type).where(
                    WebhookEvent.application_id == hooked.application_id
                )
            ).all()
            assert "application.withdrawn" in inside  # written in the change's transaction
            session.rollback()
        assert [e.id for e in _events(runtime, hooked.application_id)] == before
        with runtime.sessions() as session:
            reread = session.get(Application, hooked.application_id)
            assert reread is not None
            assert reread.status == status

    def test_no_staff_name_or_note_reaches_the_payload(
        self, client: TestClient, runtime: Runtime, hooked: Hooked
    ) -> None:
        app_id = _referred_application(client, hooked)
        note = "internal: dealer looked nervous"
        response = client.post(
            f"/v1/applications/{app_id}/review",
            json={"decision": "decline", "note": note},
            headers=login(client, "reviewer"),
        )
        assert response.status_code == 200, response.text
        events = _events(runtime, app_id)
        assert events[-1].type == "application.declined"
        for event in events:
            text = repr(event.data)
            assert "reviewer" not in text
            assert "nervous" not in text
            assert set(event.data) == {"application_id", "status", "previous_status"}


def _sp_principal(session: Session) -> Principal:
    sp = dealer_service.get_by_code(session, code="SP-A")
    return Principal(kind="api_key", actor="key", role=Role.SP_USER, sp_id=sp.id, sp_code=sp.code)


def _referred_application(client: TestClient, hooked: Hooked) -> str:
    """An application the store's stand-in models refer (the test store has no champions)."""
    for seed in range(40, 60):
        body = submit(client, hooked.a, make_body(seed)).json()
        if body["status"] == "referred":
            return str(body["id"])
    raise AssertionError("no referred application among the sample bodies")
