"""The Users page's Disable / Enable button: the same use case as `POST /v1/users/{id}/status`,
admin only, CSRF-checked, audited; a disabled user's console and H5 logins and live browser
sessions stop at once."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.runtime import Runtime
from tests.console_pages.conftest import LoginFn
from tests.factories import audit_events, user_named
from tests.web.conftest import PASSWORDS, form_token

USERS = "/console/admin/users"


def _log_in(client: TestClient, surface: str, username: str) -> Any:
    """Post the surface's login form (`/console` or `/h5`); the response."""
    page = client.get(f"{surface}/login")
    return client.post(
        f"{surface}/login",
        data={
            "username": username,
            "password": PASSWORDS[username],
            "csrf_token": form_token(page.text),
            "next": f"{surface}/",
        },
        follow_redirects=False,
    )


def _set(client: TestClient, token: str, user_id: int, active: bool) -> Any:
    data = {"csrf_token": token, "active": "true" if active else "false"}
    return client.post(f"{USERS}/{user_id}/status", data=data, follow_redirects=False)


def test_disable_ends_the_users_session_and_logins_and_enable_lets_them_back(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    other = TestClient(client.app)  # the reviewer's own browser
    assert _log_in(other, "/console", "reviewer").status_code == 303
    assert other.get("/console/").status_code == 200
    reviewer = user_named(seeded, "reviewer")
    token = login("admin")
    assert f'data-user="{reviewer.username}"' in client.get(USERS).text

    disabled = _set(client, token, reviewer.id, active=False)
    assert (disabled.status_code, disabled.headers["location"]) == (303, f"{USERS}?done=disabled")
    assert not user_named(seeded, "reviewer").active
    page = other.get("/console/", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/console/login?next=/console/")
    assert _log_in(other, "/console", "reviewer").status_code == 401
    listing = client.get(f"{USERS}?done=disabled")
    assert 'id="done"' in listing.text

    enabled = _set(client, token, reviewer.id, active=True)
    assert (enabled.status_code, enabled.headers["location"]) == (303, f"{USERS}?done=enabled")
    assert _log_in(other, "/console", "reviewer").status_code == 303
    assert other.get("/console/").status_code == 200

    [off] = audit_events(seeded, "user.disabled")
    assert (off.actor, off.entity_id, off.payload["logins_revoked"]) == (
        "user:admin",
        "reviewer",
        1,
    )
    [on] = audit_events(seeded, "user.enabled")
    assert (on.actor, on.entity_id) == ("user:admin", "reviewer")


def test_a_disabled_sp_user_cannot_log_in_to_the_h5_pages(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    phone = TestClient(client.app)
    assert _log_in(phone, "/h5", "sp001").status_code == 303
    assert phone.get("/h5/", follow_redirects=False).status_code == 200
    token = login("admin")
    assert _set(client, token, user_named(seeded, "sp001").id, active=False).status_code == 303
    assert phone.get("/h5/", follow_redirects=False).status_code == 303
    assert _log_in(phone, "/h5", "sp001").status_code == 401


def test_an_admin_cannot_disable_themself(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    token = login("admin")
    assert 'data-user="admin"' not in client.get(USERS).text  # no button on one's own row
    response = _set(client, token, user_named(seeded, "admin").id, active=False)
    assert response.status_code == 422
    assert 'id="errors"' in response.text
    assert "user_id: 管理员不能停用自己的账号" in response.text
    assert user_named(seeded, "admin").active
    assert client.get(USERS).status_code == 200
    assert audit_events(seeded, "user.disabled") == []


def test_an_unknown_user_is_a_404_page(client: TestClient, seeded: Runtime, login: LoginFn) -> None:
    response = _set(client, login("admin"), 999_999, active=False)
    assert response.status_code == 404
    assert "999999" in response.text


@pytest.mark.parametrize("token", [None, "", "stale-token"])
def test_a_missing_or_wrong_csrf_token_is_refused(
    client: TestClient, seeded: Runtime, login: LoginFn, token: str | None
) -> None:
    login("admin")
    data = {"active": "false"} | ({"csrf_token": token} if token is not None else {})
    target = user_named(seeded, "reviewer")
    response = client.post(f"{USERS}/{target.id}/status", data=data)
    assert response.status_code == 403
    assert "csrf_failed" in response.text
    assert user_named(seeded, "reviewer").active


@pytest.mark.parametrize("role", ["analyst", "reviewer"])
def test_other_staff_are_refused(
    client: TestClient, seeded: Runtime, login: LoginFn, role: str
) -> None:
    token = login(role)
    target = user_named(seeded, "sp001")
    response = _set(client, token, target.id, active=False)
    assert response.status_code == 403
    assert "role_not_allowed" in response.text
    assert user_named(seeded, "sp001").active


def test_an_sp_users_session_is_refused(
    client: TestClient, seeded: Runtime, sp_user_session: None
) -> None:
    target = user_named(seeded, "reviewer")
    response = client.post(f"{USERS}/{target.id}/status", data={"active": "false"})
    assert response.status_code == 403
    assert user_named(seeded, "reviewer").active
