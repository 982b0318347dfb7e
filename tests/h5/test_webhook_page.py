"""The webhook settings page's actions: pause and resume an endpoint, a new signing secret
shown once, and sending an event again (tenancy, role, CSRF, bad input; audited like the
API)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.audit.models import AuditEvent
from autolease.runtime import Runtime
from autolease.webhooks.events import EVENT_TYPES
from autolease.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.factories import Tenant, submit
from tests.h5.conftest import example
from tests.h5.test_portal import SpPage, page_token


def endpoint_of(client: TestClient, tenant: Tenant, url: str) -> dict[str, Any]:
    created = client.post(
        "/v1/webhooks/endpoints",
        json={"url": url, "event_types": list(EVENT_TYPES)},
        headers=tenant.headers,
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


def stored_endpoint(runtime: Runtime, endpoint_id: int) -> WebhookEndpoint:
    with runtime.sessions() as session:
        endpoint = session.get(WebhookEndpoint, endpoint_id)
        assert endpoint is not None
        session.expunge(endpoint)
        return endpoint


def audit_actions(runtime: Runtime, entity_id: str) -> list[str]:
    with runtime.sessions() as session:
        query = select(AuditEvent.action).where(AuditEvent.entity_id == entity_id)
        return list(session.scalars(query))


def deliveries_of(runtime: Runtime, event_id: str) -> list[tuple[int, str]]:
    with runtime.sessions() as session:
        query = select(WebhookDelivery.endpoint_id, WebhookDelivery.state).where(
            WebhookDelivery.event_id == event_id
        )
        return [(int(e), str(s)) for e, s in session.execute(query)]


def event_of(runtime: Runtime, app_id: str) -> str:
    with runtime.sessions() as session:
        query = select(WebhookEvent.id).where(WebhookEvent.application_id == app_id)
        return str(session.scalars(query).first())


@pytest.fixture
def endpoints(client: TestClient, tenants: tuple[Tenant, Tenant]) -> tuple[int, int]:
    """An endpoint of SP-A's and one of SP-B's, both for every event type."""
    a, b = tenants
    mine = endpoint_of(client, a, "http://localhost:9/a")
    theirs = endpoint_of(client, b, "http://localhost:9/b")
    return int(mine["id"]), int(theirs["id"])


class TestPauseAndResume:
    def test_the_sp_pauses_and_resumes_its_endpoint(
        self, client: TestClient, runtime: Runtime, sp_page: SpPage, endpoints: tuple[int, int]
    ) -> None:
        mine, _ = endpoints
        sp_page()
        token = page_token(client, "/h5/webhooks")
        paused = client.post(
            f"/h5/webhooks/{mine}/active",
            data={"csrf_token": token, "active": "false"},
            follow_redirects=False,
        )
        assert paused.status_code == 303, paused.text
        assert stored_endpoint(runtime, mine).active is False
        assert "恢复" in client.get("/h5/webhooks").text
        resumed = client.post(
            f"/h5/webhooks/{mine}/active", data={"csrf_token": token, "active": "true"}
        )
        assert resumed.status_code == 200, resumed.text
        assert stored_endpoint(runtime, mine).active is True
        assert audit_actions(runtime, str(mine)).count("webhook.endpoint_updated") == 2

    def test_bad_input_another_sps_endpoint_and_a_forged_token_change_nothing(
        self, client: TestClient, runtime: Runtime, sp_page: SpPage, endpoints: tuple[int, int]
    ) -> None:
        mine, theirs = endpoints
        sp_page()
        token = page_token(client, "/h5/webhooks")
        cases = [
            (f"/h5/webhooks/{mine}/active", {"csrf_token": token, "active": "maybe"}, 422),
            (f"/h5/webhooks/{mine}/active", {"csrf_token": token}, 422),
            ("/h5/webhooks/0/active", {"csrf_token": token, "active": "false"}, 422),
            (f"/h5/webhooks/{theirs}/active", {"csrf_token": token, "active": "false"}, 404),
            (f"/h5/webhooks/{mine}/active", {"csrf_token": "x", "active": "false"}, 403),
        ]
        for path, data, expected in cases:
            response = client.post(path, data=data, follow_redirects=False)
            assert response.status_code == expected, (path, data, response.text)
        assert stored_endpoint(runtime, mine).active is True
        assert stored_endpoint(runtime, theirs).active is True
        assert audit_actions(runtime, str(theirs)).count("webhook.endpoint_updated") == 0


class TestNewSecret:
    def test_the_new_secret_is_shown_once_and_replaces_the_old(
        self, client: TestClient, runtime: Runtime, sp_page: SpPage, endpoints: tuple[int, int]
    ) -> None:
        mine, _ = endpoints
        before = stored_endpoint(runtime, mine).secret_hint
        sp_page()
        token = page_token(client, "/h5/webhooks")
        rotated = client.post(f"/h5/webhooks/{mine}/secret", data={"csrf_token": token})
        assert rotated.status_code == 200, rotated.text
        after = stored_endpoint(runtime, mine)
        assert after.secret_hint != before
        assert f"{after.secret_hint}</code>" in rotated.text  # the whole secret, once
        assert 'id="secret"' not in client.get("/h5/webhooks").text
        assert audit_actions(runtime, str(mine)) == [
            "webhook.endpoint_created",
            "webhook.secret_rotated",
        ]

    def test_another_sps_endpoint_and_a_missing_token_keep_their_secret(
        self, client: TestClient, runtime: Runtime, sp_page: SpPage, endpoints: tuple[int, int]
    ) -> None:
        mine, theirs = endpoints
        hints = (stored_endpoint(runtime, mine).secret_hint, stored_endpoint(runtime, theirs))
        sp_page()
        token = page_token(client, "/h5/webhooks")
        refused = client.post(f"/h5/webhooks/{theirs}/secret", data={"csrf_token": token})
        assert refused.status_code == 404
        assert client.post(f"/h5/webhooks/{mine}/secret", data={}).status_code == 403
        assert stored_endpoint(runtime, mine).secret_hint == hints[0]
        assert stored_endpoint(runtime, theirs).secret_hint == hints[1].secret_hint


class TestSendAgain:
    def test_the_sp_sends_its_event_again_to_the_same_endpoint(
        self,
        client: TestClient,
        runtime: Runtime,
        tenants: tuple[Tenant, Tenant],
        sp_page: SpPage,
        endpoints: tuple[int, int],
    ) -> None:
        mine, _ = endpoints
        app_id = str(submit(client, tenants[0], example()).json()["id"])
        event_id = event_of(runtime, app_id)
        assert deliveries_of(runtime, event_id) == [(mine, "pending")]
        sp_page()
        page = client.get("/h5/webhooks")
        assert f"/h5/webhooks/events/{event_id}/redeliver" in page.text
        token = page_token(client, "/h5/webhooks")
        sent = client.post(
            f"/h5/webhooks/events/{event_id}/redeliver",
            data={"csrf_token": token, "endpoint_id": str(mine)},
        )
        assert sent.status_code == 200, sent.text
        assert 'id="redelivered"' in sent.text
        assert deliveries_of(runtime, event_id) == [(mine, "pending"), (mine, "pending")]
        assert audit_actions(runtime, event_id) == ["webhook.redelivered"]

    def test_another_sps_event_or_endpoint_bad_input_and_no_session_send_nothing(
        self,
        client: TestClient,
        runtime: Runtime,
        tenants: tuple[Tenant, Tenant],
        sp_page: SpPage,
        endpoints: tuple[int, int],
    ) -> None:
        mine, theirs = endpoints
        a, b = tenants
        own_event = event_of(runtime, str(submit(client, a, example()).json()["id"]))
        their_event = event_of(runtime, str(submit(client, b, example()).json()["id"]))
        path = "/h5/webhooks/events/{}/redeliver"
        unauthenticated = client.post(path.format(own_event), data={"endpoint_id": str(mine)})
        assert unauthenticated.status_code == 401
        sp_page()
        token = page_token(client, "/h5/webhooks")
        cases = [
            (their_event, {"endpoint_id": str(theirs)}, 404),
            (own_event, {"endpoint_id": str(theirs)}, 404),
            (own_event, {"endpoint_id": "0"}, 422),
            (own_event, {"endpoint_id": "one"}, 422),
            (own_event, {}, 422),
            ("not-a-uuid", {"endpoint_id": str(mine)}, 422),
        ]
        for event_id, form, expected in cases:
            response = client.post(path.format(event_id), data={"csrf_token": token, **form})
            assert response.status_code == expected, (event_id, form, response.text)
        forged = client.post(
            path.format(own_event), data={"csrf_token": "x", "endpoint_id": str(mine)}
        )
        assert forged.status_code == 403
        assert deliveries_of(runtime, own_event) == [(mine, "pending")]
        assert deliveries_of(runtime, their_event) == [(theirs, "pending")]
