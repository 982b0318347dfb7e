"""Concurrent intakes over a real server (on PostgreSQL in CI they really race)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from autolease.decision.models import PolicyVersion
from autolease.demo.jobs import bound_port, start_server
from autolease.runtime import Runtime
from tests.factories import make_body, setup_tenants


def test_the_first_decisions_of_a_fresh_store_all_succeed(runtime: Runtime) -> None:
    """Each first decision stores the packaged policy version it used: one row, no 500."""
    a, _ = setup_tenants(runtime)
    server, thread = start_server(runtime, "127.0.0.1", 0)
    port = bound_port(server)

    def post(i: int) -> httpx.Response:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as c:
            return c.post("/v1/applications", json=make_body(60 + i), headers=a.headers)

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            responses = list(pool.map(post, range(8)))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert [r.status_code for r in responses] == [201] * 8
    with runtime.sessions() as session:
        versions = session.scalars(select(PolicyVersion)).all()
    assert len(versions) == 1
