"""HTTP tests for /v1/products and /v1/quotes, and the offers stage wired into intake."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.audit.service import Actor
from autolease.auth.principal import Role
from autolease.product import models as _models  # noqa: F401  (tables for the runtime fixture)
from autolease.product import service
from autolease.product.router import router
from autolease.product.stage import replace_offers_stage
from autolease.runtime import Runtime
from tests.factories import Tenant, login, make_body, make_sp, make_user, submit
from tests.product.helpers import spec

QUOTE: dict[str, Any] = {
    "vehicle_price": "120000",
    "valuation_p50": "118000",
    "first_registration_date": "2024-06-01",
    "mileage_km": 40000,
    "down_payment_available": "50000",
    "term_months": 36,
    "monthly_budget": "4000",
    "monthly_income": "20000",
    "credit_grade": "A",
}


@pytest.fixture
def api(runtime: Runtime) -> Iterator[TestClient]:
    """The app with the product router mounted (until api.py lists it)."""
    app: FastAPI = create_app(runtime=runtime)
    if not any(getattr(r, "path", "") == "/v1/quotes" for r in app.routes):
        app.include_router(router)
    with TestClient(app) as client:
        yield client


def sp(runtime: Runtime) -> Tenant:
    with runtime.sessions.begin() as session:
        return make_sp(session, runtime, "SP-A")


def staff(api: TestClient, runtime: Runtime, role: Role = Role.ADMIN) -> dict[str, str]:
    """Headers for one staff user of `role` (each user costs an argon2 hash: create few)."""
    name = f"{role.value}_user"
    with runtime.sessions.begin() as session:
        make_user(session, runtime, name, role, sp_code="SP-A" if role is Role.SP_USER else None)
    return login(api, name)


def seed(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        actor = Actor(key=runtime.audit_key, name="system:test", at=runtime.clock.now())
        service.seed_products(session, actor=actor)


class TestManageProducts:
    def test_admin_creates_and_versions_sp_reads(self, api: TestClient, runtime: Runtime) -> None:
        sp_a = sp(runtime)
        admin = staff(api, runtime)
        created = api.post("/v1/products", json=spec(), headers=admin)
        assert created.status_code == 201, created.text
        assert created.json()["version"] == 1
        patched = api.patch("/v1/products/T-DL", json={"terms_months": [12, 24]}, headers=admin)
        assert patched.status_code == 200, patched.text
        assert patched.json()["version"] == 2
        assert patched.json()["terms"]["terms_months"] == [12, 24]
        listed = api.get("/v1/products", headers=sp_a.headers)
        assert [p["code"] for p in listed.json()] == ["T-DL"]
        old = api.get("/v1/products/T-DL/versions/1", headers=admin)
        assert old.json()["terms"]["terms_months"] == [12, 24, 36]

    def test_only_admins_write(self, api: TestClient, runtime: Runtime) -> None:
        sp_a = sp(runtime)
        analyst = staff(api, runtime, Role.RISK_ANALYST)
        for headers in (analyst, sp_a.headers):
            response = api.post("/v1/products", json=spec(), headers=headers)
            assert response.status_code == 403
            assert response.json()["code"] == "role_not_allowed"
        patched = api.patch("/v1/products/T-DL", json={"active": False}, headers=analyst)
        assert patched.status_code == 403

    def test_sp_cannot_read_versions_or_retired_products(
        self, api: TestClient, runtime: Runtime
    ) -> None:
        sp_a = sp(runtime)
        admin = staff(api, runtime)
        api.post("/v1/products", json=spec(), headers=admin)
        api.patch("/v1/products/T-DL", json={"active": False}, headers=admin)
        assert api.get("/v1/products/T-DL", headers=sp_a.headers).status_code == 404
        assert api.get("/v1/products/T-DL", headers=admin).status_code == 200
        assert api.get("/v1/products/T-DL/versions", headers=sp_a.headers).status_code == 403
        assert api.get("/v1/products?include_inactive=true", headers=sp_a.headers).json() == []

    def test_contract_rule_is_a_422_naming_the_field(
        self, api: TestClient, runtime: Runtime
    ) -> None:
        bad = spec(product_type="sale_leaseback", title_mode="lessor_titled")
        response = api.post("/v1/products", json=bad, headers=staff(api, runtime))
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "product_rule_violation"
        assert body["errors"][0]["field"] == "title_mode"
        assert body["errors"][0]["message_zh"]

    def test_unauthenticated(self, api: TestClient) -> None:
        assert api.get("/v1/products").status_code == 401
        assert api.post("/v1/quotes", json=QUOTE).status_code == 401

    def test_duplicate_code_is_409_and_bad_version_404(
        self, api: TestClient, runtime: Runtime
    ) -> None:
        admin = staff(api, runtime)
        api.post("/v1/products", json=spec(), headers=admin)
        assert api.post("/v1/products", json=spec(), headers=admin).status_code == 409
        missing = api.get("/v1/products/T-DL/versions/9", headers=admin)
        assert missing.status_code == 404
        assert missing.json()["code"] == "product_not_found"


class TestQuotes:
    def test_quote_returns_ranked_offers(self, api: TestClient, runtime: Runtime) -> None:
        sp_a = sp(runtime)
        seed(runtime)
        response = api.post("/v1/quotes", json=QUOTE, headers=sp_a.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["offers"]
        assert [o["rank"] for o in body["offers"]] == list(range(1, len(body["offers"]) + 1))
        assert all(o["term_months"] == 36 for o in body["offers"])
        assert len(body["catalogue"]) == 16

    def test_each_offer_says_where_it_departs_from_the_request(
        self, api: TestClient, runtime: Runtime
    ) -> None:
        sp_a = sp(runtime)
        seed(runtime)
        asked = {**QUOTE, "down_payment_available": "110000", "amount": "15000"}
        response = api.post("/v1/quotes", json=asked, headers=sp_a.headers)
        assert response.status_code == 200, response.text
        offers = response.json()["offers"]
        assert offers
        for offer in offers:
            moved = {d["field"]: d for d in offer["departures"]}
            assert moved["amount"]["requested"] == "15000"
            assert moved["amount"]["offered"] == offer["amount_advanced"]
            assert moved["amount"]["code"].startswith("AMOUNT_")
            assert moved["amount"]["message_zh"].startswith("融资金额")

    def test_infeasible_quote_explains(self, api: TestClient, runtime: Runtime) -> None:
        sp_a = sp(runtime)
        seed(runtime)
        tight = {**QUOTE, "down_payment_available": "10000", "credit_grade": "C"}
        body = api.post("/v1/quotes", json=tight, headers=sp_a.headers).json()
        assert body["offers"] == []
        assert body["binding_constraint"] in ("ltv", "down_payment")
        assert body["changes"][0]["lever"] == "down_payment"
        assert body["message_zh"].startswith("无可用方案")

    def test_bad_input_is_422(self, api: TestClient, runtime: Runtime) -> None:
        sp_a = sp(runtime)
        response = api.post("/v1/quotes", json={**QUOTE, "mileage_km": -1}, headers=sp_a.headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "mileage_km"


class TestOffersStageWiredIntoIntake:
    def test_decision_stores_offers_or_the_reason(self, api: TestClient, runtime: Runtime) -> None:
        sp_a = sp(runtime)
        seed(runtime)
        stages, prefetchers = runtime.stages, runtime.prefetchers
        stage, refresher = service.offers_wiring()
        runtime.stages = replace_offers_stage(stages, stage)
        runtime.prefetchers = (*prefetchers, refresher)
        try:
            body = make_body(5)
            body["financing"]["down_payment"] = str(
                round(float(body["vehicle"]["asking_price"]) * 0.55)
            )
            body["financing"]["amount"] = str(
                float(body["vehicle"]["asking_price"]) - float(body["financing"]["down_payment"])
            )
            response = submit(api, sp_a, body)
        finally:
            runtime.stages, runtime.prefetchers = stages, prefetchers
        assert response.status_code == 201, response.text
        decision = response.json()["decision"]
        codes = {r["code"] for r in decision["reasons"]}
        if decision["outcome"] == "decline":
            assert decision["offers"] == []  # no offers once the policy declines
            return
        assert decision["offers"] or "NO_FEASIBLE_OFFER" in codes, (decision["outcome"], codes)
        if decision["offers"]:
            assert decision["offers"][0]["product_terms"]["code"]
