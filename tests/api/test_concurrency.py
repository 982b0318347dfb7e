"""Concurrent intakes over a real server (on PostgreSQL in CI they really race)."""

from __future__ import annotations

from sqlalchemy import select

from autolease.decision.models import PolicyVersion
from autolease.runtime import Runtime
from tests.factories import make_body, post_concurrently, setup_tenants


def test_the_first_decisions_of_a_fresh_store_all_succeed(runtime: Runtime) -> None:
    """Each first decision stores the packaged policy version it used: one row, no 500."""
    a, _ = setup_tenants(runtime)
    posts = [(make_body(60 + i), a.headers) for i in range(8)]
    responses = post_concurrently(runtime, posts)
    assert [r.status_code for r in responses] == [201] * 8
    with runtime.sessions() as session:
        versions = session.scalars(select(PolicyVersion)).all()
    assert len(versions) == 1
