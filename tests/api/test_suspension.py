"""A suspended SP is suspended at once: its API keys, its staff's logins and their live tokens."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolease.runtime import Runtime
from tests.factories import PASSWORD, Tenant, login, make_body, setup_tenants, submit


def set_status(client: TestClient, code: str, status: str) -> None:
    response = client.patch(
        f"/v1/sps/{code}", json={"status": status}, headers=login(client, "admin")
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def tenant_a(client: TestClient, runtime: Runtime) -> Tenant:
    a, _ = setup_tenants(runtime)
    return a


@pytest.mark.parametrize("status", ["suspended", "terminated"])
def test_sp_user_cannot_log_in(client: TestClient, tenant_a: Tenant, status: str) -> None:
    set_status(client, "SP-A", status)
    response = client.post("/v1/auth/token", json={"username": "sp_a_user", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["code"] == "sp_not_active"
    assert "access_token" not in response.json()


def test_a_wrong_password_does_not_reveal_the_suspension(
    client: TestClient, tenant_a: Tenant
) -> None:
    set_status(client, "SP-A", "suspended")
    response = client.post("/v1/auth/token", json={"username": "sp_a_user", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_a_token_issued_before_the_suspension_stops_at_once(
    client: TestClient, tenant_a: Tenant
) -> None:
    staff = login(client, "sp_a_user")
    assert client.get("/v1/applications", headers=staff).status_code == 200
    assert client.post("/v1/applications", json=make_body(41), headers=staff).status_code == 201
    set_status(client, "SP-A", "suspended")
    for response in (
        client.get("/v1/applications", headers=staff),
        client.get("/v1/auth/me", headers=staff),
        client.post("/v1/applications", json=make_body(42), headers=staff),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "sp_not_active"
    set_status(client, "SP-A", "active")
    assert client.get("/v1/applications", headers=staff).status_code == 200


def test_api_key_of_a_suspended_sp_is_refused_with_the_code(
    client: TestClient, tenant_a: Tenant
) -> None:
    set_status(client, "SP-A", "suspended")
    response = submit(client, tenant_a, make_body(43))
    assert response.status_code == 401
    assert response.json()["code"] == "sp_not_active"


def test_other_sps_and_staff_are_unaffected(client: TestClient, runtime: Runtime) -> None:
    _, b = setup_tenants(runtime)
    set_status(client, "SP-A", "suspended")
    assert submit(client, b, make_body(44)).status_code == 201
    assert client.get("/v1/applications", headers=login(client, "reviewer")).status_code == 200


def test_an_sp_on_watch_still_works(client: TestClient, tenant_a: Tenant) -> None:
    """Watch is closer monitoring, not a stop: keys and logins keep working."""
    set_status(client, "SP-A", "watch")
    assert submit(client, tenant_a, make_body(43)).status_code == 201
    assert (
        client.post(
            "/v1/auth/token", json={"username": "sp_a_user", "password": PASSWORD}
        ).status_code
        == 200
    )
    set_status(client, "SP-A", "suspended")
    assert submit(client, tenant_a, make_body(44)).status_code == 401
