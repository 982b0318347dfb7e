"""The webhook API: an SP manages its own, an admin any SP's; other roles, other SPs and bad
input are refused with a specific error and nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.runtime import Runtime
from autolease.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import login
from tests.webhooks.conftest import LOCAL_URL, Hooked, register

MISSING_EVENT = "00000000-0000-4000-8000-000000000000"


def _routes(hooked: Hooked, event_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    endpoint = hooked.endpoint["id"]
    return [
        ("POST", "/v1/webhooks/endpoints", {"url": LOCAL_URL, "event_types": ["*"]}),
        ("GET", "/v1/webhooks/endpoints", None),
        ("GET", f"/v1/webhooks/endpoints/{endpoint}", None),
        ("PATCH", f"/v1/webhooks/endpoints/{endpoint}", {"active": False}),
        ("POST", f"/v1/webhooks/endpoints/{endpoint}/secret", None),
        ("GET", "/v1/webhooks/events", None),
        ("GET", f"/v1/webhooks/events/{event_id}", None),
        ("POST", f"/v1/webhooks/events/{event_id}/redeliver", {}),
        ("GET", "/v1/webhooks/deliveries", None),
    ]


def _count(runtime: Runtime, model: type[Any]) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


class TestEndpoints:
    def test_the_secret_is_shown_once(self, client: TestClient, hooked: Hooked) -> None:
        created = hooked.endpoint
        assert created["secret"].startswith("whsec_")
        assert created["secret_hint"] == created["secret"][-4:]
        assert created["sp_code"] == "SP-A"
        read = client.get(f"/v1/webhooks/endpoints/{created['id']}", headers=hooked.a.headers)
        assert read.status_code == 200
        assert "secret" not in read.json()
        listed = client.get("/v1/webhooks/endpoints", headers=hooked.a.headers).json()
        assert [e["id"] for e in listed] == [created["id"]]
        assert all("secret" not in e for e in listed)

    def test_the_secret_is_stored_encrypted(self, runtime: Runtime, hooked: Hooked) -> None:
        with runtime.sessions() as session:
            row = session.get(WebhookEndpoint, hooked.endpoint["id"])
            assert row is not None
            assert hooked.endpoint["secret"] not in row.secret_enc

    def test_update_and_rotate(self, client: TestClient, hooked: Hooked) -> None:
        path = f"/v1/webhooks/endpoints/{hooked.endpoint['id']}"
        changed = client.patch(
            path,
            json={"active": False, "event_types": ["application.approved"], "description": "x"},
            headers=hooked.a.headers,
        )
        assert changed.status_code == 200, changed.text
        body = changed.json()
        assert (body["active"], body["event_types"], body["description"]) == (
            False,
            ["application.approved"],
            "x",
        )
        rotated = client.post(path + "/secret", headers=hooked.a.headers)
        assert rotated.status_code == 200
        assert rotated.json()["secret"] != hooked.endpoint["secret"]

    def test_admin_registers_for_a_named_sp(self, client: TestClient, hooked: Hooked) -> None:
        admin = login(client, "admin")
        created = client.post(
            "/v1/webhooks/endpoints",
            json={"url": "https://sp-b.example.cn/h", "event_types": ["*"], "sp_code": "SP-B"},
            headers=admin,
        )
        assert created.status_code == 201, created.text
        assert created.json()["sp_code"] == "SP-B"
        codes = {e["sp_code"] for e in client.get("/v1/webhooks/endpoints", headers=admin).json()}
        assert codes == {"SP-A", "SP-B"}
        mine = client.get("/v1/webhooks/endpoints", headers=hooked.b.headers).json()
        assert [e["id"] for e in mine] == [created.json()["id"]]

    def test_an_sp_user_login_manages_its_own_sp(self, client: TestClient, hooked: Hooked) -> None:
        headers = login(client, "sp_a_user")
        listed = client.get("/v1/webhooks/endpoints", headers=headers).json()
        assert [e["id"] for e in listed] == [hooked.endpoint["id"]]


class TestEventsAndLog:
    def test_events_of_the_application(self, client: TestClient, hooked: Hooked) -> None:
        events = hooked.events(client)
        assert {e["type"] for e in events} >= {"application.submitted"}
        assert all(e["application_id"] == hooked.application_id for e in events)
        one = client.get(f"/v1/webhooks/events/{events[0]['id']}", headers=hooked.a.headers)
        assert one.json() == events[0]

    def test_delivery_log_and_redelivery(self, client: TestClient, hooked: Hooked) -> None:
        event = hooked.events(client)[0]
        log = client.get(
            "/v1/webhooks/deliveries", params={"event_id": event["id"]}, headers=hooked.a.headers
        ).json()
        assert [(d["state"], d["attempts"], d["log"]) for d in log] == [("pending", 0, [])]
        again = client.post(
            f"/v1/webhooks/events/{event['id']}/redeliver",
            json={"endpoint_id": hooked.endpoint["id"]},
            headers=hooked.a.headers,
        )
        assert again.status_code == 202, again.text
        assert len(again.json()["deliveries"]) == 1
        log = client.get(
            "/v1/webhooks/deliveries",
            params={"endpoint_id": hooked.endpoint["id"], "event_id": event["id"]},
            headers=hooked.a.headers,
        ).json()
        assert len(log) == 2
        assert {d["event_id"] for d in log} == {event["id"]}


class TestAccess:
    """Loops over the routes inside each test: a fixture costs an intake and four logins."""

    def test_no_credential_is_401(self, client: TestClient, hooked: Hooked) -> None:
        for method, path, body in _routes(hooked, hooked.events(client)[0]["id"]):
            assert client.request(method, path, json=body).status_code == 401, path

    def test_other_staff_roles_are_403(self, client: TestClient, hooked: Hooked) -> None:
        routes = _routes(hooked, hooked.events(client)[0]["id"])
        for username in ("analyst", "reviewer"):
            headers = login(client, username)
            for method, path, body in routes:
                response = client.request(method, path, json=body, headers=headers)
                assert response.status_code == 403, (username, path)
                assert response.json()["code"] == "role_not_allowed"

    def test_another_sps_rows_are_not_found(
        self, client: TestClient, runtime: Runtime, hooked: Hooked
    ) -> None:
        routes = _routes(hooked, hooked.events(client)[0]["id"])
        before = _count(runtime, WebhookDelivery)
        for method, path, body in (routes[i] for i in (2, 3, 4, 6, 7)):
            response = client.request(method, path, json=body, headers=hooked.b.headers)
            assert response.status_code == 404, path
            assert response.json()["code"] in {
                "webhook_endpoint_not_found",
                "webhook_event_not_found",
            }
        assert _count(runtime, WebhookDelivery) == before
        read = client.get(routes[2][1], headers=hooked.a.headers).json()
        assert read["active"] is True  # untouched
        assert read["secret_hint"] == hooked.endpoint["secret_hint"]

    def test_another_sps_lists_are_empty(self, client: TestClient, hooked: Hooked) -> None:
        for path in ("/v1/webhooks/endpoints", "/v1/webhooks/events", "/v1/webhooks/deliveries"):
            assert client.get(path, headers=hooked.b.headers).json() == []
        foreign = client.get(
            "/v1/webhooks/deliveries",
            params={"endpoint_id": hooked.endpoint["id"]},
            headers=hooked.b.headers,
        )
        assert foreign.json() == []

    def test_redelivery_to_another_sps_endpoint_is_not_found(
        self, client: TestClient, runtime: Runtime, hooked: Hooked
    ) -> None:
        b_endpoint = register(client, hooked.b).json()["id"]
        event = hooked.events(client)[0]["id"]
        before = _count(runtime, WebhookDelivery)
        response = client.post(
            f"/v1/webhooks/events/{event}/redeliver",
            json={"endpoint_id": b_endpoint},
            headers=login(client, "admin"),
        )
        assert response.status_code == 404
        assert _count(runtime, WebhookDelivery) == before

    def test_an_sp_cannot_register_for_another(
        self, client: TestClient, runtime: Runtime, hooked: Hooked
    ) -> None:
        response = register(client, hooked.a, sp_code="SP-B")
        assert response.status_code == 403
        assert response.json()["code"] == "webhook_sp_required"
        assert _count(runtime, WebhookEndpoint) == 1


class TestBadInput:
    def test_create_is_refused_naming_the_field(
        self, client: TestClient, runtime: Runtime, hooked: Hooked
    ) -> None:
        cases: list[tuple[dict[str, Any], str, str | None]] = [
            ({"url": "http://sp.example.cn/h", "event_types": ["*"]}, "url", "https_required"),
            ({"url": "not a url", "event_types": ["*"]}, "url", "url"),
            ({"url": LOCAL_URL, "event_types": ["application.exploded"]}, "event_types.0", None),
            ({"url": LOCAL_URL, "event_types": []}, "event_types", None),
            ({"url": LOCAL_URL}, "event_types", "missing"),
            ({"url": LOCAL_URL, "event_types": ["*"], "active": "yes"}, "active", None),
            ({"url": LOCAL_URL, "event_types": ["*"], "secret": "mine"}, "secret", None),
            ({"url": "https://" + "a" * 2000, "event_types": ["*"]}, "url", None),
        ]
        for body, field, rule in cases:
            response = client.post("/v1/webhooks/endpoints", json=body, headers=hooked.a.headers)
            assert response.status_code == 422, response.text
            errors = response.json()["errors"]
            assert any(e["field"].endswith(field) for e in errors), errors
            if rule is not None:
                assert any(e["rule"] == rule for e in errors), errors
            assert all(e["message_zh"] for e in errors)
            assert str(body.get("url")) not in response.text  # values are never echoed
        assert _count(runtime, WebhookEndpoint) == 1

    def test_update_to_plain_http_is_refused(self, client: TestClient, hooked: Hooked) -> None:
        path = f"/v1/webhooks/endpoints/{hooked.endpoint['id']}"
        response = client.patch(path, json={"url": "http://sp.cn/h"}, headers=hooked.a.headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "url"
        assert client.get(path, headers=hooked.a.headers).json()["url"] == LOCAL_URL

    @pytest.mark.parametrize(
        ("body", "field"), [({"sp_code": None}, "sp_code"), ({"sp_code": "SP-NONE"}, "sp_code")]
    )
    def test_admin_must_name_a_known_sp(
        self,
        client: TestClient,
        runtime: Runtime,
        hooked: Hooked,
        body: dict[str, Any],
        field: str,
    ) -> None:
        response = client.post(
            "/v1/webhooks/endpoints",
            json={"url": LOCAL_URL, "event_types": ["*"], **body},
            headers=login(client, "admin"),
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field
        assert _count(runtime, WebhookEndpoint) == 1

    def test_bad_paths_and_queries(self, client: TestClient, hooked: Hooked) -> None:
        for path, status in [
            ("/v1/webhooks/endpoints/0", 422),
            ("/v1/webhooks/endpoints/99999999999", 422),
            ("/v1/webhooks/endpoints/abc", 422),
            ("/v1/webhooks/endpoints/424242", 404),
            (f"/v1/webhooks/events/{MISSING_EVENT}", 404),
            ("/v1/webhooks/events/not-an-event", 404),
            ("/v1/webhooks/deliveries?endpoint_id=0", 422),
            ("/v1/webhooks/events?limit=0", 422),
            ("/v1/webhooks/events?limit=201", 422),
        ]:
            response = client.get(path, headers=hooked.a.headers)
            assert response.status_code == status, (path, response.text)
            assert "code" in response.json()

    def test_bad_redelivery_body(
        self, client: TestClient, runtime: Runtime, hooked: Hooked
    ) -> None:
        event = hooked.events(client)[0]["id"]
        before = _count(runtime, WebhookDelivery)
        for body in [
            {"endpoint_id": "1"},
            {"endpoint_id": 0},
            {"endpoint": 1},
            {"endpoint_id": 1.5},
        ]:
            response = client.post(
                f"/v1/webhooks/events/{event}/redeliver", json=body, headers=hooked.a.headers
            )
            assert response.status_code == 422, body
            assert response.json()["errors"][0]["field"].startswith("endpoint")
        assert _count(runtime, WebhookDelivery) == before
