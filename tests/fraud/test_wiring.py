"""The default runtime runs the fraud stage and its prefetchers at intake, unpatched."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.app import create_app
from autolease.fraud.keys import link_hash
from autolease.kit.clock import FixedClock
from autolease.origination.models import ApplicationLink
from autolease.runtime import Runtime
from tests.factories import login, make_body, setup_tenants, submit


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime)) as c:
        yield c


def fraud_reasons(client: TestClient, app_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    response = client.get(f"/v1/applications/{app_id}/decision", headers=login(client, "analyst"))
    assert response.status_code == 200, response.text
    detail: dict[str, Any] = response.json()
    codes = {r["code"]: r["severity"] for r in detail["reasons"] if r["stage"] == "fraud"}
    return detail, codes


def test_default_stages_include_the_fraud_stage(runtime: Runtime) -> None:
    names = [stage.name for stage in runtime.stages]
    assert names.index("identity") < names.index("fraud") < names.index("credit")
    assert {"fraud_velocity", "fraud_graph", "fraud_device"} <= {
        p.name for p in runtime.prefetchers
    }


def test_collector_is_served_by_the_default_app(client: TestClient) -> None:
    response = client.get("/v1/device/collector.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]


def test_an_emergency_contact_links_to_an_earlier_applicant_phone(
    client: TestClient, runtime: Runtime, clock: FixedClock
) -> None:
    sp_a, sp_b = setup_tenants(runtime)
    first = make_body(1)
    second = make_body(2)
    second["applicant"]["emergency_contacts"] = [
        {"name": "王五", "phone": first["applicant"]["phone"], "relation": "friend"}
    ]
    assert submit(client, sp_a, first).status_code == 201
    clock.advance(minutes=5)
    created = submit(client, sp_b, second)
    assert created.status_code == 201, created.text
    detail, codes = fraud_reasons(client, created.json()["id"])
    assert detail["features"]["graph_hop1_apps"] == 1
    assert detail["features"]["graph_links_phone"] >= 1
    assert "FRAUD_MODEL_UNAVAILABLE" in codes
    phone_hash = link_hash(runtime.cipher.blind_index, "phone", first["applicant"]["phone"])
    with runtime.sessions() as session:
        kinds = {
            row.kind
            for row in session.scalars(
                select(ApplicationLink).where(ApplicationLink.key_hash == phone_hash)
            )
        }
    assert kinds == {"phone", "contact_phone"}


def test_device_signals_in_the_body_raise_flags_without_the_collector(
    client: TestClient, runtime: Runtime
) -> None:
    sp_a, _ = setup_tenants(runtime)
    body = make_body(3)
    body["device"] = {
        "fingerprint_id": "dev_from_elsewhere",
        "user_agent": "Mozilla/5.0 HeadlessChrome/120.0",
        "signals": {"webdriver": True},
    }
    created = submit(client, sp_a, body)
    assert created.status_code == 201, created.text
    detail, codes = fraud_reasons(client, created.json()["id"])
    assert detail["features"]["device_automation"] is True
    assert detail["features"]["device_collected"] is False
    assert codes["DEVICE_AUTOMATION"] == "refer"
