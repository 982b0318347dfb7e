"""An SP sees no info-level reasons; staff (reviewer, analyst, admin) see every reason."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.origination.service.audience import sp_reasons
from autolease.runtime import Runtime
from tests.factories import Tenant, login, make_body, setup_tenants, submit


def _noise(decision: dict[str, Any]) -> list[str]:
    """Info-level reasons other than the one an SP acts on (why no offer could be made)."""
    return [
        r["code"]
        for r in decision["reasons"]
        if r["severity"] == "info" and r["code"] != "NO_FEASIBLE_OFFER"
    ]


def _submitted(client: TestClient, runtime: Runtime) -> tuple[Tenant, dict[str, Any]]:
    sp_a, _ = setup_tenants(runtime)
    created = submit(client, sp_a, make_body(11))
    assert created.status_code == 201, created.text
    return sp_a, created.json()


def _staff_reasons(client: TestClient, app_id: str) -> list[dict[str, Any]]:
    staff = client.get(f"/v1/applications/{app_id}/decision", headers=login(client, "reviewer"))
    assert staff.status_code == 200, staff.text
    reasons: list[dict[str, Any]] = staff.json()["reasons"]
    return reasons


class TestSpSeesNoInfoReasons:
    def test_the_submit_response(self, client: TestClient, runtime: Runtime) -> None:
        _, created = _submitted(client, runtime)
        staff = _staff_reasons(client, created["id"])
        assert _noise({"reasons": staff})  # there was noise to leave out
        assert _noise(created["decision"]) == []
        assert [r for r in staff if r["code"] not in _noise({"reasons": staff})] == created[
            "decision"
        ]["reasons"]

    def test_the_application(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, created = _submitted(client, runtime)
        read = client.get(f"/v1/applications/{created['id']}", headers=sp_a.headers)
        assert read.status_code == 200
        assert read.json()["decision"]["reasons"] == created["decision"]["reasons"]
        assert _noise(read.json()["decision"]) == []

    def test_the_decision(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, created = _submitted(client, runtime)
        read = client.get(f"/v1/applications/{created['id']}/decision", headers=sp_a.headers)
        assert read.status_code == 200
        assert read.json()["reasons"] == created["decision"]["reasons"]
        assert "features" not in read.json()

    def test_an_sp_user_sees_what_its_key_sees(self, client: TestClient, runtime: Runtime) -> None:
        _, created = _submitted(client, runtime)
        user = login(client, "sp_a_user")
        read = client.get(f"/v1/applications/{created['id']}/decision", headers=user)
        assert read.status_code == 200
        assert read.json()["reasons"] == created["decision"]["reasons"]

    def test_the_withdrawal(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, created = _submitted(client, runtime)
        app_id = created["id"]
        assert created["status"] in ("approved", "referred")
        withdrawn = client.post(
            f"/v1/applications/{app_id}/withdraw", json={}, headers=sp_a.headers
        )
        assert withdrawn.status_code == 200, withdrawn.text
        assert withdrawn.json()["decision"]["reasons"] == created["decision"]["reasons"]


class TestStaffSeeEveryReason:
    @pytest.mark.parametrize("username", ["reviewer", "analyst", "admin"])
    def test_application_and_decision(
        self, client: TestClient, runtime: Runtime, username: str
    ) -> None:
        _, created = _submitted(client, runtime)
        headers = login(client, username)
        decision = client.get(f"/v1/applications/{created['id']}/decision", headers=headers)
        application = client.get(f"/v1/applications/{created['id']}", headers=headers)
        assert decision.status_code == application.status_code == 200
        assert _noise(decision.json())
        assert application.json()["decision"]["reasons"] == decision.json()["reasons"]
        assert len(decision.json()["reasons"]) > len(created["decision"]["reasons"])


class TestTheFilter:
    def test_info_is_left_out_but_a_missing_offer_is_explained(self) -> None:
        reasons = [
            {"code": "SELFIE_MISSING", "severity": "info"},
            {"code": "VALUATION_UNAVAILABLE", "severity": "refer"},
            {"code": "NO_FEASIBLE_OFFER", "severity": "info"},
            {"code": "PD_DECLINE_BAND", "severity": "decline"},
        ]
        kept = [r["code"] for r in sp_reasons(reasons)]
        assert kept == ["VALUATION_UNAVAILABLE", "NO_FEASIBLE_OFFER", "PD_DECLINE_BAND"]
