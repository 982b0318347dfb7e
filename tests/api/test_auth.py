from __future__ import annotations

from fastapi.testclient import TestClient

from autolease.kit.clock import FixedClock
from autolease.runtime import Runtime
from tests.factories import PASSWORD, login, make_body, setup_tenants, submit


class TestLogin:
    def test_wrong_password_is_401(self, client: TestClient, runtime: Runtime) -> None:
        setup_tenants(runtime)
        response = client.post("/v1/auth/token", json={"username": "admin", "password": "nope"})
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"

    def test_token_expires(self, client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
        setup_tenants(runtime)
        headers = login(client, "admin")
        assert client.get("/v1/auth/me", headers=headers).json()["role"] == "admin"
        clock.advance(minutes=runtime.settings.security.token_ttl_minutes + 1)
        assert client.get("/v1/auth/me", headers=headers).status_code == 401

    def test_missing_credentials(self, client: TestClient, runtime: Runtime) -> None:
        response = client.get("/v1/applications")
        assert response.status_code == 401
        assert response.json()["error"] == "Unauthenticated"

    def test_garbage_bearer(self, client: TestClient, runtime: Runtime) -> None:
        response = client.get("/v1/applications", headers={"Authorization": "Bearer ak_zz_zz"})
        assert response.status_code == 401


class TestRoles:
    def test_reviewer_cannot_create_sp(self, client: TestClient, runtime: Runtime) -> None:
        setup_tenants(runtime)
        body = {"code": "SP-NEW", "name": "新", "region": "北京"}
        response = client.post("/v1/sps", json=body, headers=login(client, "reviewer"))
        assert response.status_code == 403
        created = client.post("/v1/sps", json=body, headers=login(client, "admin"))
        assert created.status_code == 201
        assert created.json()["grade"] == "B"

    def test_admin_creates_users_with_sp_rule(self, client: TestClient, runtime: Runtime) -> None:
        setup_tenants(runtime)
        admin = login(client, "admin")
        bad = {
            "username": "new.sp.user",
            "display_name": "x",
            "role": "sp_user",
            "password": PASSWORD,
        }
        response = client.post("/v1/users", json=bad, headers=admin)
        assert response.status_code == 422
        good = {**bad, "sp_code": "SP-A"}
        assert client.post("/v1/users", json=good, headers=admin).status_code == 201
        assert client.post("/v1/users", json=good, headers=admin).status_code == 409


class TestApiKeys:
    def test_key_is_shown_once_and_can_be_revoked(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        setup_tenants(runtime)
        admin = login(client, "admin")
        issued = client.post("/v1/sps/SP-A/api-keys", json={"label": "pos"}, headers=admin).json()
        key = issued["api_key"]
        listing = client.get("/v1/sps/SP-A/api-keys", headers=admin)
        assert key not in listing.text
        assert issued["prefix"] in {k["prefix"] for k in listing.json()}
        headers = {"Authorization": f"Bearer {key}"}
        assert client.get("/v1/applications", headers=headers).status_code == 200
        revoke = client.delete(f"/v1/sps/SP-A/api-keys/{issued['prefix']}", headers=admin)
        assert revoke.status_code == 200
        assert revoke.json()["revoked_at"] is not None
        assert client.get("/v1/applications", headers=headers).status_code == 401

    def test_suspended_sp_key_stops_working(self, client: TestClient, runtime: Runtime) -> None:
        a, _ = setup_tenants(runtime)
        assert submit(client, a, make_body(31)).status_code == 201
        patch = client.patch(
            "/v1/sps/SP-A", json={"status": "suspended"}, headers=login(client, "admin")
        )
        assert patch.status_code == 200
        assert submit(client, a, make_body(32)).status_code == 401

    def test_x_api_key_header_also_works(self, client: TestClient, runtime: Runtime) -> None:
        a, _ = setup_tenants(runtime)
        response = client.get("/v1/applications", headers={"X-API-Key": a.api_key})
        assert response.status_code == 200
