"""The fraud prefetchers and stage inside the real intake (`POST /v1/applications`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.fraud.service import build_fraud_prefetchers
from autolease.fraud.settings import FraudSettings
from autolease.fraud.stage import FraudStage
from autolease.kit.clock import FixedClock
from autolease.origination.stages import default_stages
from autolease.runtime import Runtime
from tests.factories import login, make_body, setup_tenants, submit
from tests.fraud.test_device import LAPTOP
from tests.fraud.test_router import with_fraud_routes


@pytest.fixture
def wired(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    stages = tuple(FraudStage(None) if s.name == "fraud" else s for s in default_stages())
    monkeypatch.setattr(runtime, "stages", stages)
    monkeypatch.setattr(runtime, "prefetchers", build_fraud_prefetchers(FraudSettings()))
    with TestClient(with_fraud_routes(create_app(runtime=runtime))) as c:
        yield c


def decision(client: TestClient, app_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/applications/{app_id}/decision", headers=login(client, "analyst"))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


class TestIntake:
    def test_an_automated_browser_on_a_shared_device_is_flagged(
        self, wired: TestClient, runtime: Runtime, clock: FixedClock
    ) -> None:
        sp_a, sp_b = setup_tenants(runtime)
        device = wired.post(
            "/v1/device/fingerprints", json={"signals": {**LAPTOP, "webdriver": True}}
        ).json()["fingerprint_id"]
        first = make_body(1)
        first["device"] = {"fingerprint_id": device}
        second = make_body(2)
        second["device"] = {"fingerprint_id": device}
        second["applicant"]["emergency_contacts"] = [
            {"name": "王五", "phone": first["applicant"]["phone"], "relation": "friend"}
        ]
        submit(wired, sp_a, first)
        clock.advance(minutes=5)
        created = submit(wired, sp_b, second)
        assert created.status_code == 201, created.text
        detail = decision(wired, created.json()["id"])
        features = detail["features"]
        assert features["device_automation"] is True
        assert features["device_collected"] is True
        assert features["velocity_device_apps_1d"] == 1
        assert features["velocity_device_other_sps_1d"] == 1
        assert features["graph_hop1_apps"] == 1
        codes = {r["code"]: r["severity"] for r in detail["reasons"] if r["stage"] == "fraud"}
        assert codes["DEVICE_AUTOMATION"] == "refer"
        assert codes["FRAUD_MODEL_UNAVAILABLE"] == "refer"
        assert detail["outcome"] in ("refer", "decline")
