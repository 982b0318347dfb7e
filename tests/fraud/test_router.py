from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.app import create_app
from autolease.fraud.models import DeviceSighting, FraudLabel
from autolease.fraud.router import router
from autolease.runtime import Runtime
from tests.factories import login, make_body, setup_tenants, submit
from tests.fraud.test_device import LAPTOP, PHONE


def with_fraud_routes(app: FastAPI) -> FastAPI:
    """Mount the fraud router unless `api.ROUTERS` already has it."""
    if not any(getattr(r, "path", "") == "/v1/device/collector.js" for r in app.routes):
        app.include_router(router)
    return app


@pytest.fixture
def fraud_client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(with_fraud_routes(create_app(runtime=runtime))) as c:
        yield c


def post(client: TestClient, signals: dict[str, object]) -> str:
    response = client.post("/v1/device/fingerprints", json={"signals": signals})
    assert response.status_code == 201, response.text
    fingerprint: str = response.json()["fingerprint_id"]
    return fingerprint


class TestCollector:
    def test_the_script_is_served_as_javascript(self, fraud_client: TestClient) -> None:
        response = fraud_client.get("/v1/device/collector.js")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/javascript")
        assert "AutoleaseDevice" in response.text
        assert "/v1/device/fingerprints" in response.text


class TestFingerprints:
    def test_small_changes_keep_the_device_big_ones_do_not(
        self, fraud_client: TestClient, runtime: Runtime
    ) -> None:
        first = post(fraud_client, LAPTOP)
        updated = {**LAPTOP, "user_agent": LAPTOP["user_agent"].replace("120.0", "122.0"),
                   "fonts": "changed"}  # fmt: skip
        assert first.startswith("dev_")
        assert post(fraud_client, updated) == first
        assert post(fraud_client, PHONE) != first
        with runtime.sessions() as session:
            sightings = session.scalars(select(DeviceSighting)).all()
        assert len(sightings) == 3
        assert all(s.ip_bidx and len(s.ip_bidx) == 64 for s in sightings)
        assert sightings[1].similarity is not None
        assert sightings[1].similarity >= 0.75

    def test_a_bad_signal_is_a_422_naming_it(self, fraud_client: TestClient) -> None:
        response = fraud_client.post(
            "/v1/device/fingerprints", json={"signals": {"cpu": "many", "canvas": "x"}}
        )
        assert response.status_code == 422
        assert "signals.cpu" in response.json()["detail"]
        assert "many" not in response.text

    def test_an_unknown_body_field_is_a_422(self, fraud_client: TestClient) -> None:
        response = fraud_client.post("/v1/device/fingerprints", json={"signals": {}, "x": 1})
        assert response.status_code == 422


class TestLabels:
    def test_a_reviewer_confirms_fraud(self, fraud_client: TestClient, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        app_id = submit(fraud_client, sp_a, make_body(1)).json()["id"]
        staff = login(fraud_client, "reviewer")
        body = {"application_id": app_id, "label": "fraud", "pattern": "gang_ring"}
        response = fraud_client.post("/v1/fraud/labels", json=body, headers=staff)
        assert response.status_code == 201, response.text
        assert response.json()["labelled_by"].endswith("reviewer")
        listed = fraud_client.get(f"/v1/fraud/applications/{app_id}/labels", headers=staff)
        assert [r["label"] for r in listed.json()] == ["fraud"]
        with runtime.sessions() as session:
            assert session.scalars(select(FraudLabel)).one().pattern == "gang_ring"

    def test_an_sp_may_not_label(self, fraud_client: TestClient, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        app_id = submit(fraud_client, sp_a, make_body(1)).json()["id"]
        response = fraud_client.post(
            "/v1/fraud/labels", json={"application_id": app_id, "label": "fraud"},
            headers=sp_a.headers,
        )  # fmt: skip
        assert response.status_code == 403

    def test_an_unknown_application_is_a_404(
        self, fraud_client: TestClient, runtime: Runtime
    ) -> None:
        setup_tenants(runtime)
        response = fraud_client.post(
            "/v1/fraud/labels", json={"application_id": "app_missing", "label": "fraud"},
            headers=login(fraud_client, "reviewer"),
        )  # fmt: skip
        assert response.status_code == 404

    def test_an_unknown_label_is_a_422(self, fraud_client: TestClient, runtime: Runtime) -> None:
        setup_tenants(runtime)
        response = fraud_client.post(
            "/v1/fraud/labels", json={"application_id": "app_x", "label": "maybe"},
            headers=login(fraud_client, "reviewer"),
        )  # fmt: skip
        assert response.status_code == 422
