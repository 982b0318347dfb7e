from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.demo.jobs import bound_port, start_server
from autolease.origination.models import Application
from autolease.runtime import Runtime
from tests.factories import make_body, setup_tenants, submit


def count_applications(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(Application)) or 0


class TestIdempotencyKey:
    def test_same_key_same_body_replays_the_same_response(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        a, _ = setup_tenants(runtime)
        body = make_body(41)
        first = submit(client, a, body, key="k-1")
        runtime.clock.advance(seconds=30)  # type: ignore[attr-defined]
        second = submit(client, a, body, key="k-1")
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second.headers["Idempotent-Replayed"] == "true"
        assert count_applications(runtime) == 1

    def test_same_key_other_body_is_409(self, client: TestClient, runtime: Runtime) -> None:
        a, _ = setup_tenants(runtime)
        assert submit(client, a, make_body(42), key="k-2").status_code == 201
        response = submit(client, a, make_body(43), key="k-2")
        assert response.status_code == 409
        assert response.json()["code"] == "idempotency_key_reused"
        assert count_applications(runtime) == 1

    def test_without_key_each_post_creates(self, client: TestClient, runtime: Runtime) -> None:
        a, _ = setup_tenants(runtime)
        body = make_body(44)
        assert submit(client, a, body).json()["id"] != submit(client, a, body).json()["id"]
        assert count_applications(runtime) == 2

    def test_concurrent_duplicates_create_exactly_one(self, runtime: Runtime) -> None:
        a, _ = setup_tenants(runtime)
        server, thread = start_server(runtime, "127.0.0.1", 0)
        port = bound_port(server)
        body = make_body(45)
        headers = {**a.headers, "Idempotency-Key": "race-1"}

        def post(_: int) -> httpx.Response:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as c:
                return c.post("/v1/applications", json=body, headers=headers)

        try:
            with ThreadPoolExecutor(max_workers=8) as pool:
                responses = list(pool.map(post, range(16)))
        finally:
            server.should_exit = True
            thread.join(timeout=10)
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
        assert count_applications(runtime) == 1
