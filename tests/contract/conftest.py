"""An approved application with offers, reached through the API as an SP and a reviewer would."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.audit.service import Actor
from autolease.product import service as product_service
from autolease.product.stage import replace_offers_stage
from autolease.runtime import Runtime
from tests.factories import Tenant, login, make_body, setup_tenants, submit


@dataclass(frozen=True)
class Approved:
    sp: Tenant
    other_sp: Tenant
    application_id: str
    decision_id: str
    offers: list[dict[str, Any]]
    admin: dict[str, str]


def approve(client: TestClient, sp: Tenant, seed: int) -> tuple[str, str, list[dict[str, Any]]]:
    """Submit an application and, when the policy refers it, approve it as a reviewer."""
    body = make_body(seed)
    price = float(body["vehicle"]["asking_price"])
    body["financing"]["down_payment"] = str(round(price * 0.55))
    body["financing"]["amount"] = str(price - round(price * 0.55))
    created = submit(client, sp, body)
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    decision = client.get(f"/v1/applications/{app_id}/decision", headers=login(client, "admin"))
    body = decision.json()
    if created.json()["status"] == "referred":
        review = client.post(
            f"/v1/applications/{app_id}/review",
            json={"decision": "approve", "note": "checked"},
            headers=login(client, "reviewer"),
        )
        assert review.status_code == 200, review.text
    return app_id, body["id"], body["offers"]


@pytest.fixture
def with_offers(runtime: Runtime) -> Iterator[Runtime]:
    """The runtime with the demo catalogue seeded and the offers stage reading it."""
    with runtime.sessions.begin() as session:
        actor = Actor(key=runtime.audit_key, name="system:test", at=runtime.clock.now())
        product_service.seed_products(session, actor=actor)
    stages, prefetchers = runtime.stages, runtime.prefetchers
    stage, refresher = product_service.offers_wiring()
    runtime.stages = replace_offers_stage(stages, stage)
    runtime.prefetchers = (*prefetchers, refresher)
    yield runtime
    runtime.stages, runtime.prefetchers = stages, prefetchers


@pytest.fixture
def approved(client: TestClient, with_offers: Runtime) -> Approved:
    a, b = setup_tenants(with_offers)
    for seed in range(1, 30):
        app_id, decision_id, offers = approve(client, a, seed)
        status = client.get(f"/v1/applications/{app_id}", headers=a.headers).json()["status"]
        if offers and status == "approved":
            return Approved(a, b, app_id, decision_id, offers, login(client, "admin"))
    pytest.fail("no sample application reached an approval with offers")
