"""A per-key rate limit: over it an SP key gets 429 with Retry-After in the one error shape;
other keys and staff are not affected, and the bucket refills with the (injected) clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.auth.rate_limit import KeyRateLimiter
from autolease.config import ApiSettings
from autolease.kit.clock import FixedClock
from autolease.origination.models import Application
from autolease.runtime import Runtime, key_limiter_of
from tests.conftest import make_settings
from tests.factories import login, make_body, setup_tenants, submit

T0 = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
def limited(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> KeyRateLimiter:
    limiter = KeyRateLimiter(requests_per_minute=2, burst=2)
    monkeypatch.setattr(runtime, "key_limiter", limiter)
    return limiter


class TestBucket:
    def test_burst_then_wait_then_refill(self) -> None:
        bucket = KeyRateLimiter(requests_per_minute=60, burst=3)
        assert [bucket.take("k", T0) for _ in range(4)] == [0, 0, 0, 1]
        assert bucket.take("k", T0 + timedelta(seconds=1)) == 0
        assert bucket.take("other", T0) == 0

    def test_the_wait_is_the_time_to_one_token(self) -> None:
        bucket = KeyRateLimiter(requests_per_minute=2, burst=1)
        assert bucket.take("k", T0) == 0
        assert bucket.take("k", T0) == 30
        assert bucket.take("k", T0 + timedelta(seconds=20)) == 10
        assert bucket.take("k", T0 + timedelta(seconds=30)) == 0

    def test_a_clock_going_back_adds_nothing(self) -> None:
        bucket = KeyRateLimiter(requests_per_minute=60, burst=1)
        assert bucket.take("k", T0) == 0
        assert bucket.take("k", T0 - timedelta(seconds=10)) == 1


class TestSettings:
    def test_off_by_default_and_built_when_set(self, db_url: str) -> None:
        settings = make_settings(db_url)
        assert key_limiter_of(settings) is None
        api = ApiSettings(key_requests_per_minute=120, key_burst=5)
        limiter = key_limiter_of(settings.model_copy(update={"api": api}))
        assert limiter is not None
        assert (limiter.requests_per_minute, limiter.burst) == (120, 5)

    def test_a_negative_limit_is_refused(self) -> None:
        with pytest.raises(ValueError, match="key_requests_per_minute"):
            ApiSettings(key_requests_per_minute=-1)


class TestOverTheLimit:
    def test_429_with_retry_after_in_the_error_shape(
        self, client: TestClient, runtime: Runtime, limited: KeyRateLimiter
    ) -> None:
        sp, _ = setup_tenants(runtime)
        ok = [client.get("/v1/applications", headers=sp.headers).status_code for _ in range(2)]
        assert ok == [200, 200]
        over = client.get("/v1/applications", headers=sp.headers)
        assert over.status_code == 429
        assert over.headers["Retry-After"] == "30"
        body = over.json()
        assert (body["error"], body["code"]) == ("KeyRateLimited", "rate_limited")
        assert "30 s" in body["detail"]

    def test_other_keys_and_staff_are_not_limited(
        self, client: TestClient, runtime: Runtime, limited: KeyRateLimiter
    ) -> None:
        sp_a, sp_b = setup_tenants(runtime)
        for _ in range(3):
            client.get("/v1/applications", headers=sp_a.headers)
        assert client.get("/v1/applications", headers=sp_b.headers).status_code == 200
        staff = login(client, "admin")
        statuses = {client.get("/v1/applications", headers=staff).status_code for _ in range(4)}
        assert statuses == {200}

    def test_a_limited_submission_stores_nothing(
        self, client: TestClient, runtime: Runtime, limited: KeyRateLimiter
    ) -> None:
        sp, _ = setup_tenants(runtime)
        for _ in range(2):
            client.get("/v1/applications", headers=sp.headers)
        refused = submit(client, sp, make_body(3))
        assert refused.status_code == 429
        with runtime.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Application)) == 0

    def test_the_bucket_refills_with_the_clock(
        self, client: TestClient, runtime: Runtime, clock: FixedClock, limited: KeyRateLimiter
    ) -> None:
        sp, _ = setup_tenants(runtime)
        for _ in range(3):
            client.get("/v1/applications", headers=sp.headers)
        clock.advance(seconds=30)
        assert client.get("/v1/applications", headers=sp.headers).status_code == 200
        assert client.get("/v1/applications", headers=sp.headers).status_code == 429

    def test_a_bad_key_is_401_not_429(
        self, client: TestClient, runtime: Runtime, limited: KeyRateLimiter
    ) -> None:
        setup_tenants(runtime)
        bad = {"Authorization": "Bearer ak_deadbeef_nope"}
        statuses = [client.get("/v1/applications", headers=bad).status_code for _ in range(3)]
        assert statuses == [401, 401, 401]


def test_every_operation_with_credentials_documents_429(runtime: Runtime) -> None:
    from autolease.app import create_app

    document = create_app(runtime=runtime).openapi()
    secured = [
        (f"{method} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "security" in operation
    ]
    assert secured
    assert [label for label, operation in secured if "429" not in operation["responses"]] == []
