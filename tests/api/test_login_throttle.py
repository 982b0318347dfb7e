"""Login throttling per username and per client IP, and constant work for unknown users."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.auth import secrets
from autolease.auth.models import LoginThrottle
from autolease.kit.clock import FixedClock
from autolease.runtime import Runtime
from tests.factories import PASSWORD, setup_tenants


def attempt(client: TestClient, username: str, password: str) -> Any:
    return client.post("/v1/auth/token", json={"username": username, "password": password})


def fail(client: TestClient, username: str, times: int) -> None:
    for _ in range(times):
        assert attempt(client, username, "wrong password").status_code == 401


@pytest.fixture
def tenants(runtime: Runtime) -> None:
    setup_tenants(runtime)
    limits = runtime.settings.security.login_throttle
    assert (limits.max_failures_per_user, limits.max_failures_per_ip) == (5, 20)
    assert (limits.window_seconds, limits.lockout_seconds) == (900, 900)


def test_the_right_password_is_refused_while_the_user_is_locked(
    client: TestClient, tenants: None, clock: FixedClock
) -> None:
    fail(client, "analyst", 4)
    assert attempt(client, "analyst", PASSWORD).status_code == 200  # 4 < 5: not locked
    fail(client, "analyst", 5)
    locked = attempt(client, "analyst", PASSWORD)
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == "900"
    body = locked.json()
    assert (body["error"], body["code"]) == ("LoginThrottled", "login_throttled")
    assert "access_token" not in body
    clock.advance(seconds=600)
    assert attempt(client, "analyst", PASSWORD).headers["Retry-After"] == "300"
    clock.advance(seconds=300)
    assert attempt(client, "analyst", PASSWORD).status_code == 200


def test_sixty_wrong_passwords_then_the_right_one_does_not_succeed(
    client: TestClient, tenants: None
) -> None:
    codes = [attempt(client, "admin", f"guess {i}").status_code for i in range(60)]
    assert codes[:5] == [401] * 5
    assert set(codes[5:]) == {429}
    assert attempt(client, "admin", PASSWORD).status_code == 429


def test_failures_outside_the_window_do_not_add_up(
    client: TestClient, tenants: None, clock: FixedClock
) -> None:
    fail(client, "reviewer", 4)
    clock.advance(seconds=901)
    fail(client, "reviewer", 4)
    assert attempt(client, "reviewer", PASSWORD).status_code == 200


def test_one_client_ip_is_throttled_across_usernames(client: TestClient, tenants: None) -> None:
    for i in range(20):  # 20 usernames, 1 failure each: no username reaches its limit
        assert attempt(client, f"nobody{i}", "x").status_code == 401
    response = attempt(client, "admin", PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) == 900


def test_a_locked_user_is_locked_from_every_ip(runtime: Runtime, tenants: None) -> None:
    from autolease.app import create_app

    app = create_app(runtime=runtime)
    with TestClient(app, client=("10.0.0.1", 50000)) as first:
        fail(first, "analyst", 5)
    with TestClient(app, client=("10.0.0.2", 50000)) as second:
        assert attempt(second, "analyst", PASSWORD).status_code == 429
        assert attempt(second, "admin", PASSWORD).status_code == 200


def test_counters_are_stored_under_keyed_hashes(
    client: TestClient, runtime: Runtime, tenants: None
) -> None:
    fail(client, "analyst", 2)
    with runtime.sessions() as session:
        rows = session.scalars(select(LoginThrottle).order_by(LoginThrottle.scope)).all()
    assert [(r.scope, r.failures) for r in rows] == [("ip", 2), ("user", 2)]
    assert rows[1].key_hash == runtime.cipher.blind_index("login_user", "analyst")
    assert all("analyst" not in r.key_hash and len(r.key_hash) == 64 for r in rows)


class TestConstantWork:
    @pytest.fixture
    def verified(self, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        hashes: list[str] = []
        real = secrets.verify_password

        def spy(password: str, password_hash: str) -> bool:
            hashes.append(password_hash)
            return real(password, password_hash)

        monkeypatch.setattr(secrets, "verify_password", spy)
        return hashes

    def test_an_unknown_user_is_checked_against_a_dummy_hash(
        self, client: TestClient, tenants: None, verified: list[str]
    ) -> None:
        response = attempt(client, "no.such.user", PASSWORD)
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"
        assert verified == [secrets.dummy_password_hash()]
        assert verified[0].startswith("$argon2id$")

    def test_a_known_user_is_checked_against_its_own_hash(
        self, client: TestClient, tenants: None, verified: list[str]
    ) -> None:
        assert attempt(client, "admin", "wrong password").status_code == 401
        assert len(verified) == 1
        assert verified[0] != secrets.dummy_password_hash()

    def test_a_disabled_user_costs_a_verify_too(
        self, client: TestClient, runtime: Runtime, tenants: None, verified: list[str]
    ) -> None:
        from autolease.auth.models import StaffUser

        with runtime.sessions.begin() as session:
            user = session.scalars(select(StaffUser).where(StaffUser.username == "admin")).one()
            user.active = False
        response = attempt(client, "admin", PASSWORD)
        assert response.status_code == 401
        assert len(verified) == 1
