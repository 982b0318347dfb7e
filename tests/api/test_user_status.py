"""`POST /v1/users/{user_id}/status`: an admin disables or re-enables a user, audited. A
disabled user cannot log in, and their live tokens and browser sessions stop at once."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.auth.models import StaffUser
from autolease.runtime import Runtime
from autolease.web import sessions
from tests.factories import PASSWORD, Tenant, audit_events, login, setup_tenants, user_named


def _set(client: TestClient, user_id: int, body: Any, headers: dict[str, str]) -> Any:
    return client.post(f"/v1/users/{user_id}/status", json=body, headers=headers)


@pytest.fixture
def tenants(runtime: Runtime) -> tuple[Tenant, Tenant]:
    return setup_tenants(runtime)


def _web_cookie(runtime: Runtime, username: str) -> str:
    """A live browser session of the user, as the login pages start one."""
    with runtime.sessions.begin() as session:
        user = session.scalars(select(StaffUser).where(StaffUser.username == username)).one()
        cookie, _ = sessions.start(session, user=user, now=runtime.clock.now())
    return cookie


def _web_session_live(runtime: Runtime, cookie: str) -> bool:
    with runtime.sessions.begin() as session:
        return sessions.resolve(session, cookie, runtime.clock.now()) is not None


def test_disable_stops_login_tokens_and_sessions_then_enable_lets_the_user_log_in(
    client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
) -> None:
    admin = login(client, "admin")
    reviewer_token = login(client, "reviewer")
    cookie = _web_cookie(runtime, "reviewer")
    assert _web_session_live(runtime, cookie)
    reviewer = user_named(runtime, "reviewer")

    disabled = _set(client, reviewer.id, {"active": False}, admin)
    assert disabled.status_code == 200, disabled.text
    assert disabled.json() == {"id": reviewer.id, "username": "reviewer",
                               "display_name": "reviewer", "role": "reviewer",
                               "sp_code": None, "active": False}  # fmt: skip
    assert client.get("/v1/auth/me", headers=reviewer_token).status_code == 401
    assert not _web_session_live(runtime, cookie)
    refused = client.post("/v1/auth/token", json={"username": "reviewer", "password": PASSWORD})
    assert (refused.status_code, refused.json()["code"]) == (401, "invalid_credentials")

    enabled = _set(client, reviewer.id, {"active": True}, admin)
    assert (enabled.status_code, enabled.json()["active"]) == (200, True)
    assert client.get("/v1/auth/me", headers=login(client, "reviewer")).status_code == 200
    # what was live when the user was disabled stays revoked
    assert client.get("/v1/auth/me", headers=reviewer_token).status_code == 401
    assert not _web_session_live(runtime, cookie)

    [off] = audit_events(runtime, "user.disabled")
    assert (off.actor, off.entity_type, off.entity_id) == ("user:admin", "staff_user", "reviewer")
    assert off.payload == {"user_id": reviewer.id, "logins_revoked": 2}
    [on] = audit_events(runtime, "user.enabled")
    assert (on.actor, on.entity_id, on.payload["user_id"]) == (
        "user:admin",
        "reviewer",
        reviewer.id,
    )


def test_an_sp_user_is_disabled_the_same_way(
    client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
) -> None:
    sp_user = user_named(runtime, "sp_a_user")
    response = _set(client, sp_user.id, {"active": False}, login(client, "admin"))
    assert (response.json()["sp_code"], response.json()["active"]) == ("SP-A", False)
    refused = client.post("/v1/auth/token", json={"username": "sp_a_user", "password": PASSWORD})
    assert refused.status_code == 401


def test_no_change_writes_no_event(
    client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
) -> None:
    admin = login(client, "admin")
    analyst = user_named(runtime, "analyst")
    assert _set(client, analyst.id, {"active": True}, admin).status_code == 200
    assert audit_events(runtime, "user.enabled") == []
    for _ in range(2):
        assert _set(client, analyst.id, {"active": False}, admin).status_code == 200
    assert len(audit_events(runtime, "user.disabled")) == 1


def test_an_admin_cannot_disable_themself(
    client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
) -> None:
    admin = login(client, "admin")
    me = user_named(runtime, "admin")
    response = _set(client, me.id, {"active": False}, admin)
    assert response.status_code == 422
    body = response.json()
    assert (body["error"], body["code"]) == ("SelfDisableRefused", "cannot_disable_self")
    [problem] = body["errors"]
    assert (problem["field"], problem["rule"]) == ("user_id", "not_self")
    assert "own account" in problem["message_en"]
    assert "自己" in problem["message_zh"]
    assert user_named(runtime, "admin").active
    assert client.get("/v1/auth/me", headers=admin).status_code == 200
    assert audit_events(runtime, "user.disabled") == []


def test_an_unknown_user_is_a_404_in_the_error_shape(
    client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
) -> None:
    response = _set(client, 999_999, {"active": False}, login(client, "admin"))
    assert response.status_code == 404
    body = response.json()
    assert (body["error"], body["code"]) == ("NotFound", "not_found")
    assert "999999" in body["detail"]


@pytest.mark.parametrize("username", ["analyst", "reviewer", "sp_a_user"])
def test_only_admins_may_change_a_users_status(
    client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant], username: str
) -> None:
    target = user_named(runtime, "reviewer" if username != "reviewer" else "analyst")
    response = _set(client, target.id, {"active": False}, login(client, username))
    assert (response.status_code, response.json()["code"]) == (403, "role_not_allowed")
    assert user_named(runtime, target.username).active


def test_an_sp_api_key_is_refused(
    client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
) -> None:
    target = user_named(runtime, "sp_a_user")
    response = _set(client, target.id, {"active": False}, tenants[0].headers)
    assert (response.status_code, response.json()["code"]) == (403, "role_not_allowed")
    assert client.post(f"/v1/users/{target.id}/status", json={"active": False}).status_code == 401
    assert user_named(runtime, "sp_a_user").active


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("{id}", {}, "active"),
        ("{id}", {"active": "maybe"}, "active"),
        ("{id}", {"active": False, "reason": "x"}, "reason"),
        ("abc", {"active": False}, "user_id"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient,
    runtime: Runtime,
    tenants: tuple[Tenant, Tenant],
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    target = user_named(runtime, "reviewer")
    response = client.post(
        f"/v1/users/{path.format(id=target.id)}/status",
        json=body,
        headers=login(client, "admin"),
    )
    assert response.status_code == 422
    assert field in {e["field"].rsplit(".", 1)[-1] for e in response.json()["errors"]}
    assert user_named(runtime, "reviewer").active
