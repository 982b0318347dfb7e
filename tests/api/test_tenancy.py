"""An SP sees and changes only its own applications, on every endpoint."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolease.runtime import Runtime
from tests.factories import Tenant, login, make_body, setup_tenants, submit


@pytest.fixture
def two_tenants(client: TestClient, runtime: Runtime) -> tuple[Tenant, Tenant, str, str]:
    a, b = setup_tenants(runtime)
    app_a = submit(client, a, make_body(21)).json()["id"]
    app_b = submit(client, b, make_body(22)).json()["id"]
    return a, b, app_a, app_b


class TestCrossTenant:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("GET", "/v1/applications/{id}"),
            ("GET", "/v1/applications/{id}/decision"),
            ("POST", "/v1/applications/{id}/withdraw"),
        ],
    )
    def test_other_sps_application_is_not_found(
        self,
        client: TestClient,
        two_tenants: tuple[Tenant, Tenant, str, str],
        method: str,
        path: str,
    ) -> None:
        a, _, _, app_b = two_tenants
        response = client.request(method, path.format(id=app_b), headers=a.headers, json={})
        assert response.status_code == 404
        assert response.json()["code"] == "application_not_found"
        own = client.get(f"/v1/applications/{app_b}", headers=login(client, "admin"))
        assert own.json()["status"] != "withdrawn"  # the foreign application is untouched
        assert len(own.json()["status_history"]) == 2

    def test_list_shows_only_own(
        self, client: TestClient, two_tenants: tuple[Tenant, Tenant, str, str]
    ) -> None:
        a, b, app_a, app_b = two_tenants
        assert [
            i["id"] for i in client.get("/v1/applications", headers=a.headers).json()["items"]
        ] == [app_a]
        assert [
            i["id"] for i in client.get("/v1/applications", headers=b.headers).json()["items"]
        ] == [app_b]

    def test_sp_user_staff_login_is_scoped_to_its_sp(
        self, client: TestClient, two_tenants: tuple[Tenant, Tenant, str, str]
    ) -> None:
        _, _, app_a, app_b = two_tenants
        headers = login(client, "sp_a_user")
        assert client.get(f"/v1/applications/{app_a}", headers=headers).status_code == 200
        assert client.get(f"/v1/applications/{app_b}", headers=headers).status_code == 404
        items = client.get("/v1/applications", headers=headers).json()["items"]
        assert [i["id"] for i in items] == [app_a]

    def test_sp_user_can_submit_for_its_sp(
        self, client: TestClient, two_tenants: tuple[Tenant, Tenant, str, str]
    ) -> None:
        headers = login(client, "sp_a_user")
        response = client.post("/v1/applications", json=make_body(23), headers=headers)
        assert response.status_code == 201
        assert response.json()["sp_code"] == "SP-A"

    def test_sps_endpoint_shows_only_own_sp(
        self, client: TestClient, two_tenants: tuple[Tenant, Tenant, str, str]
    ) -> None:
        a, _, _, _ = two_tenants
        assert [s["code"] for s in client.get("/v1/sps", headers=a.headers).json()] == ["SP-A"]
        assert client.get("/v1/sps/SP-B", headers=a.headers).status_code == 404
        assert client.get("/v1/sps/SP-A", headers=a.headers).status_code == 200

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("POST", "/v1/sps"),
            ("PATCH", "/v1/sps/SP-B"),
            ("POST", "/v1/sps/SP-B/api-keys"),
            ("GET", "/v1/sps/SP-B/api-keys"),
            ("DELETE", "/v1/sps/SP-B/api-keys/abcd"),
            ("POST", "/v1/users"),
            ("GET", "/v1/audit/events"),
            ("GET", "/v1/audit/verify"),
        ],
    )
    def test_sp_cannot_use_staff_endpoints(
        self,
        client: TestClient,
        two_tenants: tuple[Tenant, Tenant, str, str],
        method: str,
        path: str,
    ) -> None:
        a, _, _, _ = two_tenants
        response = client.request(method, path, headers=a.headers, json={})
        assert response.status_code == 403
        assert response.json()["code"] == "role_not_allowed"

    def test_staff_cannot_submit(
        self, client: TestClient, two_tenants: tuple[Tenant, Tenant, str, str]
    ) -> None:
        response = client.post(
            "/v1/applications", json=make_body(24), headers=login(client, "admin")
        )
        assert response.status_code == 403

    def test_staff_see_every_sp(
        self, client: TestClient, two_tenants: tuple[Tenant, Tenant, str, str]
    ) -> None:
        _, _, app_a, app_b = two_tenants
        for user in ("admin", "analyst", "reviewer"):
            items = client.get("/v1/applications", headers=login(client, user)).json()["items"]
            assert {i["id"] for i in items} == {app_a, app_b}

    def test_idempotency_keys_are_per_sp(
        self, client: TestClient, two_tenants: tuple[Tenant, Tenant, str, str]
    ) -> None:
        a, b, _, _ = two_tenants
        first = submit(client, a, make_body(25), key="same-key")
        other = submit(client, b, make_body(26), key="same-key")
        assert first.status_code == other.status_code == 201
        assert first.json()["id"] != other.json()["id"]
