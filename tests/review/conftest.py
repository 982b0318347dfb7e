"""Fixtures of the review tests: two SPs, staff (two reviewers), referred applications."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pytest
from fastapi.testclient import TestClient

from autolease.auth.principal import Role
from autolease.runtime import Runtime
from tests.factories import Tenant, login, make_body, make_user, setup_tenants, submit

REFERRING_SEEDS = (2, 4, 10, 11, 13, 14, 22, 24, 31, 33, 38, 39)
"""make_body seeds the test runtime's policy refers (no models: data missing)."""


@dataclass
class World:
    """Two SPs and the staff; each staff login happens on first use (Argon2 is slow)."""

    client: TestClient
    sp_a: Tenant
    sp_b: Tenant

    @cached_property
    def reviewer(self) -> dict[str, str]:
        return login(self.client, "reviewer")

    @cached_property
    def reviewer2(self) -> dict[str, str]:
        return login(self.client, "reviewer2")

    @cached_property
    def admin(self) -> dict[str, str]:
        return login(self.client, "admin")

    @cached_property
    def analyst(self) -> dict[str, str]:
        return login(self.client, "analyst")


@pytest.fixture
def world(client: TestClient, runtime: Runtime) -> World:
    sp_a, sp_b = setup_tenants(runtime)
    with runtime.sessions.begin() as session:
        make_user(session, runtime, "reviewer2", Role.REVIEWER)
    return World(client, sp_a, sp_b)


def refer(client: TestClient, tenant: Tenant, seed: int) -> str:
    """Submit an application the policy refers; its id."""
    response = submit(client, tenant, make_body(seed))
    assert response.status_code == 201, response.text
    assert response.json()["decision"]["outcome"] == "refer", seed
    return str(response.json()["id"])
