from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.runtime import Runtime
from tests.factories import Tenant, make_body, setup_tenants, submit

LOCAL_URL = "http://127.0.0.1:9/hooks"


@dataclass(frozen=True)
class Hooked:
    a: Tenant
    b: Tenant
    endpoint: dict[str, Any]
    application_id: str

    def events(self, client: TestClient) -> list[dict[str, Any]]:
        response = client.get("/v1/webhooks/events", headers=self.a.headers)
        assert response.status_code == 200, response.text
        return list(response.json())


def register(client: TestClient, tenant: Tenant, url: str = LOCAL_URL, **extra: Any) -> Any:
    body = {"url": url, "event_types": ["*"], **extra}
    return client.post("/v1/webhooks/endpoints", json=body, headers=tenant.headers)


@pytest.fixture
def hooked(client: TestClient, runtime: Runtime) -> Hooked:
    """SP-A with an endpoint (all events) and one submitted application; SP-B with none."""
    a, b = setup_tenants(runtime)
    created = register(client, a)
    assert created.status_code == 201, created.text
    response = submit(client, a, make_body(31))
    assert response.status_code == 201, response.text
    return Hooked(a, b, created.json(), response.json()["id"])
