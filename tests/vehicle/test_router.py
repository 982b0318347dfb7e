"""The appraisal endpoints over HTTP (the router mounted on the app as api.py will mount it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.governance.service.serving import ServingModels
from autolease.identity.identifiers import vin_check_digit
from autolease.runtime import Runtime
from autolease.vehicle import service
from autolease.vehicle.router import router
from tests.factories import Tenant, setup_tenants


def toyota_vin(year_code: str = "R") -> str:
    body = f"LFMB14A50{year_code}U756589"
    return body[:8] + vin_check_digit(body) + body[9:]


@pytest.fixture
def api(runtime: Runtime) -> Iterator[TestClient]:
    app = create_app(runtime=runtime)
    app.include_router(router)
    service.clear_cache()
    with TestClient(app) as client:
        yield client
    service.clear_cache()


@pytest.fixture
def tenant(runtime: Runtime) -> Tenant:
    return setup_tenants(runtime)[0]


def appraisal(**over: Any) -> dict[str, Any]:
    body = {
        "vin": toyota_vin(),
        "brand": "丰田",
        "model": "卡罗拉",
        "first_registration_date": "2023-11-29",
        "mileage_km": 36_000,
        "fuel_type": "petrol",
        "asking_price": "80000.00",
        "amount": "60000.00",
        "term_months": 36,
    }
    return {**body, **over}


class TestDecode:
    def test_decode_needs_a_principal(self, api: TestClient) -> None:
        assert api.get(f"/v1/vehicles/{toyota_vin()}/decode").status_code == 401

    def test_decode(self, api: TestClient, tenant: Tenant) -> None:
        r = api.get(
            f"/v1/vehicles/{toyota_vin()}/decode",
            params={"registered": "2024-05-20"},
            headers=tenant.headers,
        )
        assert r.status_code == 200, r.text
        data = r.json()
        assert (data["wmi"], data["manufacturer"], data["model_year"]) == (
            "LFM",
            "FAW Toyota",
            2024,
        )
        assert data["brands"] == ["toyota"]

    def test_bad_vin_is_a_422_without_echoing_it(self, api: TestClient, tenant: Tenant) -> None:
        vin = toyota_vin()
        wrong = vin[:8] + ("1" if vin[8] != "1" else "2") + vin[9:]
        r = api.get(f"/v1/vehicles/{wrong}/decode", headers=tenant.headers)
        assert r.status_code == 422
        assert r.json()["code"] == "vin_invalid"
        assert wrong not in r.text.replace(f"/v1/vehicles/{wrong}", "")


class TestAppraisal:
    def test_without_a_model(self, api: TestClient, tenant: Tenant, runtime: Runtime,
                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
        monkeypatch.setattr(runtime.settings, "artifacts_dir", tmp_path)
        r = api.post("/v1/vehicles/appraisal", json=appraisal(), headers=tenant.headers)
        assert r.status_code == 200, r.text
        data = r.json()
        assert data["valuation"] is None
        assert [x["code"] for x in data["reasons"]] == [
            "HISTORY_UNAVAILABLE",
            "VALUATION_UNAVAILABLE",
        ]
        assert data["ltv"] == {"ratio": 0.75, "basis": "asking_price", "basis_value": "80000.00"}

    def test_with_a_model(self, api: TestClient, tenant: Tenant, runtime: Runtime,
                          artifacts: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
        monkeypatch.setattr(runtime.settings, "artifacts_dir", artifacts)
        monkeypatch.setattr(runtime, "serving", ServingModels(valuation="valuation@1"))
        r = api.post("/v1/vehicles/appraisal", json=appraisal(), headers=tenant.headers)
        assert r.status_code == 200, r.text
        data = r.json()
        v = data["valuation"]
        assert v["model"] == "valuation@1"
        assert float(v["p10"]) <= float(v["p50"]) <= float(v["p90"])
        assert data["brand_agreement"] == "match"
        assert data["age_years"] == pytest.approx(3.0, abs=0.01)
        assert data["residual"]["term_months"] == 36
        assert float(data["residual"]["p50"]) < float(v["p50"])
        assert data["ltv"]["basis"] == "p50"
        assert data["ltv"]["ratio"] == pytest.approx(60_000 / float(v["p50"]), abs=1e-3)

    def test_brand_mismatch(self, api: TestClient, tenant: Tenant, runtime: Runtime,
                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
        monkeypatch.setattr(runtime.settings, "artifacts_dir", tmp_path)
        r = api.post("/v1/vehicles/appraisal", json=appraisal(brand="宝马"), headers=tenant.headers)
        assert r.status_code == 200, r.text
        assert r.json()["reasons"][0]["code"] == "BRAND_MISMATCH"

    def test_needs_a_principal(self, api: TestClient) -> None:
        assert api.post("/v1/vehicles/appraisal", json=appraisal()).status_code == 401

    def test_term_outside_12_to_48_is_refused(self, api: TestClient, tenant: Tenant) -> None:
        r = api.post(
            "/v1/vehicles/appraisal", json=appraisal(term_months=60), headers=tenant.headers
        )
        assert r.status_code == 422
