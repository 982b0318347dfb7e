"""Two SPs, staff users and an admin login, reached through the API."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from autolease.runtime import Runtime
from tests.contract.conftest import approved, with_offers  # noqa: F401  (shared fixtures)
from tests.factories import Tenant, login, setup_tenants

VALID_USCC = "91350100M000100Y43"


@dataclass(frozen=True)
class Channel:
    a: Tenant
    b: Tenant
    admin: dict[str, str]
    analyst: dict[str, str]


@pytest.fixture
def channel(client: TestClient, runtime: Runtime) -> Channel:
    a, b = setup_tenants(runtime)
    return Channel(a, b, login(client, "admin"), login(client, "analyst"))
